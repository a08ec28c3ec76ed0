import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC, fromParquet } from "../../../src/lib/arrow/index.js";
import { downloadImages, fetchBytes, type DownloadItem, type DownloadOptions, type DownloadStats, type StatusRow } from "../../../src/lib/download/index.js";
import { startImageServer, type TestServer } from "./server.js";

let server: TestServer;
let tmp: string;
let runs = 0;

beforeAll(async () => {
  server = await startImageServer();
  tmp = await mkdtemp(join(tmpdir(), "ccw-download-"));
});
afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

// The test server is on loopback, so every test that should reach it allows private addresses explicitly.
const LOCAL: DownloadOptions = { allowPrivate: true, timeoutMs: 1000, retries: 0, concurrency: 4 };

async function* items(paths: string[]): AsyncGenerator<DownloadItem> {
  for (const [i, p] of paths.entries()) yield { key: i + 1, url: p.includes("://") ? p : `${server.base}${p}`, caption: `caption ${i + 1}` };
}

async function run(paths: string[], options: DownloadOptions = {}, out = join(tmp, `run-${++runs}`)) {
  const stats = await downloadImages(items(paths), out, { ...LOCAL, ...options });
  const table = fromArrowIPC(readFileSync(join(out, "status.arrow")));
  const rows = table.toArray().map((r) => r.toJSON() as unknown as StatusRow).sort((a, b) => a.key! - b.key!);
  return { stats, rows, out, byKey: (k: number) => rows.find((r) => r.key === k)! };
}

describe("downloadImages(): every URL ends with a status", () => {
  it("saves images of every format, with facts read from the bytes", async () => {
    const { rows, stats, out } = await run(["/img/photo.jpg", "/img/wide.jpg", "/img/logo.png", "/img/anim.gif", "/img/pic.webp", "/img/old.bmp"]);
    expect(rows.map((r) => [r.status, r.format, r.width, r.height])).toEqual([
      ["ok", "jpeg", 640, 480], ["ok", "jpeg", 1200, 300], ["ok", "png", 120, 80], ["ok", "gif", 64, 64], ["ok", "webp", 500, 401], ["ok", "bmp", 33, 17],
    ]);
    expect(rows[0]!.path).toBe("images/00000/000000001.jpg");
    expect(rows[5]!.path).toBe("images/00000/000000006.bmp");
    const meta = await sharp(join(out, rows[4]!.path!)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 500, 401]);
    expect(rows[0]!.caption).toBe("caption 1");
    expect(stats.counts.ok).toBe(6);
    expect(stats.success_rate).toBe(1);
  });

  it("trusts the bytes, not the Content-Type", async () => {
    const { rows } = await run(["/wrong-type.jpg", "/html-as-image.jpg"]);
    expect(rows.map((r) => [r.status, r.format, r.content_type])).toEqual([
      ["ok", "png", "text/html; charset=utf-8"],
      ["not_an_image", null, "image/jpeg"],
    ]);
    expect(rows[1]!.path).toBeNull();
    expect(rows[1]!.message).toMatch(/served as image\/jpeg/);
  });

  it("marks cut-off files and cut-off connections as truncated", async () => {
    const { rows } = await run(["/truncated.jpg", "/cut-connection.jpg"]);
    expect(rows.map((r) => r.status)).toEqual(["truncated", "truncated"]);
    expect(rows.every((r) => r.path === null)).toBe(true);
  });

  it("times out slow headers and slow bodies under one deadline", async () => {
    const started = performance.now();
    const { rows } = await run(["/slow.jpg", "/slow-body.jpg"], { timeoutMs: 300 });
    expect(rows.map((r) => r.status)).toEqual(["timeout", "timeout"]);
    expect(performance.now() - started).toBeLessThan(2500);
  });

  it("reports refused connections and hang-ups as network_error", async () => {
    const { createServer } = await import("node:net");
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const { rows } = await run([`http://127.0.0.1:${port}/x.jpg`, "/reset"]);
    expect(rows.map((r) => r.status)).toEqual(["network_error", "network_error"]);
    expect(rows[0]!.message).toMatch(/ECONNREFUSED/);
  });

  it("records HTTP errors with their status code", async () => {
    const { rows } = await run(["/missing.jpg", "/redirect-no-location"]);
    expect(rows.map((r) => [r.status, r.http_status])).toEqual([["http_error", 404], ["http_error", 302]]);
  });

  it("follows redirects up to maxRedirects and stops loops", async () => {
    const { rows } = await run(["/redirect/3", "/redirect/4", "/loop"], { maxRedirects: 3 });
    expect(rows.map((r) => [r.status, r.redirects])).toEqual([["ok", 3], ["too_many_redirects", 4], ["too_many_redirects", 4]]);
    expect(rows[0]!.final_url).toBe(`${server.base}/img/photo.jpg`);
  });

  it("honours X-Robots-Tag opt-outs addressed to everyone or to ccw", async () => {
    const { rows } = await run(["/noai.jpg", "/noimageai-list.jpg", "/noai-for-ccw.jpg", "/noai-other-bot.jpg"]);
    expect(rows.map((r) => r.status)).toEqual(["opted_out", "opted_out", "opted_out", "ok"]);
    expect(rows[0]!.message).toBe("X-Robots-Tag: noai");
  });

  it("refuses bodies over maxBytes, declared or streamed", async () => {
    const { rows } = await run(["/big.png", "/big-chunked.png", "/img/photo.jpg"], { maxBytes: 100_000 });
    expect(rows.map((r) => r.status)).toEqual(["too_large", "too_large", "ok"]);
    expect(rows[0]!.message).toMatch(/Content-Length \d+ exceeds maxBytes 100000/);
    expect(rows[1]!.message).toMatch(/body exceeds maxBytes 100000/);
  });

  it("refuses a declared pixel count over maxPixels without decoding", async () => {
    const { rows } = await run(["/bomb.png", "/img/photo.jpg"], { maxPixels: 100_000 });
    expect(rows.map((r) => [r.status, r.width, r.height])).toEqual([["too_many_pixels", 50_000, 50_000], ["too_many_pixels", 640, 480]]);
  });

  it("refuses URLs that are not http(s), before and after redirects", async () => {
    const { rows } = await run(["ftp://files.example.com/a.jpg", "javascript:alert(1)", "not a url", "file:///etc/passwd", "/to-ftp"]);
    expect(rows.map((r) => r.status)).toEqual(["bad_url", "bad_url", "bad_url", "bad_url", "bad_url"]);
  });

  it("decodes a compressed body and sends its User-Agent", async () => {
    const { rows } = await run(["/gzip.jpg", "/echo-ua"], { userAgent: "ccw-test/1" });
    expect(rows.map((r) => [r.status, r.width])).toEqual([["ok", 640], ["ok", 640]]);
    const direct = await fetchBytes(`${server.base}/echo-ua`, { allowPrivate: true, userAgent: "ccw-test/1" });
    expect(direct.status).toBe("ok");
  });

  it("retries transient failures a bounded number of times", async () => {
    const { rows } = await run(["/flaky.jpg?k=a"], { retries: 1, retryDelayMs: 10 });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([["ok", 2]]);
    const none = await run(["/flaky.jpg?k=b"], { retries: 0 });
    expect(none.rows.map((r) => [r.status, r.http_status, r.attempts])).toEqual([["http_error", 503, 1]]);
  });
});

describe("downloadImages(): private-address protection", () => {
  it("refuses loopback and private IPs unless allowPrivate", async () => {
    const { rows } = await run(["/img/photo.jpg", "http://10.0.0.1/x.jpg", "http://[::1]/x.jpg", "http://169.254.169.254/latest/meta-data/"], { allowPrivate: false });
    expect(rows.map((r) => r.status)).toEqual(["blocked_address", "blocked_address", "blocked_address", "blocked_address"]);
    expect(rows[0]!.message).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(server.hits.get("/img/photo.jpg") ?? 0).toBeGreaterThanOrEqual(0);
  });

  it("checks the addresses a host name resolves to (DNS), not just IP literals", async () => {
    const fakeDns: DownloadOptions["lookup"] = (_host, _opts, cb) => cb(null, [{ address: "127.0.0.1", family: 4 }]);
    const url = `http://images.example.test:${server.port}/img/logo.png`;
    const blocked = await run([url], { allowPrivate: false, lookup: fakeDns });
    expect(blocked.rows[0]).toMatchObject({ status: "blocked_address", message: expect.stringMatching(/images\.example\.test resolves to 127\.0\.0\.1/) });
    const allowed = await run([url], { allowPrivate: true, lookup: fakeDns });
    expect(allowed.rows[0]!.status).toBe("ok");
  });

  it("re-checks every redirect hop: a redirect to a metadata address is refused", async () => {
    const before = server.hits.get("/to-metadata") ?? 0;
    const { rows } = await run(["/to-metadata"], { allowPrivate: false, allowAddresses: ["127.0.0.1"] });
    expect(rows[0]).toMatchObject({ status: "blocked_address", redirects: 1 });
    expect(rows[0]!.message).toMatch(/169\.254\.169\.254 is a link-local address/);
    expect(server.hits.get("/to-metadata")).toBe(before + 1);
  });

  it("reports unresolvable hosts as dns_error", async () => {
    const noDns: DownloadOptions["lookup"] = (host, _opts, cb) => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" }), []);
    const { rows } = await run(["http://no-such-host.invalid/x.jpg"], { lookup: noDns });
    expect(rows[0]!.status).toBe("dns_error");
  });
});

describe("downloadImages(): output, stats and resume", () => {
  it("writes status.arrow, status.parquet and stats.json that agree", async () => {
    const { out, rows, stats } = await run(["/img/photo.jpg", "/missing.jpg", "/noai.jpg"]);
    const parquet = await fromParquet(readFileSync(join(out, "status.parquet")));
    expect(parquet.numRows).toBe(3);
    expect(parquet.schema.fields.map((f) => f.name)).toContain("status");
    const json = JSON.parse(readFileSync(join(out, "stats.json"), "utf-8")) as DownloadStats;
    expect(json.total).toBe(3);
    expect(json.counts).toMatchObject({ ok: 1, http_error: 1, opted_out: 1, timeout: 0 });
    expect(json.this_run.attempted).toBe(3);
    expect(json.options).toMatchObject({ allow_private: true, retries: 0 });
    expect(stats.counts).toEqual(json.counts);
    expect(rows.map((r) => r.status)).toEqual(["ok", "http_error", "opted_out"]);
  });

  it("on re-run keeps saved images and retries only the failures", async () => {
    const out = join(tmp, "resume");
    server.broken.add("/img/anim.gif");
    const first = await run(["/img/photo.jpg", "/img/anim.gif", "/img/logo.png"], {}, out);
    expect(first.rows.map((r) => r.status)).toEqual(["ok", "http_error", "ok"]);
    const photoHits = server.hits.get("/img/photo.jpg")!;
    const gifHits = server.hits.get("/img/anim.gif")!;

    server.broken.delete("/img/anim.gif");
    const second = await run(["/img/photo.jpg", "/img/anim.gif", "/img/logo.png"], {}, out);
    expect(second.rows.map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
    expect(second.stats.this_run).toMatchObject({ attempted: 1, resumed_ok: 2 });
    expect(second.stats.total).toBe(3);
    expect(server.hits.get("/img/photo.jpg")).toBe(photoHits);
    expect(server.hits.get("/img/anim.gif")).toBe(gifHits + 1);
    expect(existsSync(join(out, "images/00000/000000002.gif"))).toBe(true);
  });

  it("re-fetches a key whose saved file has disappeared", async () => {
    const out = join(tmp, "resume-deleted");
    const first = await run(["/img/logo.png"], {}, out);
    await rm(join(out, first.rows[0]!.path!));
    const second = await run(["/img/logo.png"], {}, out);
    expect(second.stats.this_run).toMatchObject({ attempted: 1, resumed_ok: 0 });
    expect(existsSync(join(out, first.rows[0]!.path!))).toBe(true);
  });

  it("resizes when asked, recording original and saved sizes", async () => {
    const { rows, out } = await run(["/img/photo.jpg", "/img/anim.gif", "/img/wide.jpg", "/img/old.bmp"], { resize: { mode: "center_crop", size: 64 } });
    expect(rows.map((r) => [r.status, r.width, r.height, r.saved_width, r.saved_height, r.format])).toEqual([
      ["ok", 640, 480, 64, 64, "jpeg"],
      ["ok", 64, 64, 64, 64, "gif"],
      ["ok", 1200, 300, 64, 64, "jpeg"],
      // sharp's prebuilt libvips cannot decode BMP: counted, not crashed.
      ["resize_error", 33, 17, null, null, "bmp"],
    ]);
    expect(rows[1]!.path).toMatch(/\.png$/);
    const keep = await run(["/img/wide.jpg"], { resize: { mode: "keep_ratio", size: 100 } });
    expect([keep.rows[0]!.saved_width, keep.rows[0]!.saved_height]).toEqual([400, 100]);
    const border = await run(["/img/wide.jpg"], { resize: { mode: "border", size: 100 } });
    expect([border.rows[0]!.saved_width, border.rows[0]!.saved_height]).toEqual([100, 100]);
    const meta = await sharp(join(out, rows[0]!.path!)).metadata();
    expect([meta.width, meta.height]).toEqual([64, 64]);
  });

  it("validates its options, naming the bad one", async () => {
    await expect(downloadImages(items([]), join(tmp, "bad"), { concurrency: 0 })).rejects.toThrow(/concurrency must be an integer >= 1/);
  });
});
