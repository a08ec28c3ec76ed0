import { WARCRecord, WARCSerializer } from "warcio";
import { readWarc } from "../src/lib/sources/index.js";
import type { Benchmark } from "./harness.js";

const PAGES = 500;
const IMGS = 20;

function page(p: number): string {
  const body = Array.from({ length: IMGS }, (_, i) =>
    `<div class="card"><p>Story ${p}.${i}: a paragraph of text around the picture, long enough to count.</p>` +
    `<img src="/media/${p}/${i}.jpg" alt="A dog runs on the beach at sunset, photo ${i}" width="640" height="480"></div>`,
  ).join("\n");
  return `<!doctype html><html><head><title>Page ${p}</title><script>var x = "<img src=no.jpg>";</script></head><body>${body}</body></html>`;
}

export const warcToCandidates: Benchmark = {
  name: "warc-to-candidates",
  unit: "candidates",
  workload: `gzipped WARC, ${PAGES} HTML responses × ${IMGS} <img> (~6 KB pages) in memory → readWarc → image/alt-text candidates`,
  async setup() {
    const parts: Uint8Array[] = [];
    for (let p = 0; p < PAGES; p++) {
      const record = await WARCRecord.create(
        { url: `https://site${p % 17}.example.com/story/${p}.html`, date: "2024-05-01T00:00:00Z", type: "response", warcVersion: "WARC/1.1", httpHeaders: { "Content-Type": "text/html; charset=utf-8" } },
        (async function* () {
          yield new TextEncoder().encode(page(p));
        })(),
      );
      parts.push(await WARCSerializer.serialize(record, { gzip: true }));
    }
    const bytes = new Uint8Array(parts.reduce((n, x) => n + x.byteLength, 0));
    let o = 0;
    for (const x of parts) {
      bytes.set(x, o);
      o += x.byteLength;
    }
    return async () => {
      let candidates = 0;
      for await (const batch of readWarc(bytes)) candidates += batch.rows.length;
      if (candidates !== PAGES * IMGS) throw new Error(`expected ${PAGES * IMGS} candidates, got ${candidates}`);
      return candidates;
    };
  },
};
