// Encode + decode latency of the dVAE page per TF.js backend, in Debian's Chromium (software WebGPU/WebGL here).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DIST, openSession, visit } from "../test/browser/harness.js";
import type { Benchmark } from "./harness.js";

const LOADS = 3;

function dvaePage(backend: "wasm" | "webgl" | "webgpu" | "cpu"): Benchmark {
  return {
    name: `dvae-page-${backend}`,
    unit: "images",
    workload: `dVAE page, the first 64×64 image after page load encoded and decoded on ${backend} in headless Chromium, so WebGL/WebGPU include compiling their shaders (software adapters here; median of ${LOADS} page loads; build the site first)`,
    async selfTimed() {
      if (!existsSync(join(DIST, "pages", "dvae.html"))) return { skipped: "dist/pages/dvae.html missing: run `npm run build` first" };
      const session = await openSession({ webgpu: backend === "webgpu" });
      try {
        const times: number[] = [];
        for (let i = 0; i < LOADS; i++) {
          const view = await visit(session, `/pages/dvae?backend=${backend}`);
          // The timing text fills in once the first decode is done (software WebGPU compiles shaders first).
          await view.page.waitForFunction(() => /decode [\d.]+ ms/.test(document.querySelector("#dvae-timing")?.textContent ?? ""), null, { timeout: 180_000 });
          const text = (await view.page.locator("#dvae-timing").textContent()) ?? "";
          const match = /encode ([\d.]+) ms, decode ([\d.]+) ms/.exec(text);
          await view.context.close();
          if (!match) return { skipped: `no timing on the page (${text || view.errors.join("; ")})` };
          times.push(Number(match[1]) + Number(match[2]));
        }
        times.sort((a, b) => a - b);
        return { repetitions: LOADS, medianMs: times[Math.floor(LOADS / 2)]!, minMs: times[0]!, items: 1 };
      } catch (error) {
        return { skipped: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
      } finally {
        await session.close();
      }
    },
  };
}

export const dvaePageBenchmarks = (["wasm", "webgl", "webgpu", "cpu"] as const).map(dvaePage);
