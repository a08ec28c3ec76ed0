import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_REQUEST_HEADER_BYTES, startStaticServer, type RunningServer } from "../../src/cli/static-server.js";
import { DEFAULT_STATE, linkQuery, MAX_LINK_CHARS } from "../../src/lib/explore/index.js";

/** A raw GET that does not normalise the path (fetch would resolve "../" itself). */
function get(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { path, method: "GET", headers }, (res) => {
      let body = "";
      res.setEncoding("utf-8").on("data", (c: string) => (body += c)).on("end", () =>
        done({ status: res.statusCode ?? 0, type: res.headers["content-type"], body }),
      );
    });
    req.on("error", fail).end();
  });
}

describe("startStaticServer()", () => {
  let server: RunningServer;
  let root: string;

  beforeAll(async () => {
    const base = mkdtempSync(join(tmpdir(), "ccw-serve-"));
    root = join(base, "site");
    mkdirSync(join(root, "pages"), { recursive: true });
    writeFileSync(join(root, "index.html"), "home");
    writeFileSync(join(root, "pages", "attrition.html"), "attrition");
    writeFileSync(join(root, "db.wasm"), "\0asm");
    writeFileSync(join(root, "t.arrow"), "ARROW");
    writeFileSync(join(base, "secret.txt"), "secret");
    server = await startStaticServer({ root, port: 0 });
  });
  afterAll(async () => server?.close());

  it("binds the loopback interface and reports its URL", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it("serves index.html for / and clean URLs for pages", async () => {
    expect((await get(server.url, "/")).body).toBe("home");
    expect((await get(server.url, "/pages/attrition")).body).toBe("attrition");
  });

  it("serves wasm as application/wasm and Arrow with its media type", async () => {
    expect((await get(server.url, "/db.wasm")).type).toBe("application/wasm");
    expect((await get(server.url, "/t.arrow")).type).toBe("application/vnd.apache.arrow.file");
  });

  it("never serves a file outside its root", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/pages/..%2f..%2fsecret.txt"]) {
      const res = await get(server.url, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain("secret");
    }
  });

  it("answers 404 for missing files and malformed escapes instead of crashing", async () => {
    expect((await get(server.url, "/nope.js")).status).toBe(404);
    expect((await get(server.url, "/%E0%A4%A")).status).toBe(404);
    expect((await get(server.url, "/")).status).toBe(200);
  });

  it("accepts the longest link the explorer writes, with a browser's cookies beside it", async () => {
    // A long search and SQL query in non-ASCII text: percent-encoding triples their length.
    const state = { ...DEFAULT_STATE, search: "ü".repeat(1200), sql: `SELECT '${"ß".repeat(5000)}'`, facets: { style: Array.from({ length: 50 }, (_, i) => `style ${i}`) } };
    const { query, omitted } = linkQuery(state);
    expect(query.length).toBeLessThanOrEqual(MAX_LINK_CHARS);
    expect(query.length).toBeGreaterThan(7000);
    expect(omitted).toEqual(["the SQL query"]);
    const cookies = { Cookie: `a=${"c".repeat(9000)}`, "User-Agent": "x".repeat(500) };
    const res = await get(server.url, `/pages/attrition?${query}`, cookies);
    expect(res.status).toBe(200);
    expect(res.body).toBe("attrition");
    expect(query.length + cookies.Cookie.length).toBeGreaterThan(16 * 1024); // over Node's default limit, which answers 431
  });

  it("answers 431 to request headers over its limit instead of crashing", async () => {
    const res = await get(server.url, `/?q=${"x".repeat(MAX_REQUEST_HEADER_BYTES)}`);
    expect(res.status).toBe(431);
    expect((await get(server.url, "/")).status).toBe(200);
  });
});
