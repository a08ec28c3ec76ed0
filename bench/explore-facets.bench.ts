// Facet-update latency of the dataset explorer at 1,000,000 rows (the page's generated dataset), in Debian's headless Chromium.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Page } from "playwright-core";
import { DIST, openSession, visit } from "../test/browser/harness.js";
import type { Benchmark, SelfTimed } from "./harness.js";

const ROWS = 1_000_000;

/** Facet clicks measured per scenario: tick and untick values of three facets and set and clear a range. */
const STEPS: { label: string; act(page: Page): Promise<unknown> }[] = [
  { label: "tick noise class good", act: (p) => p.check('fieldset[data-facet=noise_class] input[value="good"]') },
  { label: "tick style flat", act: (p) => p.check('fieldset[data-facet=style] input[value="flat"]') },
  { label: "tick first category", act: (p) => p.check("fieldset[data-facet=category] input >> nth=0") },
  { label: "words >= 8", act: async (p) => { await p.fill('input[data-focus-key="range:words:min"]', "8"); await p.press('input[data-focus-key="range:words:min"]', "Enter"); } },
  { label: "tick second domain", act: (p) => p.check("fieldset[data-facet=domain] input >> nth=1") },
  { label: "words: all", act: (p) => p.click('[data-range=words] button') },
  // click, not uncheck: the box is re-rendered, and uncheck() would look for a checked box again.
  { label: "untick category", act: (p) => p.click("fieldset[data-facet=category] input:checked >> nth=0") },
  { label: "untick flat", act: (p) => p.uncheck('fieldset[data-facet=style] input[value="flat"]') },
  { label: "untick good", act: (p) => p.uncheck('fieldset[data-facet=noise_class] input[value="good"]') },
  { label: "untick domain", act: (p) => p.click("fieldset[data-facet=domain] input:checked >> nth=0") },
];

export interface ExploreMeasurements {
  loadMs: number;
  /** Per scenario: in-page update time (queries + render) per step, the click-to-ready time seen from Node, and the word lists' time. */
  scenarios: Record<string, { page: number[]; wall: number[]; words: number[] }>;
}

async function settle(page: Page, updates: number, words: number): Promise<void> {
  await page.waitForFunction(([u, w]) => {
    const root = document.querySelector<HTMLElement>("#explorer")!, ws = document.querySelector<HTMLElement>("#explore-words-section")!;
    return Number(root.dataset.updates) > u! && root.dataset.state === "ready" && Number(ws.dataset.updates ?? 0) > w! && ws.dataset.state === "ready";
  }, [updates, words], { timeout: 120_000 });
}

const counters = (page: Page) => page.evaluate(() => [Number(document.querySelector<HTMLElement>("#explorer")!.dataset.updates), Number(document.querySelector<HTMLElement>("#explore-words-section")!.dataset.updates ?? 0)] as const);

let measured: Promise<ExploreMeasurements | { skipped: string }> | undefined;

/** Drives the page once for all three benchmarks below. */
export function measureExplorer(): Promise<ExploreMeasurements | { skipped: string }> {
  measured ??= (async () => {
    if (!existsSync(join(DIST, "pages", "explore.html"))) return { skipped: "dist/pages/explore.html missing: run `npm run build` first" };
    const session = await openSession();
    try {
      const started = performance.now();
      const view = await visit(session, `/pages/explore?dataset=generated&rows=${ROWS}`);
      await view.page.waitForSelector("#explorer[data-state=ready]", { timeout: 300_000 });
      await view.page.waitForSelector("#explore-words-section[data-state=ready]", { timeout: 120_000 });
      const loadMs = performance.now() - started;
      const scenarios: ExploreMeasurements["scenarios"] = {};
      for (const [name, search] of [["no search", ""], ["search \"red car\"", "red car"]] as const) {
        const [u0, w0] = await counters(view.page);
        await view.page.fill("#explore-search", search);
        await view.page.press("#explore-search", "Enter");
        await settle(view.page, u0, w0);
        const result = { page: [] as number[], wall: [] as number[], words: [] as number[] };
        for (const step of STEPS) {
          const [u, w] = await counters(view.page);
          const t = performance.now();
          await step.act(view.page);
          await view.page.waitForFunction((n) => Number(document.querySelector<HTMLElement>("#explorer")!.dataset.updates) > n && document.querySelector<HTMLElement>("#explorer")!.dataset.state === "ready", u, { timeout: 120_000 });
          result.wall.push(performance.now() - t);
          await settle(view.page, u, w);
          const [pageMs, wordsMs, timings] = await view.page.evaluate(() => [Number(document.querySelector<HTMLElement>("#explorer")!.dataset.lastUpdateMs), Number(document.querySelector<HTMLElement>("#explore-words-section")!.dataset.lastMs), document.querySelector<HTMLElement>("#explorer")!.dataset.timings ?? ""] as const);
          result.page.push(pageMs);
          result.words.push(wordsMs);
          console.log(`  ${name}: ${step.label}: update ${pageMs} ms in the page, ${Math.round(result.wall.at(-1)!)} ms click to ready; word lists ${wordsMs} ms; queries ${timings}`);
        }
        scenarios[name] = result;
      }
      if (view.errors.length) return { skipped: `page errors: ${view.errors.join("; ")}` };
      await view.context.close();
      return { loadMs, scenarios };
    } catch (error) {
      return { skipped: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
    } finally {
      await session.close();
    }
  })();
  return measured;
}

function stats(samples: number[]): SelfTimed {
  const sorted = [...samples].sort((a, b) => a - b);
  return { repetitions: sorted.length, medianMs: sorted[Math.floor(sorted.length / 2)]!, minMs: sorted[0]!, items: 1 };
}

function facetBench(scenario: string, key: "page" | "words", name: string, workload: string): Benchmark {
  return {
    name,
    unit: "updates",
    workload,
    async selfTimed() {
      const m = await measureExplorer();
      if ("skipped" in m) return m;
      const samples = m.scenarios[scenario]![key];
      console.log(`  ${name}: max ${Math.max(...samples)} ms over ${samples.length} updates`);
      return stats(samples);
    },
  };
}

export const exploreBenchmarks: Benchmark[] = [
  {
    name: "explore-load-1m",
    unit: "loads",
    workload: `dataset explorer: open the page with the generated dataset of ${ROWS.toLocaleString("en-US")} rows (DuckDB-WASM generates and prepares it, first update and word lists) in headless Chromium, once`,
    async selfTimed() {
      const m = await measureExplorer();
      return "skipped" in m ? m : { repetitions: 1, medianMs: m.loadMs, minMs: m.loadMs, items: 1 };
    },
  },
  facetBench("no search", "page", "explore-facet-1m", `dataset explorer, ${ROWS.toLocaleString("en-US")} rows: one facet or range change → count, 4 facet lists, 2 histograms and a grid page queried and drawn (in-page time, ${STEPS.length} changes; build the site first)`),
  facetBench("search \"red car\"", "page", "explore-facet-search-1m", `the same ${STEPS.length} changes with a substring search active`),
  facetBench("no search", "words", "explore-words-1m", `dataset explorer, ${ROWS.toLocaleString("en-US")} rows: top words, word pairs and hypernyms after each change (seeded sample of 50,000 selected rows)`),
];
