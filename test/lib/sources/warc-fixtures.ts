// Builds WARC files in memory with warcio's own serializer, so tests read what real tools write.
import { WARCRecord, WARCSerializer } from "warcio";

export interface FakeResponse {
  url: string;
  contentType?: string;
  status?: number;
  body: Uint8Array | string;
  type?: "response" | "request" | "metadata";
}

export async function warcRecord(r: FakeResponse, gzip: boolean): Promise<Uint8Array> {
  const body = typeof r.body === "string" ? new TextEncoder().encode(r.body) : r.body;
  const record = await WARCRecord.create(
    {
      url: r.url,
      date: "2024-05-01T12:00:00Z",
      type: r.type ?? "response",
      warcVersion: "WARC/1.1",
      statusline: `HTTP/1.1 ${r.status ?? 200} ${r.status === 404 ? "Not Found" : "OK"}`,
      httpHeaders: r.type === "metadata" ? undefined : { "Content-Type": r.contentType ?? "text/html" },
    },
    (async function* () {
      yield body;
    })(),
  );
  return WARCSerializer.serialize(record, { gzip });
}

export async function makeWarc(responses: FakeResponse[], gzip: boolean): Promise<{ bytes: Uint8Array; offsets: number[] }> {
  const parts = await Promise.all(responses.map((r) => warcRecord(r, gzip)));
  const offsets: number[] = [];
  let total = 0;
  for (const p of parts) {
    offsets.push(total);
    total += p.byteLength;
  }
  const bytes = new Uint8Array(total);
  parts.forEach((p, i) => bytes.set(p, offsets[i]!));
  return { bytes, offsets };
}

/** A record written by hand, so its headers can lie: `contentLength` overrides the true length of HTTP head + body. */
export interface RawRecord {
  type?: string;
  id?: string;
  url?: string;
  /** HTTP header fields (a response's status line is `HTTP/1.1 <status> OK`); omitted for non-HTTP records. */
  http?: Record<string, string>;
  status?: number;
  body: Uint8Array | string;
  contentLength?: number | string | null;
}

const encode = (s: string) => new TextEncoder().encode(s);

/** One WARC record's bytes (plain; gzip it with `gzipSync` for a per-record member). */
export function rawRecord(r: RawRecord): Uint8Array {
  const body = typeof r.body === "string" ? encode(r.body) : r.body;
  const http = r.http ? encode(`HTTP/1.1 ${r.status ?? 200} OK\r\n${Object.entries(r.http).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`) : new Uint8Array(0);
  const length = r.contentLength === undefined ? http.byteLength + body.byteLength : r.contentLength;
  const head = encode(
    `WARC/1.1\r\nWARC-Type: ${r.type ?? "response"}\r\nWARC-Record-ID: <urn:uuid:${r.id ?? "00000000-0000-0000-0000-000000000000"}>\r\n` +
      `WARC-Date: 2024-05-01T12:00:00Z\r\n${r.url ? `WARC-Target-URI: ${r.url}\r\n` : ""}${length === null ? "" : `Content-Length: ${length}\r\n`}` +
      `Content-Type: application/http; msgtype=response\r\n\r\n`,
  );
  return concatBytes([head, http, body, encode("\r\n\r\n")]);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
