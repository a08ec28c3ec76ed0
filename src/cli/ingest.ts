// `ccw ingest`: its flags and help; the run is in ingest-run.ts, loaded only when it runs.
import { PARQUET_COMPRESSIONS } from "../lib/arrow/compression.js";
import { SOURCE_FORMATS } from "../lib/sources/format-names.js";
import { lazyRun, type Command } from "./command.js";

export const ingestCommand: Command = {
  name: "ingest",
  summary: "read a dataset (CC3M/CC12M TSV, COCO JSON, image folder, WARC) into an Arrow or Parquet table",
  usage: `Usage: ccw ingest <input> --out <file.arrow|file.parquet> [options]

Reads a dataset in its published format and writes a table with a documented schema
(docs/schemas.md). Malformed rows are counted by kind with their line/record number and
skipped; nothing is dropped silently. Prints rows read, rows written and errors by kind.

Arguments:
  input                  a file (TSV, JSON, WARC; .gz accepted) or a folder of images

Options:
  --out <file>           output table: .arrow (Arrow IPC stream, what the pages load) or .parquet
  --format <name>        input format (default: detected): ${SOURCE_FORMATS.join(" | ")}
  --sample <n>           keep a uniform random sample of n rows per table (default: every row)
  --seed <s>             sample seed, same seed = same sample (default: 42)
  --strict               stop at the first malformed row (exit 1) instead of counting it
  --captions <file>      images format: captions sidecar (default: captions.jsonl/.tsv in the folder)
  --compression <codec>  parquet codec: ${PARQUET_COMPRESSIONS.join(" | ")} (default: zstd)
  -h, --help             show this help

WARC input writes two tables: <out> holds the <img> candidates of HTML pages, and
<out-name>.images.<ext> the image responses (format, size, status read from the bytes).`,
  options: {
    out: { type: "string", short: "o" },
    format: { type: "string" },
    sample: { type: "string" },
    seed: { type: "string" },
    strict: { type: "boolean" },
    captions: { type: "string" },
    compression: { type: "string" },
  },
  allowPositionals: true,
  run: lazyRun(async () => (await import("./ingest-run.js")).run),
};
