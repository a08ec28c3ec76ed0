// `ccw ingest`: its flags and help; the run is in ingest-run.ts, loaded only when it runs.
import { DEFAULT_PARQUET_COMPRESSION, PARQUET_COMPRESSIONS } from "../lib/arrow/compression.js";
import { SOURCE_FORMATS } from "../lib/sources/format-names.js";
import { DEFAULT_SEED } from "../lib/sources/sample.js";
import { lazyRun, type Command } from "./command.js";
import { defineFlags, helpText } from "./flags.js";

export const FLAGS = defineFlags({
  out: { type: "path", short: "o", arg: "<file>", needs: "an output table (.arrow or .parquet)", doc: "output table: .arrow (Arrow IPC stream, what the pages load) or .parquet" },
  // The library checks the format, naming the valid ones.
  format: { type: "string", arg: "<name>", defaultDoc: "detected", doc: `input format: ${SOURCE_FORMATS.join(" | ")}` },
  sample: { type: "int", min: 1, max: 2 ** 31 - 1, defaultDoc: "every row", doc: "keep a uniform random sample of n rows per table" },
  seed: { type: "int", arg: "<s>", min: 0, max: 2 ** 32 - 1, default: DEFAULT_SEED, doc: "sample seed, same seed = same sample" },
  strict: { type: "boolean", doc: "stop at the first malformed row (exit 1) instead of counting it" },
  captions: { type: "path", arg: "<file>", defaultDoc: "captions.jsonl/.tsv in the folder", doc: "images format: captions sidecar" },
  compression: { type: "enum", arg: "<codec>", values: PARQUET_COMPRESSIONS, default: DEFAULT_PARQUET_COMPRESSION, doc: "parquet codec" },
});

export const ingestCommand: Command = {
  name: "ingest",
  summary: "read a dataset (CC3M/CC12M TSV, COCO JSON, image folder, WARC) into an Arrow or Parquet table",
  get usage() {
    return helpText(
      `Usage: ccw ingest <input> --out <file.arrow|file.parquet> [options]

Reads a dataset in its published format and writes a table with a documented schema
(docs/schemas.md). Malformed rows are counted by kind with their line/record number and
skipped; nothing is dropped silently. Prints rows read, rows written and errors by kind.

Arguments:
  input                  a file (TSV, JSON, WARC; .gz accepted) or a folder of images`,
      [{ title: "Options:", flags: FLAGS }],
      `WARC input writes two tables: <out> holds the <img> candidates of HTML pages, and
<out-name>.images.<ext> the image responses (format, size, status read from the bytes).`,
    );
  },
  flags: FLAGS,
  allowPositionals: true,
  run: lazyRun(async () => (await import("./ingest-run.js")).run),
};
