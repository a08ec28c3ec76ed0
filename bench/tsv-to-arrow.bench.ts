import { CAPTION_COLUMNS, openTableSink, readCc3mTsv } from "../src/lib/sources/index.js";
import type { Benchmark } from "./harness.js";

const N = 200_000;

export const tsvToArrow: Benchmark = {
  name: "tsv-to-arrow",
  unit: "rows",
  workload: `${N.toLocaleString("en-US")}-line CC3M TSV (~${"caption".length + 60} chars/line) in memory → readCc3mTsv (validated) → Arrow IPC stream, 10,000-row batches`,
  async setup() {
    const words = ["actor", "attends", "the", "premiere", "of", "a", "film", "at", "festival", "dog", "runs", "on", "beach"];
    const lines = Array.from({ length: N }, (_, i) => {
      const caption = Array.from({ length: 6 + (i % 8) }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(" ");
      return `${caption} .\thttps://images.example.com/photos/${i}/${(i * 2654435761) % 1e9}.jpg`;
    });
    const bytes = new TextEncoder().encode(`${lines.join("\n")}\n`);
    return async () => {
      let outBytes = 0;
      const sink = await openTableSink(CAPTION_COLUMNS, "arrow", (c) => void (outBytes += c.byteLength));
      for await (const batch of readCc3mTsv(bytes)) await sink.write(batch.rows);
      const rows = await sink.close();
      if (rows !== N || outBytes === 0) throw new Error(`expected ${N} rows, wrote ${rows}`);
      return rows;
    };
  },
};
