/**
 * Node-only door of src/lib/filter: the lexicon from packages, the NSFW model, inputs as shards,
 * the worker pool, and `runFilter()` — shards to `<out>/shards/<name>.parquet` + `.funnel.json`
 * (resumable by content: a shard is read back, not re-run, only when its `.funnel.json` marker records
 * the same input content (size + SHA-256, or the synthetic spec), labels content and configuration),
 * then the merge: entity-type filter over all shards, `candidates.arrow`, `candidates.parquet`,
 * `funnel.json` and `funnel.arrow` (per stage and per rule). See pipeline.ts for the shard contract.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Table } from "apache-arrow";
import { fromParquet, tableFromRows, toArrowIPC, toParquet } from "../arrow/index.js";
import { labelsByUrl } from "../labeler/index.js";
import { readCcLabelsTsv } from "../sources/index.js";
import { ATTRITION_STAGES } from "../reference/index.js";
import { parseSynthSpec, readShard, type Shard } from "./inputs.js";
import { applyCorpusStages, FUNNEL_COLUMNS, funnelOf, funnelRows, mergeFunnels, resultColumns, type applyEntityTypeFilter, type CandidateResult, type Funnel } from "./pipeline.js";
import { noiseClassScores } from "./scoring.js";
import type { ResolvedConfig } from "./presets.js";
import { REFERENCE_STAGE, type StageId } from "./reasons.js";
import { planRun, runCandidates, shardHasLabels, type RunPlan } from "./run.js";
import { describeIdentity, fileIdentity, sameContent, writeAtomic, type FileIdentity } from "../files/index.js";

export { loadLexicon } from "./lexicon-node.js";
export { loadNsfwModel, type NsfwModel, type NsfwScores } from "./nsfw.js";
export { readShard, parseSynthSpec, shardName, synthCandidate, type Shard, type InputKind, type SynthSpec } from "./inputs.js";
export { planRun, createContext, runCandidates, CHUNK_SIZE, MIN_PER_WORKER, type RunPlan, type RunOptions } from "./run.js";

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

/** What a shard was made from, by content: a file's size + SHA-256, or the synthetic crawl's spec (deterministic). */
export type ShardInput = FileIdentity | { synth: string };

async function shardInput(input: string): Promise<ShardInput> {
  const synth = parseSynthSpec(input);
  return synth ? { synth: `synth:${synth.pages}:${synth.seed}` } : fileIdentity(input);
}

function sameInput(a: ShardInput | undefined, b: ShardInput): boolean {
  if (!a) return false;
  if ("synth" in a || "synth" in b) return "synth" in a && "synth" in b && a.synth === b.synth;
  return sameContent(a, b);
}

const describeInput = (i: ShardInput | undefined) => (!i ? "an input with no recorded identity" : "synth" in i ? i.synth : describeIdentity(i));

export interface ShardSummary {
  name: string;
  source: string;
  /** The input's content identity, recorded in the shard's marker: reuse requires the same. */
  input: ShardInput;
  kind: string;
  candidates: number;
  readErrors: Record<string, number>;
  reused: boolean;
  skipped: Partial<Record<StageId, string>>;
  funnel: Funnel;
}

export interface FilterRunSummary {
  preset: string;
  stages: StageId[];
  skipped: Partial<Record<StageId, string>>;
  config: ResolvedConfig["config"];
  overrides: string[];
  provenance: Record<string, string>;
  allReasons: boolean;
  labels: string | null;
  shards: ShardSummary[];
  entityTypes: { threshold: number; types: number; top: [string, number][] } | null;
  funnel: Funnel;
  /** Synthetic inputs only: the text filter's accuracy per noise class (see scoring.ts). */
  noiseClasses: ReturnType<typeof noiseClassScores> | null;
  /** Our stage -> the paper's approximate pass rate for the same stage (paper reference). */
  paperPassRates: Partial<Record<StageId, number>>;
  elapsedMs: number;
}

/** Converts an Arrow table back into result rows (lists as arrays, 32-bit ints as numbers). */
function rowsFromTable(table: Table): CandidateResult[] {
  const rows: CandidateResult[] = [];
  const columns = table.schema.fields.map((f) => ({ name: f.name, vector: table.getChild(f.name)! }));
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const { name, vector } of columns) {
      const v = vector.get(i) as unknown;
      row[name] = v !== null && typeof v === "object" && typeof (v as { toArray?: unknown }).toArray === "function" ? Array.from((v as { toArray(): ArrayLike<unknown> }).toArray()) : v;
    }
    rows.push(row as unknown as CandidateResult);
  }
  return rows;
}

/** The configuration part of a shard's reuse key; `labels` is the labels file's SHA-256 (its content, not its name). */
const shardKey = (plan: RunPlan, labels: string | null) => createHash("sha256").update(JSON.stringify({ c: plan.resolved.config, s: plan.resolved.stages, k: plan.skipped, a: plan.allReasons, l: plan.labelers, labels })).digest("hex").slice(0, 16);

/** Runs the whole filter: every input as a shard, then the merge. */
export async function runFilter(options: FilterRunOptions): Promise<FilterRunSummary> {
  const started = performance.now();
  const { resolved } = options;
  const allReasons = options.allReasons ?? false;
  const shardDir = join(options.out, "shards");
  await mkdir(shardDir, { recursive: true });
  const labelIndex = options.labels ? await readLabelIndex(options.labels) : null;
  const labelsKey = options.labels ? (await fileIdentity(options.labels)).sha256 : null;
  const { labelerWeightsExist } = await import("../labeler/node.js");
  const cnnAvailable = labelerWeightsExist();
  const names = new Set<string>();
  const shards: ShardSummary[] = [];
  const all: CandidateResult[] = [];
  let plan: RunPlan | null = null;
  for (const input of options.inputs) {
    const { shardName } = await import("./inputs.js");
    let name = shardName(input);
    for (let k = 2; names.has(name); k++) name = `${shardName(input)}-${k}`;
    names.add(name);
    const parquetPath = join(shardDir, `${name}.parquet`);
    const funnelPath = join(shardDir, `${name}.funnel.json`);
    const identity = await shardInput(input);
    let note: string | undefined;
    if (options.resume !== false && existsSync(parquetPath) && existsSync(funnelPath)) {
      const saved = JSON.parse(await readFile(funnelPath, "utf-8")) as Partial<ShardSummary> & { key: string; plan: RunPlan };
      const expected = shardKey({ ...saved.plan, resolved }, labelsKey);
      const sameConfig = saved.key === expected && JSON.stringify(saved.plan.resolved.config) === JSON.stringify(resolved.config);
      if (sameConfig && sameInput(saved.input, identity)) {
        all.push(...rowsFromTable(await fromParquet(await readFile(parquetPath))));
        plan ??= saved.plan;
        shards.push({ ...(saved as ShardSummary), reused: true });
        options.onShardDone?.(name, true);
        continue;
      }
      note = sameConfig ? `its input changed (finished from ${describeInput(saved.input)}, now ${describeInput(identity)}): re-run` : "the configuration or labels changed: re-run";
    }
    // A stale marker must not survive a crash between the new Parquet and the new marker.
    await rm(funnelPath, { force: true });
    const needsImages = resolved.stages.includes("image") || resolved.stages.includes("grounding") || resolved.stages.includes("near-duplicate");
    const shard: Shard = await readShard(input, { images: needsImages, onProgress: (done, total) => options.onProgress?.({ shard: name, phase: "read", done, total }) });
    shard.name = name;
    if (labelIndex) for (const c of shard.candidates) if (!c.labels && c.url) c.labels = labelIndex.get(c.url) ?? null;
    const shardPlan = planRun(resolved, { captionOnly: shard.captionOnly, hasLabels: shardHasLabels(shard), cnnAvailable }, allReasons);
    plan ??= shardPlan;
    const results = await runCandidates(shard.candidates, shardPlan, {
      workers: options.workers,
      onProgress: (done, total) => options.onProgress?.({ shard: name, phase: "filter", done, total }),
    });
    const shardStages = resolved.stages.filter((s) => s !== "entity-type");
    const funnel = funnelOf(results, shardStages, shardPlan.skipped, allReasons);
    const summary: ShardSummary = { name, source: shard.source, input: identity, kind: shard.kind, candidates: results.length, readErrors: shard.readErrors, reused: false, skipped: shardPlan.skipped, funnel };
    await writeAtomic(parquetPath, await toParquet(tableFromRows(results, resultColumns(resolved.stages))));
    // The marker last: its presence (with this input's identity) is what makes the shard reusable.
    await writeAtomic(funnelPath, `${JSON.stringify({ ...summary, key: shardKey(shardPlan, labelsKey), plan: shardPlan }, null, 2)}\n`);
    shards.push(summary);
    all.push(...results);
    options.onShardDone?.(name, false, note);
  }
  if (!plan) throw new RangeError("runFilter: no inputs");
  // Merge: the corpus-level entity-type stage over every shard's rows, then the whole funnel.
  const skipped = { ...plan.skipped };
  for (const s of shards) for (const [stage, why] of Object.entries(s.skipped)) skipped[stage as StageId] ??= why;
  let entityTypes: FilterRunSummary["entityTypes"] = null;
  const corpus = applyCorpusStages(all, resolved, skipped, allReasons);
  const types = corpus["entity-type"] as ReturnType<typeof applyEntityTypeFilter> | undefined;
  if (types) {
    const { threshold, counts } = types;
    entityTypes = { threshold, types: counts.size, top: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 20) };
  }
  const shardFunnel = mergeFunnels(shards.map((s) => s.funnel));
  const funnel = funnelOf(all, resolved.stages, skipped, allReasons);
  // The merged funnel must agree with the shards' sums on every shard stage.
  for (const s of shardFunnel.stages) {
    const m = funnel.stages.find((x) => x.stage === s.stage)!;
    if (m.in !== s.in || m.kept !== s.kept) throw new Error(`merge: stage ${s.stage} counts ${m.in}/${m.kept} differ from the shards' ${s.in}/${s.kept}`);
  }
  const table = tableFromRows(all, resultColumns(resolved.stages));
  await writeAtomic(join(options.out, "candidates.arrow"), toArrowIPC(table));
  await writeAtomic(join(options.out, "candidates.parquet"), await toParquet(table));
  await writeAtomic(join(options.out, "funnel.arrow"), toArrowIPC(tableFromRows(funnelRows(funnel), FUNNEL_COLUMNS)));
  const paperPassRates: Partial<Record<StageId, number>> = {};
  for (const stage of resolved.stages) {
    const ref = ATTRITION_STAGES.find((a) => a.id === REFERENCE_STAGE[stage]);
    if (ref) paperPassRates[stage] = ref.passRate.value;
  }
  const summary: FilterRunSummary = {
    preset: resolved.preset, stages: resolved.stages, skipped, config: resolved.config, overrides: resolved.overrides, provenance: resolved.provenance,
    allReasons, labels: options.labels ?? null, shards, entityTypes, funnel,
    noiseClasses: all.some((r) => r.noise_class !== null) ? noiseClassScores(all) : null,
    paperPassRates, elapsedMs: performance.now() - started,
  };
  await writeAtomic(join(options.out, "funnel.json"), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

async function readLabelIndex(path: string) {
  const rows: { url: string; labels: string[]; confidences: number[] }[] = [];
  for await (const batch of readCcLabelsTsv(path)) rows.push(...batch.rows);
  return labelsByUrl(rows);
}
