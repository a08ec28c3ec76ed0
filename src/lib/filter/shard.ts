/**
 * The shard step of a filter run (Node): which inputs a task owns, the run manifest every task of a run agrees on,
 * and one input filtered into `<out>/shards/<name>.parquet` plus its completion marker `<name>.funnel.json`.
 *
 * A run is its inputs in order plus one resolved configuration. `shards/run.json` (the manifest) records both and the
 * task count N; input j belongs to task j mod N. Each task writes the manifest if it is absent and refuses to run
 * when the one there disagrees, so `merge` learns every shard the run expects from one file. A shard is reused only
 * when its marker records the same input content (size + SHA-256, or the synthetic spec) and configuration key.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { readParquetRowGroups, tableFromRows, toParquet } from "../arrow/index.js";
import { labelsByUrl } from "../labeler/index.js";
import { readCcLabelsTsv } from "../sources/index.js";
import { createOrRead, describeIdentity, fileIdentity, sameContent, writeAtomic, type FileIdentity } from "../files/index.js";
import { parseSynthSpec, readShard, shardName } from "./inputs.js";
import { funnelOf, resultColumns, type CandidateResult, type Funnel } from "./pipeline.js";
import type { ResolvedConfig } from "./presets.js";
import type { StageId } from "./reasons.js";
import { planRun, runCandidates, shardHasLabels, type RunPlan } from "./run.js";
import { pipelineStages } from "./stages.js";

/** What a shard was made from, by content: a file's size + SHA-256, or the synthetic crawl's spec (deterministic). */
export type ShardInput = FileIdentity | { synth: string };

/** A finished shard, as its marker records it (the marker adds the configuration key and the plan). */
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

/** The completion marker `<name>.funnel.json`: written after the shard's Parquet, so its presence means the shard is whole. */
export interface ShardMarker extends ShardSummary {
  key: string;
  plan: RunPlan;
}

/** `shards/run.json`: what every task of a run must agree on, and what `merge` reads to know the shards to expect. */
export interface RunManifest {
  format: typeof MANIFEST_FORMAT;
  /** The inputs as given, in order; input j belongs to task j mod `tasks`. */
  inputs: string[];
  /** Shard name of each input (base names made distinct with -2, -3 over the whole list, so every task names alike). */
  shards: string[];
  /** Tasks the run is split into (1: a one-process run). */
  tasks: number;
  resolved: ResolvedConfig;
  allReasons: boolean;
  /** The --labels file as given, and its SHA-256 (shards are keyed by its content). */
  labels: string | null;
  labelsKey: string | null;
}

export const MANIFEST_FORMAT = "ccw-filter-run/1";
export const MANIFEST_FILE = "run.json";

export { assignedInputs, parseShardTask, shardTaskFromEnv, type ShardTask } from "../files/index.js";

/** Shard names for the whole input list: a repeated base name gets -2, -3, ... in input order. */
export function shardNames(inputs: readonly string[]): string[] {
  const names = new Set<string>();
  return inputs.map((input) => {
    let name = shardName(input);
    for (let k = 2; names.has(name); k++) name = `${shardName(input)}-${k}`;
    names.add(name);
    return name;
  });
}

/** The source a shard's marker records for an input (synthetic specs written out in full). */
export function shardSource(input: string): string {
  const synth = parseSynthSpec(input);
  return synth ? `synth:${synth.pages}:${synth.seed}` : input;
}

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

/** The configuration part of a shard's reuse key; `labels` is the labels file's SHA-256 (its content, not its name). */
export const shardKey = (plan: RunPlan, labels: string | null) =>
  createHash("sha256").update(JSON.stringify({ c: plan.resolved.config, s: plan.resolved.stages, k: plan.skipped, a: plan.allReasons, l: plan.labelers, labels })).digest("hex").slice(0, 16);

export interface ManifestOptions {
  inputs: string[];
  resolved: ResolvedConfig;
  allReasons?: boolean;
  labels?: string;
  tasks?: number;
}

/** The manifest of a run (hashes the labels file, if any). */
export async function runManifest(options: ManifestOptions): Promise<RunManifest> {
  if (options.inputs.length === 0) throw new RangeError("filter run: no inputs");
  return {
    format: MANIFEST_FORMAT,
    inputs: options.inputs,
    shards: shardNames(options.inputs),
    tasks: options.tasks ?? 1,
    resolved: options.resolved,
    allReasons: options.allReasons ?? false,
    labels: options.labels ?? null,
    labelsKey: options.labels ? (await fileIdentity(options.labels)).sha256 : null,
  };
}

/** A task whose run disagrees with the manifest already in the folder, or a merge over a folder without one. */
export class RunManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunManifestError";
  }
}

/** What differs between two manifests, in words ("" when nothing). */
export function manifestDifference(a: RunManifest, b: RunManifest): string {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (!same(a.inputs, b.inputs)) {
    const i = a.inputs.findIndex((x, k) => x !== b.inputs[k]);
    return `the inputs differ (${a.inputs.length} vs ${b.inputs.length}; first difference at input ${i === -1 ? a.inputs.length : i}: ${JSON.stringify(a.inputs[i] ?? null)} vs ${JSON.stringify(b.inputs[i === -1 ? a.inputs.length : i] ?? null)})`;
  }
  if (a.tasks !== b.tasks) return `the task count differs (${a.tasks} vs ${b.tasks})`;
  if (!same(a.resolved, b.resolved)) return `the configuration differs (preset ${a.resolved.preset}${a.resolved.overrides.length ? ` ${a.resolved.overrides.join(" ")}` : ""}, stages ${a.resolved.stages.join(",")} vs preset ${b.resolved.preset}${b.resolved.overrides.length ? ` ${b.resolved.overrides.join(" ")}` : ""}, stages ${b.resolved.stages.join(",")})`;
  if (a.allReasons !== b.allReasons) return `--all-reasons differs (${a.allReasons} vs ${b.allReasons})`;
  if (a.labels !== b.labels || a.labelsKey !== b.labelsKey) return `--labels differs (${a.labels ?? "none"} vs ${b.labels ?? "none"})`;
  return "";
}

const manifestText = (m: RunManifest) => `${JSON.stringify(m, null, 2)}\n`;

/**
 * Records the run in `<shardDir>/run.json`. `replace`: a one-process run owns the folder and overwrites it. Otherwise
 * (a task of N) the first task creates it and the others must agree.
 */
export async function writeManifest(shardDir: string, manifest: RunManifest, mode: "replace" | "agree"): Promise<void> {
  await mkdir(shardDir, { recursive: true });
  const path = join(shardDir, MANIFEST_FILE);
  if (mode === "replace") return writeAtomic(path, manifestText(manifest));
  if ((await createOrRead(path, manifestText(manifest))) === null) return;
  const recorded = await readManifest(shardDir);
  const difference = manifestDifference(recorded, manifest);
  if (difference) {
    throw new RunManifestError(`${path} belongs to another run: ${difference} (recorded vs this task). Every task of a run needs the same inputs, in the same order, and flags; use another --out, or delete ${path} to start a new run there`);
  }
}

/** Reads `<shardDir>/run.json`, refusing a missing or foreign file with what to do. */
export async function readManifest(shardDir: string): Promise<RunManifest> {
  const path = join(shardDir, MANIFEST_FILE);
  if (!existsSync(path)) throw new RunManifestError(`${path} does not exist: no filter run was started there (run \`ccw filter <inputs>... --out DIR --shard I/N\` first)`);
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(await readFile(path, "utf-8")) as RunManifest;
  } catch (error) {
    throw new RunManifestError(`${path} is not JSON: ${(error as Error).message}`);
  }
  if (manifest.format !== MANIFEST_FORMAT) throw new RunManifestError(`${path} is not a filter run manifest (format ${JSON.stringify(manifest.format)}; expected ${MANIFEST_FORMAT})`);
  return manifest;
}

/** A CC image-labels TSV as labels by image URL. */
export async function readLabelIndex(path: string) {
  const rows: { url: string; labels: string[]; confidences: number[] }[] = [];
  for await (const batch of readCcLabelsTsv(path)) rows.push(...batch.rows);
  return labelsByUrl(rows);
}

/** What every shard of a run shares: the manifest, the labels by URL, whether the synth CNN's weights exist. */
export interface ShardContext {
  manifest: RunManifest;
  labelIndex: Awaited<ReturnType<typeof readLabelIndex>> | null;
  cnnAvailable: boolean;
}

export async function shardContext(manifest: RunManifest): Promise<ShardContext> {
  const { labelerWeightsExist } = await import("../labeler/node.js");
  return { manifest, labelIndex: manifest.labels ? await readLabelIndex(manifest.labels) : null, cnnAvailable: labelerWeightsExist() };
}

export interface ShardRunOptions {
  workers?: number;
  /** Re-use a finished shard with the same input content and configuration (default true). */
  resume?: boolean;
  onProgress?: (event: { shard: string; phase: "read" | "filter"; done: number; total: number }) => void;
}

/** A shard's outcome: its summary, plan, and (when it ran here rather than being reused) its rows. */
export interface ShardOutcome {
  summary: ShardSummary;
  plan: RunPlan;
  rows: CandidateResult[] | null;
  /** Why a finished shard was not reused (its input or the configuration changed). */
  note?: string;
}

/** The stages a shard counts: the run's, but the corpus-level ones (they run at the merge). */
export const shardStages = (resolved: ResolvedConfig): StageId[] => {
  const corpus = new Set(pipelineStages(resolved.stages).filter((s) => s.merge).map((s) => s.decl.id));
  return resolved.stages.filter((s) => !corpus.has(s));
};

/** Reads one input and runs it through the shard stages (image .. transform), in memory. */
export async function filterShard(index: number, ctx: ShardContext, options: ShardRunOptions = {}): Promise<ShardOutcome & { rows: CandidateResult[] }> {
  const { manifest } = ctx;
  const { resolved, allReasons } = manifest;
  const input = manifest.inputs[index]!;
  const name = manifest.shards[index]!;
  const identity = await shardInput(input);
  const needsImages = pipelineStages(resolved.stages).some((s) => s.images !== undefined && resolved.stages.includes(s.decl.id));
  const shard = await readShard(input, { images: needsImages, onProgress: (done, total) => options.onProgress?.({ shard: name, phase: "read", done, total }) });
  shard.name = name;
  if (ctx.labelIndex) for (const c of shard.candidates) if (!c.labels && c.url) c.labels = ctx.labelIndex.get(c.url) ?? null;
  const plan = planRun(resolved, { captionOnly: shard.captionOnly, hasLabels: shardHasLabels(shard), cnnAvailable: ctx.cnnAvailable }, allReasons);
  const rows = await runCandidates(shard.candidates, plan, { workers: options.workers, onProgress: (done, total) => options.onProgress?.({ shard: name, phase: "filter", done, total }) });
  const funnel = funnelOf(rows, shardStages(resolved), plan.skipped, allReasons);
  const summary: ShardSummary = { name, source: shard.source, input: identity, kind: shard.kind, candidates: rows.length, readErrors: shard.readErrors, reused: false, skipped: plan.skipped, funnel };
  return { summary, plan, rows };
}

export const shardParquetPath = (shardDir: string, name: string) => join(shardDir, `${name}.parquet`);
export const shardMarkerPath = (shardDir: string, name: string) => join(shardDir, `${name}.funnel.json`);

/** A shard's marker, or null when it has none (never finished) or it is not JSON (a crash mid-write cannot cause that: it is written atomically). */
export async function readShardMarker(shardDir: string, name: string): Promise<ShardMarker | null> {
  const path = shardMarkerPath(shardDir, name);
  if (!existsSync(path) || !existsSync(shardParquetPath(shardDir, name))) return null;
  try {
    return JSON.parse(await readFile(path, "utf-8")) as ShardMarker;
  } catch {
    return null;
  }
}

/**
 * Input `index` of the run as a finished shard in `<out>/shards/`: reused when its marker records the same input
 * content and configuration, else filtered and written (Parquet first, the marker last).
 */
export async function runShard(out: string, index: number, ctx: ShardContext, options: ShardRunOptions = {}): Promise<ShardOutcome> {
  const shardDir = join(out, "shards");
  await mkdir(shardDir, { recursive: true });
  const { manifest } = ctx;
  const name = manifest.shards[index]!;
  const parquetPath = shardParquetPath(shardDir, name);
  const markerPath = shardMarkerPath(shardDir, name);
  let note: string | undefined;
  const saved = options.resume !== false ? await readShardMarker(shardDir, name) : null;
  if (saved) {
    const identity = await shardInput(manifest.inputs[index]!);
    const sameConfig = saved.key === shardKey({ ...saved.plan, resolved: manifest.resolved }, manifest.labelsKey) && JSON.stringify(saved.plan.resolved.config) === JSON.stringify(manifest.resolved.config);
    if (sameConfig && sameInput(saved.input, identity)) {
      const { key: _key, plan, ...summary } = saved;
      return { summary: { ...summary, reused: true }, plan, rows: null };
    }
    note = sameConfig ? `its input changed (finished from ${describeInput(saved.input)}, now ${describeInput(identity)}): re-run` : "the configuration or labels changed: re-run";
  }
  // A stale marker must not survive a crash between the new Parquet and the new marker.
  await rm(markerPath, { force: true });
  const outcome = await filterShard(index, ctx, options);
  await writeAtomic(parquetPath, await toParquet(tableFromRows(outcome.rows, resultColumns(manifest.resolved.stages))));
  // The marker last: its presence (with this input's identity) is what makes the shard reusable and mergeable.
  const marker: ShardMarker = { ...outcome.summary, key: shardKey(outcome.plan, manifest.labelsKey), plan: outcome.plan };
  await writeAtomic(markerPath, `${JSON.stringify(marker, null, 2)}\n`);
  return { ...outcome, note };
}

/** A finished shard's rows, one Parquet row group at a time (optionally only some columns). */
export async function* shardRowGroups(shardDir: string, name: string, columns?: string[]): AsyncGenerator<import("apache-arrow").Table> {
  const { openAsBlob } = await import("node:fs");
  yield* readParquetRowGroups(await openAsBlob(shardParquetPath(shardDir, name)), { columns });
}
