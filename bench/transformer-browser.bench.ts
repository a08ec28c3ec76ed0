// Tokens/s the transformer page samples per TF.js backend, in Debian's Chromium (software WebGPU/WebGL here).
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ElementHandle } from "playwright-core";
import { DIST, openSession, visit } from "../test/browser/harness.js";
import type { Benchmark } from "./harness.js";

const GENERATIONS = 3;

/** The sampling measurement the page shows after a generation: tokens drawn and seconds spent drawing them. */
async function measurement(speed: ElementHandle<Element>): Promise<{ tokens: number; ms: number }> {
  const [tokens, seconds] = await speed.evaluate((el) => [Number((el as HTMLElement).dataset.tokens), Number((el as HTMLElement).dataset.seconds)]);
  return { tokens: tokens!, ms: seconds! * 1000 };
}

function transformerPage(backend: "wasm" | "webgl" | "webgpu" | "cpu"): Benchmark {
  return {
    name: `transformer-page-${backend}`,
    unit: "tokens",
    workload: `transformer page, the default prompt's 4 samples × 64 image tokens drawn with the key/value cache on ${backend} in headless Chromium (after the page's first generation, which compiles shaders; median of ${GENERATIONS} Generate presses; software adapters here; build the site first)`,
    async selfTimed() {
      if (!existsSync(join(DIST, "pages", "transformer.html"))) return { skipped: "dist/pages/transformer.html missing: run `npm run build` first" };
      const session = await openSession({ webgpu: backend === "webgpu" });
      try {
        const view = await visit(session, `/pages/transformer?backend=${backend}`);
        const speed = () => view.page.waitForSelector("#transformer-speed[data-seconds]", { timeout: 300_000 });
        let current = await speed();
        const times: number[] = [];
        let tokens = 0;
        for (let i = 0; i < GENERATIONS; i++) {
          await view.page.getByRole("button", { name: "Generate" }).click();
          // The speed line is redrawn once the new generation is done.
          await view.page.waitForFunction((old) => document.querySelector("#transformer-speed[data-seconds]") && document.querySelector("#transformer-speed") !== old, current, { timeout: 300_000 });
          current = await speed();
          const m = await measurement(current);
          times.push(m.ms);
          tokens = m.tokens;
        }
        if (view.errors.length) return { skipped: `errors on the page: ${view.errors[0]!.split("\n")[0]}` };
        await view.context.close();
        times.sort((a, b) => a - b);
        return { repetitions: GENERATIONS, medianMs: times[Math.floor(GENERATIONS / 2)]!, minMs: times[0]!, items: tokens };
      } catch (error) {
        return { skipped: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
      } finally {
        await session.close();
      }
    },
  };
}

export const transformerPageBenchmarks = (["wasm", "webgl", "webgpu", "cpu"] as const).map(transformerPage);
