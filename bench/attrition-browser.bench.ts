// Threshold-update latency of the attrition page: the funnel recomputed in DuckDB-WASM over 100,000 candidates, in Debian's Chromium.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DIST, openSession, visit } from "../test/browser/harness.js";
import type { Benchmark } from "./harness.js";

const CANDIDATES = 100_000;
/** Minimum-size values the slider is moved through; each move is one timed recompute. */
const MOVES = [300, 200, 500, 400, 250];

export const attritionThresholdUpdate: Benchmark = {
  name: "attrition-threshold-update",
  unit: "candidates",
  workload: `attrition page, minimum-size slider moved ${MOVES.length} times, funnel recomputed in DuckDB-WASM over ${CANDIDATES.toLocaleString("en-US")} candidates (the synthetic crawl repeated) in headless Chromium (median of the moves, as the page times them; build the site first)`,
  async selfTimed() {
    if (!existsSync(join(DIST, "pages", "attrition.html"))) return { skipped: "dist/pages/attrition.html missing: run `npm run build` first" };
    const session = await openSession();
    try {
      const view = await visit(session, `/pages/attrition?candidates=${CANDIDATES}`);
      await view.page.waitForSelector("#attrition-timing", { timeout: 120_000 });
      const times: number[] = [];
      for (const value of MOVES) {
        const before = await view.page.locator("#attrition-timing").textContent();
        await view.page.locator('form[data-key="image.minSidePx"] input[type=number]').fill(String(value));
        // The timing paragraph is re-rendered once the recompute has finished.
        await view.page.waitForFunction((b) => document.querySelector("#attrition-timing")?.textContent !== b, before, { timeout: 60_000 }).catch(() => undefined);
        const text = (await view.page.locator("#attrition-timing").textContent()) ?? "";
        const match = /over ([\d,]+) candidates in ([\d.]+) ms/.exec(text);
        if (!match || Number(match[1]!.replace(/,/g, "")) !== CANDIDATES) return { skipped: `no timing for ${CANDIDATES} candidates (${text || view.errors.join("; ")})` };
        times.push(Number(match[2]));
      }
      await view.context.close();
      const sorted = [...times].sort((a, b) => a - b);
      return { repetitions: times.length, medianMs: sorted[Math.floor(sorted.length / 2)]!, minMs: sorted[0]!, items: CANDIDATES };
    } catch (error) {
      return { skipped: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
    } finally {
      await session.close();
    }
  },
};
