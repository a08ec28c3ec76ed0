// `ccw download`: its flags and help; the run is in download-run.ts, loaded only when it runs.
import { RESIZE_MODES } from "../lib/download/resize.js";
import { TSV_FORMATS } from "../lib/sources/format-names.js";
import { lazyRun, type Command } from "./command.js";

export const downloadCommand: Command = {
  name: "download",
  summary: "download the images of a URL list (CC3M/CC12M TSV or a table with a url column), resumably",
  usage: `Usage: ccw download <input.tsv|input.parquet|input.arrow> --out <dir> [options]

Fetches every URL with a concurrency limit, a per-request deadline, bounded retries, a byte
limit and a redirect limit; honours X-Robots-Tag noai/noimageai opt-outs; refuses non-http(s)
URLs and private, loopback and link-local addresses. Each image is verified from its bytes
(format by magic number, size from the header, completeness, pixel limit) and saved as
<dir>/images/NNNNN/KKKKKKKKK.<ext>. Writes <dir>/status.arrow and status.parquet (exactly one
row per input row with its status: a bad URL, an unusable key or a line that does not parse is
a row too) and <dir>/stats.json. Re-running with the same input (same bytes) resumes: saved
images are kept and every other row is tried again; another input, or the same file edited,
into the same --out is refused. Table keys must be distinct.

Arguments:
  input                   CC3M (caption<TAB>url), CC12M (url<TAB>caption) or cc-labels TSV; or an
                          .arrow/.parquet table with a url column (e.g. from \`ccw ingest\`)

Options:
  --out <dir>             output folder (created if needed)
  --format <name>         TSV layout: ${TSV_FORMATS.join(" | ")} (default: detected)
  --concurrency <n>       requests in flight (default: 16)
  --timeout-ms <ms>       deadline per attempt: connect, headers and body (default: 10000)
  --max-bytes <n>         largest image accepted, bytes (default: 20971520 = 20 MiB)
  --max-redirects <n>     redirects followed (default: 5)
  --retries <n>           extra attempts for timeouts, network errors, HTTP 408/429/5xx (default: 1)
  --max-pixels <n>        largest declared width × height (default: 89478485)
  --resize-mode <mode>    ${RESIZE_MODES.join(" | ")} (default: no = keep original bytes)
  --image-size <px>       target side for --resize-mode (default: 256)
  --user-agent <text>     User-Agent header (default: names ccw)
  --allow-private         allow private, loopback and link-local addresses (default: refused)
  -h, --help              show this help`,
  options: {
    out: { type: "string", short: "o" },
    format: { type: "string" },
    concurrency: { type: "string" },
    "timeout-ms": { type: "string" },
    "max-bytes": { type: "string" },
    "max-redirects": { type: "string" },
    retries: { type: "string" },
    "max-pixels": { type: "string" },
    "resize-mode": { type: "string" },
    "image-size": { type: "string" },
    "user-agent": { type: "string" },
    "allow-private": { type: "boolean" },
  },
  allowPositionals: true,
  run: lazyRun(async () => (await import("./download-run.js")).run),
};
