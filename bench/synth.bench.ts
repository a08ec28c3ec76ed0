import { buildCrawl } from "../src/lib/synth/node-index.js";
import type { Benchmark } from "./harness.js";

const PAGES = 40;

export const synth: Benchmark = {
  name: "synth",
  unit: "images",
  workload: `synthetic crawl of ${PAGES} pages (seed 1, all styles): generate scenes and alt-texts, render with librsvg and encode (sharp, all cores), write the gzipped WARC in memory`,
  async setup() {
    return async () => {
      let bytes = 0;
      const { crawl } = await buildCrawl({ seed: 1, pages: PAGES }, { gzip: true, warc: (chunk) => void (bytes += chunk.byteLength) });
      if (bytes === 0) throw new Error("empty WARC");
      return crawl.images.length;
    };
  },
};
