/**
 * Node-only door of src/lib/filter: the lexicon from packages, the NSFW model, inputs as shards, the worker pool, and
 * a filter run in three steps: shard (shard.ts: each input to `<out>/shards/<name>.parquet` + its `.funnel.json`
 * marker, resumable by content), merge (merge.ts: the entity-type stage over every shard, streamed by row group)
 * and persist (persist.ts: `candidates.arrow`, `candidates.parquet`, `funnel.arrow`, `funnel.json`). `runFilter` runs
 * all three in one process; `runShardTask` runs one task of N (`--shard I/N`), `mergeRun` merges what the tasks wrote;
 * `filterRows` runs the same steps in memory and returns the rows (for the data loaders). See pipeline.ts for the
 * shard contract.
 */
import { join } from "node:path";
import type { ResolvedConfig } from "./presets.js";
import { finishedShards, mergeShards, shardsInMemory } from "./merge.js";
import { openCandidateWriters, persistSummary, runSummary, type FilterRunSummary } from "./persist.js";
import { assignedInputs, runManifest, runShard, shardContext, filterShard, writeManifest, readManifest, type RunManifest, type ShardTask, type ShardRunOptions } from "./shard.js";
import type { CandidateResult } from "./pipeline.js";

export { loadLexicon } from "./lexicon-node.js";
export { loadNsfwModel, type NsfwModel, type NsfwScores } from "./nsfw.js";
export { readShard, parseSynthSpec, shardName, synthCandidate, type Shard, type InputKind, type SynthSpec } from "./inputs.js";
export { planRun, createContext, runCandidates, CHUNK_SIZE, MIN_PER_WORKER, type RunPlan, type RunOptions } from "./run.js";
export {
  parseShardTask, shardTaskFromEnv, assignedInputs, shardNames, readManifest, RunManifestError, MANIFEST_FILE,
  type ShardTask, type ShardSummary, type ShardInput, type ShardMarker, type RunManifest,
} from "./shard.js";
export { ShardMergeError, type MergedRun } from "./merge.js";
export { paperPassRates, type FilterRunSummary } from "./persist.js";

export interface FilterRunOptions {
  /** Input files (TSV, WARC) or synth:PAGES[:SEED]; one shard each. */
  inputs: string[];
  resolved: ResolvedConfig;
  out: string;
  workers?: number;
  allReasons?: boolean;
  /** A CC image-labels TSV whose labels are attached to candidates by image URL. */
  labels?: string;
  /** Re-use shard outputs written by an earlier run with the same configuration (default true). */
  resume?: boolean;
  /** Progress lines (stderr in the CLI). */
  onProgress?: (event: { shard: string; phase: "read" | "filter"; done: number; total: number }) => void;
  /** After each shard; `note` says why a finished shard was not reused (its input changed). */
  onShardDone?: (shard: string, reused: boolean, note?: string) => void;
}

type ShardDone = (shard: string, reused: boolean, note?: string) => void;

/** Runs the given inputs of a run as shards in `<out>/shards/` (each reused when finished with the same input and configuration). */
async function runShards(out: string, manifest: RunManifest, indexes: readonly number[], options: ShardRunOptions & { onShardDone?: ShardDone }): Promise<Set<string>> {
  const ctx = await shardContext(manifest);
  const reused = new Set<string>();
  for (const j of indexes) {
    const { summary, note } = await runShard(out, j, ctx, options);
    if (summary.reused) reused.add(summary.name);
    options.onShardDone?.(summary.name, summary.reused, note);
  }
  return reused;
}

/** Merges the finished shards of the run recorded in `<out>/shards/run.json` and writes the run's files; refuses (ShardMergeError) while any is missing or foreign. */
export async function mergeRun(out: string, options: { started?: number; reused?: ReadonlySet<string> } = {}): Promise<FilterRunSummary> {
  const started = options.started ?? performance.now();
  const manifest = await readManifest(join(out, "shards"));
  const shards = await finishedShards(out, manifest);
  // Summaries say whether this process re-ran a shard; a merge alone re-runs none and reports what the markers say.
  for (const s of shards) if (options.reused?.has(s.summary.name)) s.summary.reused = true;
  const writers = await openCandidateWriters(out, manifest.resolved.stages);
  const merged = await mergeShards(manifest, shards, (rows) => writers.write(rows));
  await writers.close();
  const summary = runSummary(manifest, merged, performance.now() - started);
  await persistSummary(out, summary);
  return summary;
}

/** Runs the whole filter in one process: every input as a shard, then the merge and the run's files. */
export async function runFilter(options: FilterRunOptions): Promise<FilterRunSummary> {
  const started = performance.now();
  const manifest = await runManifest(options);
  // A one-process run owns its folder: its manifest replaces any earlier one, as its shards do.
  await writeManifest(join(options.out, "shards"), manifest, "replace");
  const reused = await runShards(options.out, manifest, manifest.inputs.map((_, j) => j), options);
  return mergeRun(options.out, { started, reused });
}

/** What one task of N did: the shards it owns (by name) and which of them were reused. */
export interface ShardTaskSummary {
  task: ShardTask;
  inputs: number;
  shards: { name: string; reused: boolean }[];
}

/**
 * Task I of N: records the run's manifest (or checks it against the one its sibling tasks wrote: RunManifestError on
 * disagreement), then runs the inputs j with j mod N = I into `<out>/shards/`. Does not merge.
 */
export async function runShardTask(options: FilterRunOptions, task: ShardTask): Promise<ShardTaskSummary> {
  const manifest = await runManifest({ ...options, tasks: task.count });
  await writeManifest(join(options.out, "shards"), manifest, "agree");
  const owned = assignedInputs(manifest.inputs.length, task);
  const shards: ShardTaskSummary["shards"] = [];
  await runShards(options.out, manifest, owned, {
    ...options,
    onShardDone: (name, reused, note) => {
      shards.push({ name, reused });
      options.onShardDone?.(name, reused, note);
    },
  });
  return { task, inputs: manifest.inputs.length, shards };
}

/** The filter over the inputs in memory, rows returned rather than written (same steps and rows as runFilter, nothing on disk). */
export async function filterRows(options: Omit<FilterRunOptions, "out" | "resume" | "onShardDone">): Promise<{ rows: CandidateResult[]; summary: FilterRunSummary }> {
  const started = performance.now();
  const manifest = await runManifest(options);
  const ctx = await shardContext(manifest);
  const shards = [];
  for (const j of manifest.inputs.keys()) shards.push(await filterShard(j, ctx, options));
  const rows: CandidateResult[] = [];
  const merged = await mergeShards(manifest, shardsInMemory(shards), (batch) => void rows.push(...batch));
  return { rows, summary: runSummary(manifest, merged, performance.now() - started) };
}
