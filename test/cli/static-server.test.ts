import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStaticServer, type RunningServer } from "../../src/cli/static-server.js";

/** A raw GET that does not normalise the path (fetch would resolve "../" itself). */
function get(url: string, path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { path, method: "GET" }, (res) => {
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
});
