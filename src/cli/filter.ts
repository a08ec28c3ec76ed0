// `ccw filter`: its flags and help; the run is in filter-run.ts, loaded only when it runs.
import { OPTIONS } from "../lib/filter/config.js";
import { PRESETS, PRESET_NAMES } from "../lib/filter/presets.js";
import { STAGES } from "../lib/filter/reasons.js";
import { lazyRun, type Command } from "./command.js";

const optionLines = Object.entries(OPTIONS).map(([key, spec]) => `    ${key.padEnd(30)} ${spec.doc}`).join("\n");

export const filterCommand: Command = {
  name: "filter",
  summary: "run the Conceptual Captions filter pipeline over WARC, TSV or synthetic inputs",
  usage: `Usage: ccw filter <input>... --out <dir> [options]

Runs candidates through the stages (image, text, grounding, transform, entity-type) and accounts
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
  shards/<name>.parquet  per-shard rows and <name>.funnel.json: re-running skips finished shards

Options:
  --out <dir>            output folder (required; created if missing)
  --preset <name>        ${PRESET_NAMES.join(" | ")} (default: cc3m)
  --stages <list>        comma-separated subset of ${STAGES.join(",")} (default: the preset's)
  --set <k=v>            override one option, repeatable (e.g. --set text.maxNounRatio=0.7);
                         null turns a nullable threshold off
  --labels <tsv>         CC image-labels TSV: labels attached to candidates by image URL
  --all-reasons          record every rule that would reject, not only the first
  --workers <n>          worker threads, 1 to 64 (default: number of cores, at most one per 400
                         candidates of a shard); results do not depend on it
  --no-resume            re-run shards even when their outputs exist
  -h, --help             show this help

Presets:
${PRESET_NAMES.map((p) => `  ${p.padEnd(16)} ${PRESETS[p].description}`).join("\n")}

Options for --set (stage.option; see the README for every preset's values and which are the papers'):
${optionLines}`,
  options: {
    out: { type: "string" },
    preset: { type: "string" },
    stages: { type: "string" },
    set: { type: "string", multiple: true },
    labels: { type: "string" },
    "all-reasons": { type: "boolean" },
    workers: { type: "string" },
    "no-resume": { type: "boolean" },
  },
  allowPositionals: true,
  run: lazyRun(async () => (await import("./filter-run.js")).run),
};
