// `ccw filter merge` at cluster scale (issue 21): 200 shards of 10,000 caption-only candidates, generated synthetically
// once (bench/filter-merge-child.ts generate; kept in the temp folder), merged in a process of its own so its peak RSS
// is the merge's. The merge streams shards by Parquet row group: the target is a peak under 1 GiB.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Benchmark } from "./harness.js";

const SHARDS = 200;
const ROWS = 10_000;
const CHILD = join(import.meta.dirname, "filter-merge-child.ts");

function child(args: string[]): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", CHILD, ...args], { encoding: "utf-8", maxBuffer: 16 * 2 ** 20 });
  if (r.error || r.status !== 0) throw new Error(`filter-merge-child ${args.join(" ")} failed (${r.status}): ${r.stderr || String(r.error)}`);
  return r.stdout;
}

export const filterMerge: Benchmark = {
  name: "filter-merge-200x10000",
  unit: "candidates",
  workload: `\`mergeRun\` (what \`ccw filter merge\` runs) over ${SHARDS} shards × ${ROWS.toLocaleString("en-US")} caption-only candidates (10 distinct shard files, copied; cc3m, entity-type stage over all 2,000,000), in its own process (tsx); one run`,
  async selfTimed() {
    const dir = join(tmpdir(), `ccw-bench-filter-merge-${SHARDS}x${ROWS}`);
    // Generation is not timed and is kept between runs: finished shards are skipped.
    child(["generate", dir, String(SHARDS), String(ROWS)]);
    for (const f of ["candidates.arrow", "candidates.parquet", "funnel.arrow", "funnel.json"]) if (existsSync(join(dir, f))) rmSync(join(dir, f));
    const r = JSON.parse(child(["merge", dir]).trim().split("\n").at(-1)!) as { ms: number; candidates: number; peakRssMiB: number };
    if (r.candidates !== SHARDS * ROWS) throw new Error(`merged ${r.candidates} candidates, expected ${SHARDS * ROWS}`);
    return { repetitions: 1, medianMs: r.ms, minMs: r.ms, items: r.candidates, peakRssMiB: r.peakRssMiB };
  },
};
