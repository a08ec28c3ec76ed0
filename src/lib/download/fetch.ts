/**
 * One guarded HTTP(S) fetch (Node: node:http/https). What makes it safe on the open web:
 * - only http(s) URLs; every redirect hop is re-checked (scheme, address) and counted against maxRedirects;
 * - the address actually connected to is checked: IP literals before connecting, host names inside
 *   the socket's DNS lookup (so DNS rebinding cannot slip a private address past the check);
 * - one deadline covers connect, headers and body; the body is cut off at maxBytes (Content-Length
 *   is checked first), after decompression when the server compresses anyway;
 * - `X-Robots-Tag: noai`/`noimageai` opt-outs are honoured.
 * It never throws for a bad URL or a bad server: the result carries a {@link DownloadStatus}.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { isIpLiteral, refuseAddress, type AddressPolicy } from "./address.js";
import { DEFAULT_OPT_OUT_DIRECTIVES, isOptedOut } from "./opt-out.js";
import type { DownloadStatus } from "./status.js";

/** The project's User-Agent: names the tool so site owners can identify and address it (`ccw` token). */
export const DEFAULT_USER_AGENT = "ccw/0.1 (Conceptual Workbench image downloader; +https://github.com/conceptual-workbench)";

export interface FetchOptions extends AddressPolicy {
  /** Deadline for one attempt: connect + headers + body, in ms. Default 10,000. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. Default 20 MiB. */
  maxBytes?: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  /** X-Robots-Tag directives that opt out. Default noai, noimageai. Empty to ignore opt-outs. */
  optOutDirectives?: readonly string[];
  /** DNS lookup to use instead of the system resolver (tests map names to addresses with it). */
  lookup?: (hostname: string, options: LookupOptions & { all: true }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;
}

export interface FetchResult {
  /** "ok" here means "an image-candidate body was received"; the caller checks the bytes. */
  status: DownloadStatus;
  message: string | null;
  httpStatus: number | null;
  contentType: string | null;
  /** The URL of the last hop (after redirects); null when no request was made. */
  finalUrl: string | null;
  redirects: number;
  body: Uint8Array | null;
}

export const FETCH_DEFAULTS = { timeoutMs: 10_000, maxBytes: 20 * 1024 * 1024, maxRedirects: 5 } as const;

class BlockedAddressError extends Error {
  code = "EBLOCKED";
}

/** A socket lookup that resolves all addresses and refuses the connection if any is not allowed. */
function guardedLookup(policy: AddressPolicy, resolver: FetchOptions["lookup"]): LookupFunction {
  const base = resolver ?? ((host, opts, cb) => dnsLookup(host, opts, cb as (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void));
  return ((hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    base(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      if (!addresses.length) return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: "ENOTFOUND" }), "", 0);
      for (const a of addresses) {
        const why = refuseAddress(a.address, policy);
        if (why) return callback(new BlockedAddressError(`${hostname} resolves to ${why}`), "", 0);
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as LookupFunction;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function headerValues(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function errorStatus(error: unknown, timedOut: boolean, received: number): { status: DownloadStatus; message: string } {
  const e = error as NodeJS.ErrnoException;
  if (timedOut) return { status: "timeout", message: "no complete response within the deadline" };
  if (e?.code === "EBLOCKED") return { status: "blocked_address", message: e.message };
  if (e?.code === "ENOTFOUND" || e?.code === "EAI_AGAIN" || e?.code === "EAI_NONAME" || e?.code === "EAI_NODATA") return { status: "dns_error", message: `${e.code}: ${e.message}` };
  const detail = `${e?.code ? `${e.code}: ` : ""}${e?.message ?? String(error)}`;
  if (received > 0) return { status: "truncated", message: `connection closed after ${received} bytes of the body (${detail})` };
  return { status: "network_error", message: detail };
}

/** Fetches one URL's body under the options' limits; never throws for network or server misbehaviour. */
export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
  const maxBytes = options.maxBytes ?? FETCH_DEFAULTS.maxBytes;
  const maxRedirects = options.maxRedirects ?? FETCH_DEFAULTS.maxRedirects;
  const directives = options.optOutDirectives ?? DEFAULT_OPT_OUT_DIRECTIVES;
  const result = (status: DownloadStatus, message: string | null, extra: Partial<FetchResult> = {}): FetchResult => ({
    status, message, httpStatus: null, contentType: null, finalUrl: null, redirects: 0, body: null, ...extra,
  });

  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return result("bad_url", `not an absolute URL: ${JSON.stringify(url.slice(0, 200))}`);
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const lookup = guardedLookup(options, options.lookup);
  let redirects = 0;
  let received = 0;
  let lastHop: Partial<FetchResult> = {};
  try {
    for (;;) {
      if (current.protocol !== "http:" && current.protocol !== "https:") {
        return result("bad_url", `scheme ${current.protocol} is not http(s)${redirects ? ` (after ${redirects} redirect${redirects > 1 ? "s" : ""})` : ""}`, { redirects, finalUrl: current.href });
      }
      const host = current.hostname.replace(/^\[|\]$/g, "");
      if (isIpLiteral(host)) {
        const why = refuseAddress(host, options);
        if (why) return result("blocked_address", why, { redirects, finalUrl: current.href });
      }
      const request = current.protocol === "https:" ? httpsRequest : httpRequest;
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(current, {
          method: "GET",
          headers: { "User-Agent": options.userAgent ?? DEFAULT_USER_AGENT, Accept: "image/*,*/*;q=0.5", "Accept-Encoding": "gzip, deflate, br" },
          lookup,
          signal: controller.signal,
        });
        req.on("response", resolve);
        req.on("error", reject);
        req.end();
      });
      const httpStatus = response.statusCode ?? 0;
      const contentType = response.headers["content-type"] ?? null;
      const hop = { httpStatus, contentType, redirects, finalUrl: current.href };
      lastHop = hop;
      if (REDIRECTS.has(httpStatus)) {
        response.resume();
        const location = response.headers.location;
        if (!location) return result("http_error", `HTTP ${httpStatus} redirect without a Location header`, hop);
        if (++redirects > maxRedirects) return result("too_many_redirects", `more than ${maxRedirects} redirects (next: ${location.slice(0, 200)})`, { ...hop, redirects });
        try {
          current = new URL(location, current);
        } catch {
          return result("bad_url", `redirect to an unparsable Location ${JSON.stringify(location.slice(0, 200))}`, { ...hop, redirects });
        }
        continue;
      }
      if (httpStatus !== 200) {
        response.destroy();
        return result("http_error", `HTTP ${httpStatus}`, hop);
      }
      const optOut = directives.length ? isOptedOut(headerValues(response.headers["x-robots-tag"]), directives) : null;
      if (optOut) {
        response.destroy();
        return result("opted_out", optOut, hop);
      }
      const declared = Number(response.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) {
        response.destroy();
        return result("too_large", `Content-Length ${declared} exceeds maxBytes ${maxBytes}`, hop);
      }
      const encoding = String(response.headers["content-encoding"] ?? "identity").toLowerCase().trim();
      const decoder = encoding === "gzip" || encoding === "x-gzip" ? createGunzip() : encoding === "deflate" ? createInflate() : encoding === "br" ? createBrotliDecompress() : null;
      const body: AsyncIterable<Buffer> = decoder ? response.pipe(decoder) : response;
      if (decoder) response.on("error", (e) => decoder.destroy(e));
      const chunks: Buffer[] = [];
      for await (const chunk of body) {
        received += chunk.byteLength;
        if (received > maxBytes) {
          response.destroy();
          decoder?.destroy();
          return result("too_large", `body exceeds maxBytes ${maxBytes}`, hop);
        }
        chunks.push(chunk);
      }
      if (!response.complete) return result("truncated", `connection closed after ${received} bytes of the body`, hop);
      return result("ok", null, { ...hop, body: Buffer.concat(chunks) });
    }
  } catch (error) {
    const { status, message } = errorStatus(error, timedOut, received);
    return result(status, message, { ...lastHop, redirects, finalUrl: current.href });
  } finally {
    clearTimeout(timer);
  }
}
