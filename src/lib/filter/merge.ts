/**
 * The merge step of a filter run: every shard's rows, in manifest order, through the corpus-level entity-type stage,
 * and the whole funnel summed from per-batch funnels (each conserved, and the sum checked again). Two streamed
 * passes over the shards, one Parquet row group at a time: the first counts entity types (two columns), the second
 * applies the stage and hands each batch to the writer, so memory is bounded by a row group, not by the corpus.
 * The same code merges shards held in memory (the data loaders), so both give the same rows.
 */
import { join } from "node:path";
import type { Table } from "apache-arrow";
import { rowsFromArrow } from "../arrow/index.js";
import type { EntityTypeSummary } from "./entity-types.js";
import { applyCorpusStages, funnelOf, mergeFunnels, resultColumns, type CandidateResult, type Funnel } from "./pipeline.js";
import { pipelineStages } from "./stages.js";
import { noiseClassScores } from "./scoring.js";
import type { StageId } from "./reasons.js";
import type { RunPlan } from "./run.js";
import { readShardMarker, shardKey, shardRowGroups, shardSource, type RunManifest, type ShardSummary } from "./shard.js";

/** One shard as the merge reads it: its summary and plan, and its rows batch by batch (only `columns` when given and the source can). */
export interface ShardRows {
  summary: ShardSummary;
  plan: RunPlan;
  batches(columns?: (keyof CandidateResult & string)[]): AsyncIterable<CandidateResult[]>;
}

export interface MergedRun {
  shards: ShardSummary[];
  skipped: Partial<Record<StageId, string>>;
  /** The entity-type stage's summary (its `summary`), null when it did not run. */
  entityTypes: EntityTypeSummary | null;
  funnel: Funnel;
  /** Synthetic inputs only: the text filter's accuracy per noise class (see scoring.ts). */
  noiseClasses: ReturnType<typeof noiseClassScores> | null;
}

/** Converts an Arrow table back into result rows (lists as arrays, 32-bit ints as numbers). */
export const rowsFromTable = (table: Table): CandidateResult[] => rowsFromArrow<CandidateResult>(table);

/** Shards held in memory (a loader's run): one batch each, every column whatever is asked. */
export function shardsInMemory(shards: readonly { summary: ShardSummary; plan: RunPlan; rows: CandidateResult[] }[]): ShardRows[] {
  return shards.map((s) => ({ summary: s.summary, plan: s.plan, async *batches() { yield s.rows; } }));
}

/** Shards are missing, or were made from other inputs or with another configuration, than the run's manifest says. */
export class ShardMergeError extends Error {
  constructor(message: string, readonly missing: string[], readonly mismatched: string[]) {
    super(message);
    this.name = "ShardMergeError";
  }
}

/** How many shard names an error lists before "and N more". */
const LISTED = 20;

const listed = (items: string[]) => `${items.slice(0, LISTED).join("; ")}${items.length > LISTED ? `; and ${items.length - LISTED} more` : ""}`;

/**
 * Every shard the manifest expects, finished in `<out>/shards/` with this configuration and input, as ShardRows read
 * from their Parquet row groups; refuses with every missing or mismatched shard named (and the task that owns it).
 */
export async function finishedShards(out: string, manifest: RunManifest): Promise<ShardRows[]> {
  const shardDir = join(out, "shards");
  const missing: string[] = [];
  const mismatched: string[] = [];
  const found: ShardRows[] = [];
  for (const [j, name] of manifest.shards.entries()) {
    const input = manifest.inputs[j]!;
    const owner = `input ${j} ${JSON.stringify(input)}, task ${j % manifest.tasks} of ${manifest.tasks}`;
    const marker = await readShardMarker(shardDir, name);
    if (!marker) {
      missing.push(`${name} (${owner})`);
      continue;
    }
    const sameConfig = marker.key === shardKey(marker.plan, manifest.labelsKey)
      && JSON.stringify(marker.plan.resolved.config) === JSON.stringify(manifest.resolved.config)
      && JSON.stringify(marker.plan.resolved.stages) === JSON.stringify(manifest.resolved.stages)
      && marker.plan.allReasons === manifest.allReasons;
    const problem = !sameConfig
      ? `made with another configuration (preset ${marker.plan.resolved.preset}${marker.plan.resolved.overrides.length ? ` ${marker.plan.resolved.overrides.join(" ")}` : ""}, stages ${marker.plan.resolved.stages.join(",")}, all-reasons ${marker.plan.allReasons}, or other labels)`
      : marker.source !== shardSource(input) ? `made from ${JSON.stringify(marker.source)}` : null;
    if (problem) {
      mismatched.push(`${name} (${owner}): ${problem}`);
      continue;
    }
    const { key: _key, plan, ...summary } = marker;
    found.push({
      summary,
      plan,
      async *batches(columns) {
        for await (const table of shardRowGroups(shardDir, name, columns)) yield rowsFromTable(table);
      },
    });
  }
  if (missing.length || mismatched.length) {
    const parts = [
      missing.length ? `${missing.length} of ${manifest.shards.length} shards are not finished: ${listed(missing)}` : "",
      mismatched.length ? `${mismatched.length} do not belong to this run: ${listed(mismatched)}` : "",
    ].filter(Boolean);
    throw new ShardMergeError(`merge ${out}: ${parts.join("; ")}. Run the tasks that own them (\`ccw filter <inputs>... --out ${out} --shard I/${manifest.tasks}\`), then merge again`, missing, mismatched);
  }
  return found;
}

/** What every corpus-level stage reads and writes of a row in the slim copy, beside each stage's `mergeReads`. */
const SLIM_COLUMNS: (keyof CandidateResult & string)[] = ["id", "status", "rejected_stage", "all_reasons"];

/** Projection of a row that noiseClassScores reads (the caption itself only as null / not null). */
type NoiseRow = Parameters<typeof noiseClassScores>[0][number];

/**
 * Merges the shards in order: `onRows` receives every batch after the corpus-level stages (for the writers). The
 * summed funnel is checked against the shards' own funnels on every shard stage.
 */
export async function mergeShards(manifest: RunManifest, shards: readonly ShardRows[], onRows?: (rows: CandidateResult[]) => Promise<void> | void): Promise<MergedRun> {
  if (shards.length === 0) throw new RangeError("merge: no shards");
  const { resolved, allReasons } = manifest;
  const skipped = { ...shards[0]!.plan.skipped };
  for (const s of shards) for (const [stage, why] of Object.entries(s.summary.skipped)) skipped[stage as StageId] ??= why;
  const size = shards.reduce((n, s) => n + s.summary.candidates, 0);
  const corpusStages = pipelineStages(resolved.stages).filter((s) => s.merge && resolved.stages.includes(s.decl.id) && !skipped[s.decl.id]);
  // Stages whose corpus need is a gathered summary stream (entity types: their counts); when any other runs
  // (near-duplicate compares every pair), all run over a slim copy of every row: the columns they read and the statuses they set.
  const streamed = corpusStages.length > 0 && corpusStages.every((s) => s.streamed);
  const gathered = new Map<StageId, unknown>();
  let slim: CandidateResult[] | null = null;
  const recorded: Partial<Record<StageId, unknown>> = {};
  if (streamed) {
    // Pass 1: what each streamed stage gathers over the corpus, batch by batch (only the columns it reads).
    for (const stage of corpusStages) {
      const streaming = stage.streamed!;
      let acc: unknown;
      for (const s of shards) for await (const batch of s.batches([...streaming.columns])) acc = streaming.gather(acc, batch, allReasons);
      gathered.set(stage.decl.id, acc);
    }
  } else if (corpusStages.length) {
    slim = [];
    const stored = new Set(resultColumns(resolved.stages).map((c) => c.name));
    const slimColumns = [...new Set([...SLIM_COLUMNS, ...corpusStages.flatMap((s) => s.mergeReads ?? [])])].filter((c) => stored.has(c));
    for (const s of shards) for await (const batch of s.batches(slimColumns)) for (const r of batch) slim.push({ ...r, all_reasons: [...r.all_reasons] });
    Object.assign(recorded, applyCorpusStages(slim, resolved, skipped, allReasons));
  }
  const applyStreamed = (batch: CandidateResult[]) => {
    for (const stage of corpusStages) recorded[stage.decl.id] = stage.streamed!.apply(batch, resolved, allReasons, { acc: gathered.get(stage.decl.id), size });
  };
  // Pass 2: the corpus stages' verdicts applied batch by batch; a batch's funnel is conserved on its own, and funnels add up.
  const funnels: Funnel[] = [];
  const noise: NoiseRow[] = [];
  let anyNoise = false;
  let row = 0;
  for (const s of shards) {
    for await (const batch of s.batches()) {
      if (batch.length === 0) continue;
      if (streamed) applyStreamed(batch);
      if (slim) {
        for (const r of batch) {
          const v = slim[row++]!;
          Object.assign(r, { status: v.status, rejected_stage: v.rejected_stage, all_reasons: v.all_reasons });
        }
      }
      funnels.push(funnelOf(batch, resolved.stages, skipped, allReasons));
      for (const r of batch) {
        if (r.noise_class === null) continue;
        anyNoise = true;
        if (r.text_clean !== null) noise.push({ noise_class: r.noise_class, all_reasons: r.all_reasons, text_clean: "", labeler: r.labeler, status: r.status });
      }
      await onRows?.(batch);
    }
  }
  const summed = funnels.length ? mergeFunnels(funnels) : funnelOf([], resolved.stages, skipped, allReasons);
  // funnelOf's key order, so funnel.json reads the same as a funnel counted over all rows at once.
  const { input, kept, stages, byReason, wouldReject } = summed;
  const funnel: Funnel = { input, kept, stages, byReason, ...(wouldReject ? { wouldReject } : {}) };
  // The merged funnel must agree with the shards' sums on every shard stage.
  const shardFunnel = mergeFunnels(shards.map((s) => s.summary.funnel));
  for (const s of shardFunnel.stages) {
    const m = funnel.stages.find((x) => x.stage === s.stage)!;
    if (m.in !== s.in || m.kept !== s.kept) throw new Error(`merge: stage ${s.stage} counts ${m.in}/${m.kept} differ from the shards' ${s.in}/${s.kept}`);
  }
  // A streamed stage over no rows still records what it would have (its threshold for an empty corpus).
  if (streamed && funnels.length === 0) applyStreamed([]);
  // Each stage's line in the run summary, null where it did not run.
  const summaries = Object.fromEntries(pipelineStages(resolved.stages).flatMap((s) => (s.summary ? [[s.summary.field, recorded[s.decl.id] === undefined ? null : s.summary.of(recorded[s.decl.id])]] : [])));
  return { shards: shards.map((s) => s.summary), skipped, entityTypes: null, ...summaries, funnel, noiseClasses: anyNoise ? noiseClassScores(noise) : null };
}
