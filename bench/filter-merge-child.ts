// The filter-merge bench's two processes: `generate DIR SHARDS ROWS` writes a sharded run's files synthetically
// (caption-only candidates, no filtering: fast; 10 distinct shard files, copied to make the rest), `merge DIR` runs `mergeRun` and prints its time and the process's
// peak RSS, so the peak is the merge's alone.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromRows, toParquet } from "../src/lib/arrow/index.js";
import { funnelOf, resolveConfig, resultColumns, type CandidateResult, type Reason } from "../src/lib/filter/index.js";
import { mergeRun, planRun } from "../src/lib/filter/node.js";
import { runManifest, shardKey, shardStages, writeManifest, type ShardMarker } from "../src/lib/filter/shard.js";

const [mode, dir, shardsArg, rowsArg] = process.argv.slice(2);
const resolved = resolveConfig("cc3m");

/** A caption-only row after the shard stages: most rejected by a text rule, kept ones carrying entity types (a few rare). */
function row(shard: number, i: number, columns: ReturnType<typeof resultColumns>): CandidateResult {
  const r: Record<string, unknown> = Object.fromEntries(columns.map((c) => [c.name, null]));
  const kept = i % 5 < 2;
  const reasons: Reason[] = ["no_determiner", "hashtags", "first_word_lowercase"] as Reason[];
  const reason = reasons[i % 3]!;
  const caption = `a photo of the person ${i % 97} standing near a red car in the city ${shard}`;
  Object.assign(r, {
    id: `part-${shard}:${i + 1}`, url: `https://example.com/${shard}/${i}.jpg`, alt_text: caption, status: kept ? "kept" : reason,
    rejected_stage: kept ? null : "text", all_reasons: kept ? [] : [reason], image_state: "missing", text_clean: caption, words: 15, chars: caption.length,
    language: "eng", noun_ratio: 0.4, caption_out: kept ? caption : null,
    entity_types: kept ? (i % 1000 === 0 ? [`rare-type-${shard}-${i}`] : i % 2 ? ["person"] : ["person", "city"]) : null, transform_changed: kept ? false : null,
  });
  return r as unknown as CandidateResult;
}

if (mode === "generate") {
  const shards = Number(shardsArg);
  const rows = Number(rowsArg);
  const inputs = Array.from({ length: shards }, (_, j) => `part-${String(j).padStart(3, "0")}.tsv`);
  const manifest = await runManifest({ inputs, resolved, tasks: shards });
  const shardDir = join(dir!, "shards");
  mkdirSync(shardDir, { recursive: true });
  await writeManifest(shardDir, manifest, "replace");
  const plan = planRun(resolved, { captionOnly: true, hasLabels: false, cnnAvailable: false });
  const columns = resultColumns(resolved.stages);
  // DISTINCT shards are built (the Arrow builder is the slow part); the rest copy them cyclically, each with its own marker.
  const DISTINCT = 10;
  for (const [j, name] of manifest.shards.entries()) {
    if (existsSync(join(shardDir, `${name}.funnel.json`))) continue;
    const base = j % DISTINCT;
    const results = Array.from({ length: rows }, (_, i) => row(base, i, columns));
    if (j < DISTINCT) writeFileSync(join(shardDir, `${name}.parquet`), await toParquet(tableFromRows(results, columns)));
    else copyFileSync(join(shardDir, `${manifest.shards[base]}.parquet`), join(shardDir, `${name}.parquet`));
    const funnel = funnelOf(results, shardStages(resolved), plan.skipped);
    const marker: ShardMarker = { name, source: inputs[j]!, input: { synth: name }, kind: "cc3m", candidates: rows, readErrors: {}, reused: false, skipped: plan.skipped, funnel, key: shardKey(plan, null), plan };
    writeFileSync(join(shardDir, `${name}.funnel.json`), JSON.stringify(marker));
  }
} else if (mode === "merge") {
  const started = performance.now();
  const summary = await mergeRun(dir!);
  const ms = performance.now() - started;
  // maxRSS is in KiB: the whole process's peak, start-up included.
  console.log(JSON.stringify({ ms, candidates: summary.funnel.input, kept: summary.funnel.kept, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
} else {
  console.error("usage: filter-merge-child.ts generate DIR SHARDS ROWS | merge DIR");
  process.exit(2);
}
