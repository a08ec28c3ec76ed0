// What `ccw filter` runs (flags and help: filter.ts).
import { resolve } from "node:path";
import {
  FilterConfigError, OPTIONS, PRESETS, PRESET_NAMES, REASON_INFO, STAGES, resolveConfig, type Funnel, type Reason, type ResolvedConfig,
} from "../lib/filter/index.js";
import { runFilter, type FilterRunSummary } from "../lib/filter/node.js";
import { intOption, UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { progressLine } from "./progress.js";


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

/** `ccw filter`: what filterCommand runs once its arguments have parsed. */
export async function run({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  if (positionals.length === 0) throw new UsageError("ccw filter: give at least one input (a TSV, a WARC, or synth:PAGES[:SEED]); see `ccw filter --help`");
  if (typeof values.out !== "string" || values.out === "") throw new UsageError("ccw filter: --out <dir> is required (the folder to write funnel.json and the candidate tables into)");
  let resolved: ResolvedConfig;
  try {
    resolved = resolveConfig((values.preset as string | undefined) ?? "cc3m", {
      overrides: (values.set as string[] | undefined) ?? [],
      stages: values.stages === undefined ? undefined : String(values.stages).split(",").map((s) => s.trim()).filter(Boolean),
    });
  } catch (error) {
    if (error instanceof FilterConfigError) throw new UsageError(`ccw filter: ${error.message}`);
    throw error;
  }
  const workers = intOption("filter", "workers", values.workers, 0, 1, 64) || undefined;
  for (const input of positionals) await checkInput(input);
  if (values.labels !== undefined) await checkInput(String(values.labels), ["cc-labels"], "--labels");
  const started = Date.now();
  let last = 0;
  const summary = await runFilter({
    inputs: positionals,
    resolved,
    out: resolve(values.out),
    workers,
    allReasons: Boolean(values["all-reasons"]),
    labels: values.labels as string | undefined,
    resume: !values["no-resume"],
    onProgress: ({ shard, phase, done, total }) => {
      const now = Date.now();
      if (done < total && now - last < 1000) return;
      last = now;
      const elapsed = (now - started) / 1000;
      const eta = done > 0 && phase === "filter" ? ` ETA ${Math.round((elapsed / done) * (total - done))}s` : "";
      io.err(progressLine(`${shard} ${phase === "read" ? "rendering" : "filtering"}`, done, total, `${elapsed.toFixed(0)}s${eta}`));
    },
    onShardDone: (name, reused, note) => io.err(`${name}: ${reused ? "reused finished shard" : note ? `done (finished shard not reused: ${note})` : "done"}`),
  });
  io.out(`ccw filter: preset ${summary.preset}${summary.overrides.length ? ` with ${summary.overrides.join(" ")}` : ""}, ${summary.shards.length} shard(s), ${(summary.elapsedMs / 1000).toFixed(1)}s`);
  for (const line of funnelLines(summary)) io.out(line);
  if (summary.entityTypes) io.out(`entity types: ${summary.entityTypes.types} distinct, threshold > ${summary.entityTypes.threshold.toPrecision(3)} (100 per 3,318,333 pairs, scaled to ${summary.funnel.input})`);
  const readErrors = summary.shards.reduce((n, s) => n + Object.values(s.readErrors).reduce((a, b) => a + b, 0), 0);
  if (readErrors) io.out(`input records that did not become candidates (counted, not filtered): ${readErrors}`);
  if (summary.noiseClasses) for (const line of noiseClassLines(summary.noiseClasses)) io.out(line);
  io.out("rejections by reason:");
  for (const line of reasonLines(summary.funnel)) io.out(line);
  io.out(`wrote ${resolve(values.out)}/funnel.json, funnel.arrow, candidates.arrow, candidates.parquet`);
  return 0;
}
