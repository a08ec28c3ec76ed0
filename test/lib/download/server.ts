// A local HTTP server on 127.0.0.1 for downloader tests: generated images of several formats and
// sizes, and every way the open web misbehaves (truncation, wrong types, redirects, slowness,
// errors, opt-out headers). Requests are counted per path so tests can check resume behaviour.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { makeImage, pngHeader } from "../images/fixtures.js";

export interface TestServer {
  base: string;
  port: number;
  hits: Map<string, number>;
  /** Paths that answer 500 until `heal()` is called. */
  broken: Set<string>;
  close(): Promise<void>;
}

export async function startImageServer(): Promise<TestServer> {
  const images: Record<string, { body: Buffer; type: string }> = {
    "/img/photo.jpg": { body: await makeImage("jpeg", 640, 480), type: "image/jpeg" },
    "/img/wide.jpg": { body: await makeImage("jpeg-progressive", 1200, 300), type: "image/jpeg" },
    "/img/logo.png": { body: await makeImage("png", 120, 80), type: "image/png" },
    "/img/anim.gif": { body: await makeImage("gif", 64, 64), type: "image/gif" },
    "/img/pic.webp": { body: await makeImage("webp", 500, 401), type: "image/webp" },
    "/img/old.bmp": { body: await makeImage("bmp", 33, 17), type: "image/bmp" },
  };
  const photo = images["/img/photo.jpg"]!.body;
  const big = await makeImage("png", 800, 800);
  const hits = new Map<string, number>();
  const broken = new Set<string>();
  const flakyCount = new Map<string, number>();

  const send = (res: ServerResponse, body: Buffer, type: string, headers: Record<string, string> = {}) => {
    res.writeHead(200, { "Content-Type": type, "Content-Length": String(body.length), ...headers });
    res.end(body);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (broken.has(path)) {
      res.writeHead(500).end("broken");
      return;
    }
    const image = images[path];
    if (image) return send(res, image.body, image.type);
    const redirect = path.match(/^\/redirect\/(\d+)$/);
    if (redirect) {
      const n = Number(redirect[1]);
      res.writeHead(302, { Location: n > 1 ? `/redirect/${n - 1}` : "/img/photo.jpg" }).end();
      return;
    }
    switch (path) {
      case "/echo-ua":
        return send(res, photo, "image/jpeg", { "X-Seen-UA": String(req.headers["user-agent"]) });
      case "/wrong-type.jpg": // a real PNG, labelled as HTML
        return send(res, images["/img/logo.png"]!.body, "text/html; charset=utf-8");
      case "/html-as-image.jpg":
        return send(res, Buffer.from("<!doctype html><title>Not found</title><p>sorry"), "image/jpeg");
      case "/truncated.jpg":
        return send(res, photo.subarray(0, Math.floor(photo.length / 2)), "image/jpeg");
      case "/cut-connection.jpg":
        res.writeHead(200, { "Content-Type": "image/jpeg", "Content-Length": String(photo.length) });
        res.write(photo.subarray(0, 1000), () => res.destroy());
        return;
      case "/reset":
        req.socket.destroy(); // hang up before any response
        return;
      case "/slow.jpg":
        setTimeout(() => send(res, photo, "image/jpeg"), 3000).unref();
        return;
      case "/slow-body.jpg": {
        res.writeHead(200, { "Content-Type": "image/jpeg", "Content-Length": String(photo.length) });
        res.write(photo.subarray(0, 100));
        setTimeout(() => res.end(photo.subarray(100)), 3000).unref();
        return;
      }
      case "/missing.jpg":
        res.writeHead(404, { "Content-Type": "text/html" }).end("<h1>404</h1>");
        return;
      case "/loop":
        res.writeHead(301, { Location: "/loop" }).end();
        return;
      case "/redirect-no-location":
        res.writeHead(302).end();
        return;
      case "/to-metadata":
        res.writeHead(302, { Location: "http://169.254.169.254/latest/meta-data/" }).end();
        return;
      case "/to-ftp":
        res.writeHead(302, { Location: "ftp://files.example.com/x.jpg" }).end();
        return;
      case "/noai.jpg":
        return send(res, photo, "image/jpeg", { "X-Robots-Tag": "noai" });
      case "/noimageai-list.jpg":
        return send(res, photo, "image/jpeg", { "X-Robots-Tag": "noindex, NoImageAI" });
      case "/noai-other-bot.jpg":
        return send(res, photo, "image/jpeg", { "X-Robots-Tag": "otherbot: noai" });
      case "/noai-for-ccw.jpg":
        return send(res, photo, "image/jpeg", { "X-Robots-Tag": "ccw: noimageai" });
      case "/big.png":
        return send(res, big, "image/png");
      case "/big-chunked.png":
        res.writeHead(200, { "Content-Type": "image/png" }); // no Content-Length: chunked
        res.end(big);
        return;
      case "/bomb.png":
        return send(res, pngHeader(50_000, 50_000), "image/png");
      case "/huge-header.png": // a width no int32 column holds
        return send(res, pngHeader(0xffff_ffff, 1), "image/png");
      case "/gzip.jpg": {
        const body = gzipSync(photo);
        return send(res, body, "image/jpeg", { "Content-Encoding": "gzip" });
      }
      case "/flaky.jpg": {
        const key = url.searchParams.get("k") ?? "";
        const n = (flakyCount.get(key) ?? 0) + 1;
        flakyCount.set(key, n);
        if (n === 1) {
          res.writeHead(503).end("try again");
          return;
        }
        return send(res, photo, "image/jpeg");
      }
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    hits,
    broken,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
