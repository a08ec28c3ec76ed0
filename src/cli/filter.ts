// `ccw filter` (and `ccw filter merge`): its flags and help; the run is in filter-run.ts, loaded only when it runs.
import { OPTIONS } from "../lib/filter/config.js";
import { PRESETS, PRESET_NAMES } from "../lib/filter/presets.js";
import { STAGES } from "../lib/filter/reasons.js";
import { lazyRun, shardFlags, type Command } from "./command.js";
import { defineFlags, helpText } from "./flags.js";

const optionLines = Object.entries(OPTIONS).map(([key, spec]) => `    ${key.padEnd(30)} ${spec.doc}`).join("\n");

export const FLAGS = defineFlags({
  out: { type: "path", arg: "<dir>", needs: "an output folder", doc: "output folder (required; created if missing)" },
  // The library checks presets and stages, naming the valid ones.
  preset: { type: "string", arg: "<name>", default: "cc3m", doc: `preset: ${PRESET_NAMES.join(" | ")}` },
  stages: { type: "list", defaultDoc: "the preset's", doc: `comma-separated subset of ${STAGES.join(",")}` },
  set: { type: "repeat", arg: "<k=v>", doc: "override one option (e.g. --set text.maxNounRatio=0.7); null turns a nullable threshold off" },
  labels: { type: "path", arg: "<tsv>", doc: "CC image-labels TSV: labels attached to candidates by image URL" },
  "all-reasons": { type: "boolean", doc: "record every rule that would reject, not only the first" },
  workers: { type: "int", min: 1, max: 64, defaultDoc: "number of cores, at most one per 400 candidates of a shard", doc: "worker threads; results do not depend on it" },
  "no-resume": { type: "boolean", doc: "re-run shards even when their outputs exist" },
  ...shardFlags("run only task I of N (I from 0): inputs j with j mod N = I, into <dir>/shards/"),
});

export const filterCommand: Command = {
  name: "filter",
  summary: "run the Conceptual Captions filter pipeline over WARC, TSV or synthetic inputs (in one process, or as N shard tasks and a merge)",
  usage: helpText(
    `Usage: ccw filter <input>... --out <dir> [options]
       ccw filter <input>... --out <dir> --shard I/N [options]     one task of N; no merge
       ccw filter merge <dir>                                      merge the tasks' shards

Runs candidates through the stages (${STAGES.join(", ")}) and accounts
for every one: kept, or the first rule that rejected it. Each input is one shard.

Inputs (one shard each):
  <file>.tsv[.gz]        CC3M (caption<TAB>url) or CC12M (url<TAB>caption) TSV: caption-only, so
                         the image stage is skipped (the summary says so); a CC image-labels TSV
                         (5 columns) also supplies labels for grounding
  <file>.warc[.gz]       a crawl: <img> candidates joined with the image responses by URL
  synth:PAGES[:SEED]     the built-in synthetic crawl, rendered (noise classes kept for scoring)

Writes into <dir>:
  funnel.json            the configuration (preset, overrides, values' paper sources), per stage and
                         per rule the counts in, kept and rejected, per shard, entity-type counts
  candidates.arrow       one row per candidate: id, features, status, first rejecting rule,
  candidates.parquet     transformed caption (Arrow IPC stream / Parquet, same schema)
  funnel.arrow           the funnel as a table: one row per stage and per rule (in, kept, rejected)
  shards/<name>.parquet  per-shard rows and <name>.funnel.json, the shard's completion marker:
                         re-running skips finished shards (same input content and configuration)
  shards/run.json        the run: inputs in order, resolved configuration, task count N

Shards on a cluster: every task is given the same inputs, in the same order, and the same flags, plus
--shard I/N (or a scheduler's task index). Task I filters inputs j with j mod N = I into <dir>/shards/
and writes no merged files; the first task records shards/run.json and every other task must agree
with it (exit 2 naming the difference otherwise). \`ccw filter merge <dir>\` then reads every shard the
run expects, refuses (exit 2) naming each one that is missing or was made from another input or with
another configuration, runs the corpus-level stages, and writes the same files as a one-process run,
row for row. The merge streams the shards by Parquet row group: its memory does not grow with the corpus.`,
    [{ title: "Options:", flags: FLAGS }],
    `Presets:
${PRESET_NAMES.map((p) => `  ${p.padEnd(16)} ${PRESETS[p].description}`).join("\n")}

Options for --set (stage.option; see the README for every preset's values and which are the papers'):
${optionLines}`,
  ),
  flags: FLAGS,
  allowPositionals: true,
  run: lazyRun(async () => (await import("./filter-run.js")).run),
};
