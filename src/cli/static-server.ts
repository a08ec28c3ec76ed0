import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

/** Content types for what the built site contains; wasm must be application/wasm for streaming compile. */
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".arrow": "application/vnd.apache.arrow.file",
  ".parquet": "application/vnd.apache.parquet",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".bin": "application/octet-stream",
  ".safetensors": "application/octet-stream",
};

/**
 * Request header bytes the server accepts (Node's default is 16 KiB, which a long explorer link plus a browser's
 * usual headers can pass, answered 431). Pages write links of at most 8 KiB (src/lib/explore MAX_LINK_CHARS), so
 * 64 KiB leaves room for cookies and the rest; a request over it still gets 431, never a crash.
 */
export const MAX_REQUEST_HEADER_BYTES = 64 * 1024;

export interface StaticServerOptions {
  /** Folder to serve (the built site, `dist/`). */
  root: string;
  /** Interface to bind; loopback by default so nothing is exposed. */
  host?: string;
  /** Port; 0 picks a free one. */
  port?: number;
  /** Send COOP/COEP headers so the page is cross-origin isolated (needed for wasm threads). */
  crossOriginIsolated?: boolean;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** Maps a URL path to a file under root, honouring Framework's clean URLs; null when outside root or absent. */
export async function resolveRequestPath(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split("?")[0]!.split("#")[0]!);
  } catch {
    return null; // malformed percent-encoding
  }
  if (decoded.includes("\0")) return null;
  const base = resolve(root);
  const target = normalize(join(base, decoded));
  if (target !== base && !target.startsWith(base + sep)) return null;
  const candidates = decoded.endsWith("/")
    ? [join(target, "index.html")]
    : extname(target) ? [target] : [target, `${target}.html`, join(target, "index.html")];
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  return null;
}

/** Serves a static folder over HTTP (GET/HEAD only). Used by `ccw serve` and the browser tests. */
export function startStaticServer(options: StaticServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer({ maxHeaderSize: MAX_REQUEST_HEADER_BYTES }, async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const path = await resolveRequestPath(options.root, req.url ?? "/");
    if (!path) {
      const notFound = await resolveRequestPath(options.root, "/404.html");
      res.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
      if (notFound && req.method === "GET") createReadStream(notFound).pipe(res);
      else res.end("Not found");
      return;
    }
    const headers: Record<string, string> = {
      "Content-Type": CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    };
    if (options.crossOriginIsolated) {
      headers["Cross-Origin-Opener-Policy"] = "same-origin";
      headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    }
    res.writeHead(200, headers);
    if (req.method === "HEAD") res.end();
    else createReadStream(path).on("error", () => res.destroy()).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      const shownHost = host.includes(":") ? `[${host}]` : host;
      resolvePromise({
        url: `http://${shownHost}:${port}/`,
        server,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
