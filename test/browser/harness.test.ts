import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, visit, type Session } from "./harness.js";

describe("the browser harness", () => {
  it("fails with install instructions when Chromium is missing", async () => {
    const saved = process.env.CCW_CHROMIUM;
    process.env.CCW_CHROMIUM = "/nonexistent/chromium";
    try {
      await expect(openSession()).rejects.toThrow(/Chromium not found at \/nonexistent\/chromium.*apt-get install -y chromium/s);
    } finally {
      if (saved === undefined) delete process.env.CCW_CHROMIUM;
      else process.env.CCW_CHROMIUM = saved;
    }
  });

  describe("on a page that misbehaves", () => {
    let session: Session;
    beforeAll(async () => {
      // A tiny site of our own whose page asks a remote host for an image and logs an error.
      const root = mkdtempSync(join(tmpdir(), "ccw-harness-"));
      writeFileSync(
        join(root, "index.html"),
        `<!doctype html><title>bad</title><img src="https://example.com/pixel.png" alt="remote">
         <script>console.error("deliberate failure")</script>`,
      );
      session = await openSession({ root });
    });
    afterAll(async () => session?.close());

    it("records and blocks requests to any origin but its own", async () => {
      const view = await visit(session, "/");
      await view.page.waitForLoadState("load");
      expect([...view.external]).toEqual(["https://example.com/pixel.png"]);
      await view.context.close();
    });

    it("records console errors", async () => {
      const view = await visit(session, "/");
      expect(view.errors.some((e) => e.includes("deliberate failure"))).toBe(true);
      await view.context.close();
    });
  });
});
