// What `ccw filter` runs (flags and help: filter.ts).
import { resolve } from "node:path";
import { FilterConfigError, REASON_INFO, resolveConfig, type Funnel, type Reason, type ResolvedConfig } from "../lib/filter/index.js";
import type { FilterRunSummary } from "../lib/filter/node.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { FLAGS } from "./filter.js";
import { readFlags } from "./flags.js";
import { progressLine } from "./progress.js";
import { mergeFolder, shardTask } from "./shard-task.js";


/** Prints the funnel: one line per stage with its pass rate beside the paper's, then the top reasons. */
export function funnelLines(summary: Pick<FilterRunSummary, "funnel" | "skipped" | "paperPassRates">): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [`${"stage".padEnd(12)} ${"in".padStart(8)} ${"kept".padStart(8)} ${"pass".padStart(7)} ${"paper".padStart(7)}  top reasons`];
  for (const s of summary.funnel.stages) {
    if (s.skipped) {
      lines.push(`${s.stage.padEnd(12)} ${String(s.in).padStart(8)} ${String(s.kept).padStart(8)} ${"-".padStart(7)} ${"".padStart(7)}  skipped: ${s.skipped}`);
      continue;
    }
    const top = Object.entries(s.byReason).filter(([, n]) => (n ?? 0) > 0).sort((a, b) => b[1]! - a[1]!).slice(0, 4).map(([r, n]) => `${r} ${n}`).join(", ");
    const paper = summary.paperPassRates[s.stage];
    lines.push(`${s.stage.padEnd(12)} ${String(s.in).padStart(8)} ${String(s.kept).padStart(8)} ${(s.in ? pct(s.kept / s.in) : "-").padStart(7)} ${(paper === undefined ? "" : `~${pct(paper)}`).padStart(7)}  ${top}`);
  }
  lines.push(`kept ${summary.funnel.kept} of ${summary.funnel.input} (${summary.funnel.input ? pct(summary.funnel.kept / summary.funnel.input) : "-"}); paper column: approximate pass rates stated by Sharma et al. 2018 (paper reference)`);
  return lines;
}

/** Reasons that rejected nothing are left out; an empty funnel says so. */
export function reasonLines(funnel: Funnel): string[] {
  const rows = Object.entries(funnel.byReason).filter(([, n]) => (n ?? 0) > 0).sort((a, b) => b[1]! - a[1]!);
  return rows.map(([r, n]) => `  ${r.padEnd(28)} ${String(n).padStart(8)}  ${REASON_INFO[r as Reason].description}`);
}

/** The synthetic crawl's per-noise-class table: what the text stage kept, what grounding kept. */
export function noiseClassLines(scores: NonNullable<FilterRunSummary["noiseClasses"]>): string[] {
  const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)}%` : "-");
  return [
    "text filter per noise class (synthetic ground truth; wanted = a perfect text filter keeps it):",
    `  ${"class".padEnd(18)} ${"wanted".padEnd(7)} ${"n".padStart(5)} ${"text kept".padStart(9)} ${"grounding kept".padStart(14)}  top text reason`,
    ...scores.classes.map((c) => `  ${c.noise_class.padEnd(18)} ${String(c.wanted ?? "n/a").padEnd(7)} ${String(c.candidates).padStart(5)} ${pct(c.kept, c.candidates).padStart(9)} ${`${pct(c.groundingKept, c.grounded)} of ${c.grounded}`.padStart(14)}  ${c.topReason ?? ""}`),
    `  text stage: precision ${scores.precision.toFixed(3)}, recall ${scores.recall.toFixed(3)} (wrong-description left out)`,
  ];
}

const INPUT_FORMATS = ["cc3m", "cc12m", "cc-labels", "warc"] as const;

/** An input must be synth:PAGES[:SEED] or a readable file of a format the filter reads (exit 2 otherwise). */
async function checkInput(input: string, formats: readonly string[] = INPUT_FORMATS, what = "input"): Promise<void> {
  const { parseSynthSpec } = await import("../lib/filter/node.js");
  const { detectFormat } = await import("../lib/sources/index.js");
  let format: string;
  try {
    if (what === "input" && parseSynthSpec(input)) return;
    format = await detectFormat(input);
  } catch (error) {
    throw new UsageError(`ccw filter: cannot read ${what} ${JSON.stringify(input)}: ${(error as Error).message}`);
  }
  if (!formats.includes(format)) {
    throw new UsageError(`ccw filter: ${what} ${JSON.stringify(input)} is ${format}; valid: ${formats.join(", ")}${what === "input" ? " files, or synth:PAGES[:SEED]" : ""}`);
  }
}

/** The run's summary as printed after a one-process run and after a merge. */
function printSummary(summary: FilterRunSummary, out: string, io: CommandIO, what: string): void {
  io.out(`ccw filter${what}: preset ${summary.preset}${summary.overrides.length ? ` with ${summary.overrides.join(" ")}` : ""}, ${summary.shards.length} shard(s), ${(summary.elapsedMs / 1000).toFixed(1)}s`);
  for (const line of funnelLines(summary)) io.out(line);
  if (summary.entityTypes) io.out(`entity types: ${summary.entityTypes.types} distinct, threshold > ${summary.entityTypes.threshold.toPrecision(3)} (100 per 3,318,333 pairs, scaled to ${summary.funnel.input})`);
  const readErrors = summary.shards.reduce((n, s) => n + Object.values(s.readErrors).reduce((a, b) => a + b, 0), 0);
  if (readErrors) io.out(`input records that did not become candidates (counted, not filtered): ${readErrors}`);
  if (summary.noiseClasses) for (const line of noiseClassLines(summary.noiseClasses)) io.out(line);
  io.out("rejections by reason:");
  for (const line of reasonLines(summary.funnel)) io.out(line);
  io.out(`wrote ${out}/funnel.json, funnel.arrow, candidates.arrow, candidates.parquet`);
}

/** A refusal of the library (a foreign manifest, missing or mismatched shards) as a usage error: exit 2, no stack. */
async function refusals<T>(work: Promise<T>): Promise<T> {
  const { RunManifestError, ShardMergeError } = await import("../lib/filter/node.js");
  return work.catch((error: unknown) => {
    if (error instanceof RunManifestError || error instanceof ShardMergeError) throw new UsageError(`ccw filter: ${error.message}`);
    throw error;
  });
}

/** `ccw filter merge <dir>`: the shards the run in <dir> expects, merged into its files. */
async function runMerge(positionals: string[], values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const out = resolve(mergeFolder("filter", positionals, values, "<dir>/shards/run.json: inputs and configuration"));
  const { mergeRun } = await import("../lib/filter/node.js");
  const summary = await refusals(mergeRun(out));
  printSummary(summary, out, io, " merge");
  return 0;
}

/** `ccw filter`: what filterCommand runs once its arguments have parsed. */
export async function run({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  if (positionals[0] === "merge") return runMerge(positionals, values, io);
  const flags = readFlags("filter", FLAGS, values);
  if (positionals.length === 0) throw new UsageError("ccw filter: give at least one input (a TSV, a WARC, or synth:PAGES[:SEED]); see `ccw filter --help`");
  if (flags.out === undefined) throw new UsageError("ccw filter: --out <dir> is required (the folder to write funnel.json and the candidate tables into)");
  let resolved: ResolvedConfig;
  try {
    resolved = resolveConfig(flags.preset, { overrides: flags.set, stages: flags.stages });
  } catch (error) {
    if (error instanceof FilterConfigError) throw new UsageError(`ccw filter: ${error.message}`);
    throw error;
  }
  const task = shardTask("filter", flags.shard, flags["shard-count"]);
  for (const input of positionals) await checkInput(input);
  if (flags.labels !== undefined) await checkInput(flags.labels, ["cc-labels"], "--labels");
  const out = resolve(flags.out);
  const started = Date.now();
  let last = 0;
  const options = {
    inputs: positionals,
    resolved,
    out,
    workers: flags.workers,
    allReasons: flags["all-reasons"],
    labels: flags.labels,
    resume: !flags["no-resume"],
    onProgress: ({ shard, phase, done, total }: { shard: string; phase: "read" | "filter"; done: number; total: number }) => {
      const now = Date.now();
      if (done < total && now - last < 1000) return;
      last = now;
      const elapsed = (now - started) / 1000;
      const eta = done > 0 && phase === "filter" ? ` ETA ${Math.round((elapsed / done) * (total - done))}s` : "";
      io.err(progressLine(`${shard} ${phase === "read" ? "rendering" : "filtering"}`, done, total, `${elapsed.toFixed(0)}s${eta}`));
    },
    onShardDone: (name: string, reused: boolean, note?: string) => io.err(`${name}: ${reused ? "reused finished shard" : note ? `done (finished shard not reused: ${note})` : "done"}`),
  };
  const node = await import("../lib/filter/node.js");
  if (task) {
    const done = await refusals(node.runShardTask(options, task));
    const reused = done.shards.filter((s) => s.reused).length;
    io.out(`ccw filter: task ${task.task} of ${task.count}: ${done.shards.length} of ${done.inputs} inputs (inputs j with j mod ${task.count} = ${task.task})${done.shards.length ? `, ${reused} reused: ${done.shards.map((s) => s.name).join(", ")}` : ""}, ${((Date.now() - started) / 1000).toFixed(1)}s`);
    io.out(`wrote ${out}/shards/<name>.parquet and <name>.funnel.json for each; once all ${task.count} tasks have finished: ccw filter merge ${out}`);
    return 0;
  }
  printSummary(await node.runFilter(options), out, io, "");
  return 0;
}
