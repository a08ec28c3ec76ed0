// `ccw download` (and `ccw download merge`): its flags and help; the run is in download-run.ts, loaded only when it runs.
import { RESIZE_MODES } from "../lib/download/resize.js";
import { TSV_FORMATS } from "../lib/sources/format-names.js";
import { lazyRun, shardFlags, type Command } from "./command.js";
import { defineFlags, helpText } from "./flags.js";

export const FLAGS = defineFlags({
  out: { type: "path", short: "o", arg: "<dir>", needs: "an output folder", doc: "output folder (created if needed)" },
  format: { type: "enum", arg: "<name>", values: TSV_FORMATS, defaultDoc: "detected", doc: "TSV layout" },
  concurrency: { type: "int", min: 1, max: 1024, default: 16, doc: "requests in flight" },
  "timeout-ms": { type: "int", arg: "<ms>", min: 1, max: 600_000, default: 10_000, doc: "deadline per attempt: connect, headers and body" },
  "max-bytes": { type: "int", min: 1, max: 2 ** 31 - 1, default: 20 * 1024 * 1024, defaultDoc: "20 MiB", doc: "largest image accepted, bytes" },
  "max-redirects": { type: "int", min: 0, max: 50, default: 5, doc: "redirects followed" },
  retries: { type: "int", min: 0, max: 10, default: 1, doc: "extra attempts for timeouts, network errors, HTTP 408/429/5xx" },
  "max-pixels": { type: "int", min: 1, max: 2 ** 40, default: 89_478_485, defaultDoc: "Pillow's decompression-bomb limit", doc: "largest declared width × height" },
  "resize-mode": { type: "enum", arg: "<mode>", values: RESIZE_MODES, default: "no", defaultDoc: "keep original bytes", doc: "resize before saving" },
  "image-size": { type: "int", arg: "<px>", min: 1, max: 16384, default: 256, doc: "target side for --resize-mode" },
  "user-agent": { type: "string", arg: "<text>", defaultDoc: "names ccw", doc: "User-Agent header" },
  "allow-private": { type: "boolean", doc: "allow private, loopback and link-local addresses (default: refused)" },
  ...shardFlags("download only task I of N (I from 0): input rows j with j mod N = I, into <dir>/shards/task-I-of-N/"),
});

export const downloadCommand: Command = {
  name: "download",
  summary: "download the images of a URL list (CC3M/CC12M TSV or a table with a url column), resumably, in one process or as N tasks and a merge",
  usage: helpText(
    `Usage: ccw download <input.tsv|input.parquet|input.arrow> --out <dir> [options]
       ccw download <input> --out <dir> --shard I/N [options]     one task of N; no merge
       ccw download merge <dir>                                  merge the tasks' status tables and stats

Fetches every URL with a concurrency limit, a per-request deadline, bounded retries, a byte
limit and a redirect limit; honours X-Robots-Tag noai/noimageai opt-outs; refuses non-http(s)
URLs and private, loopback and link-local addresses. Each image is verified from its bytes
(format by magic number, size from the header, completeness, pixel limit) and saved as
<dir>/images/NNNNN/KKKKKKKKK.<ext>. Writes <dir>/status.arrow and status.parquet (exactly one
row per input row with its status: a bad URL, an unusable key or a line that does not parse is
a row too) and <dir>/stats.json. Re-running with the same input (same bytes) resumes: saved
images are kept and every other row is tried again; another input, or the same file edited,
into the same --out is refused. Table keys must be distinct.

Shards: task I of N takes input rows j with j mod N = I (every line counts, unparsable ones too, so each row
is exactly one task's), keeps its own resumable journal, status tables and stats.json (written last: the
task's completion marker) in <dir>/shards/task-I-of-N/, and saves images under <dir>/images/. The first
task records <dir>/shards/download.json (input size + SHA-256, N, options); the others must agree (exit 2
otherwise). \`ccw download merge <dir>\` refuses (exit 2) naming the tasks not finished, then writes
<dir>/status.arrow, status.parquet (every input row exactly once) and stats.json (counts summed).

Arguments:
  input                   CC3M (caption<TAB>url), CC12M (url<TAB>caption) or cc-labels TSV; or an
                          .arrow/.parquet table with a url column (e.g. from \`ccw ingest\`)`,
    [{ title: "Options:", flags: FLAGS }],
  ),
  flags: FLAGS,
  allowPositionals: true,
  run: lazyRun(async () => (await import("./download-run.js")).run),
};
