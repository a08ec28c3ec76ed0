// What `ccw download` runs (flags and help: download.ts).
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { fromArrowIPC, fromParquet } from "../lib/arrow/index.js";
import { downloadImages, JournalMismatchError, RESIZE_MODES, type DownloadItem, type ResizeMode } from "../lib/download/index.js";
import { fileIdentity } from "../lib/files/index.js";
import { detectFormat, readTsvFormat, tableFormatFromPath, TSV_FORMATS, type TsvFormat } from "../lib/sources/index.js";
import { intOption, UsageError, type CommandArgs, type CommandIO } from "./command.js";

const fmt = (n: number) => n.toLocaleString("en-US");

interface InputTally {
  records: number;
  errors: Record<string, number>;
}

/** Empty and blank captions become null ("no caption"), the rest is kept byte for byte. */
const captionOrNull = (c: unknown): string | null => (typeof c === "string" && c.trim() !== "" ? c : null);

/**
 * Rows of a CC3M/CC12M/cc-labels TSV, key = line number. Every line becomes one item: a non-http(s) URL
 * goes on to end as bad_url, an empty caption is no reason to skip an image, and a line that does not
 * parse ends as bad_row with the reader's message.
 */
async function* fromTsv(path: string, format: TsvFormat, tally: InputTally): AsyncGenerator<DownloadItem> {
  for await (const batch of readTsvFormat(format, path, { allowEmptyCaption: true, allowBadUrl: true })) {
    tally.records += batch.rows.length + batch.errors.length;
    for (const e of batch.errors) {
      tally.errors[e.kind] = (tally.errors[e.kind] ?? 0) + 1;
      yield { key: Number(e.where), url: "", caption: null, refused: { status: "bad_row", message: `${e.kind}: ${e.message}` } };
    }
    for (const row of batch.rows) yield { key: row.line, url: row.url, caption: captionOrNull(row.caption) };
  }
}

/** How many repeated keys an error lists before "and N more". */
const LISTED = 5;

/**
 * Rows of an Arrow or Parquet table with a `url` column; key = its `key` or `line` column, else the row
 * index. Keys are checked before anything is fetched: a value that is not an integer from 0 to 2^53 - 1
 * ends that row as bad_key; keys shared by several rows refuse the input, naming them (which row would
 * own the image file is not ours to guess).
 */
async function fromTable(path: string, kind: "arrow" | "parquet", tally: InputTally): Promise<AsyncGenerator<DownloadItem>> {
  const bytes = await readFile(path);
  const table = kind === "parquet" ? await fromParquet(bytes) : fromArrowIPC(bytes);
  const url = table.getChild("url");
  if (!url) throw new UsageError(`ccw download: ${path} has no "url" column (columns: ${table.schema.fields.map((f) => f.name).join(", ")})`);
  const caption = table.getChild("caption");
  const keyName = table.getChild("key") ? "key" : table.getChild("line") ? "line" : null;
  const keyColumn = keyName ? table.getChild(keyName)! : null;
  const keys: number[] = new Array(table.numRows);
  const firstRow = new Map<number, number>();
  const repeated = new Map<number, number[]>();
  for (let i = 0; i < table.numRows; i++) {
    const raw: unknown = keyColumn ? keyColumn.get(i) : i;
    const k = typeof raw === "bigint" ? Number(raw) : typeof raw === "number" ? raw : Number.NaN;
    keys[i] = typeof raw === "bigint" && BigInt(k) !== raw ? Number.NaN : k;
    if (!Number.isSafeInteger(keys[i]) || keys[i]! < 0) continue;
    const first = firstRow.get(k);
    if (first === undefined) firstRow.set(k, i);
    else repeated.set(k, [...(repeated.get(k) ?? [first]), i]);
  }
  if (repeated.size) {
    const listed = [...repeated].slice(0, LISTED).map(([k, rows]) => `${k} (rows ${rows.join(", ")})`);
    throw new UsageError(
      `ccw download: ${path}: ${repeated.size} value${repeated.size === 1 ? "" : "s"} of the ${JSON.stringify(keyName)} column repeat: ${listed.join("; ")}${repeated.size > LISTED ? `; and ${repeated.size - LISTED} more` : ""} ` +
        `(row numbers from 0). Keys name the image files and the resume journal, so each must be distinct: fix the column, or rename it so rows are keyed by their index`,
    );
  }
  async function* items(): AsyncGenerator<DownloadItem> {
    for (let i = 0; i < table.numRows; i++) {
      tally.records++;
      const u: unknown = url!.get(i);
      // An empty or missing url cell ends as bad_url, like any other URL that cannot be fetched.
      const item: DownloadItem = { key: keys[i]!, url: u === null || u === undefined ? "" : String(u), caption: captionOrNull(caption?.get(i)) };
      if (!Number.isSafeInteger(item.key) || item.key < 0) {
        const raw: unknown = keyColumn!.get(i);
        item.refused = { status: "bad_key", message: `row ${i}: ${JSON.stringify(keyName)} ${typeof raw === "bigint" ? raw.toString() : JSON.stringify(raw)} is not an integer from 0 to 2^53 - 1` };
      }
      yield item;
    }
  }
  return items();
}

/** `ccw download`: what downloadCommand runs once its arguments have parsed. */
export async function run({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(`ccw download: expected one input file, got ${positionals.length}${positionals.length ? `: ${positionals.join(" ")}` : ""}`);
  const input = resolve(positionals[0]!);
  if (!(await stat(input).then((s) => s.isFile(), () => false))) throw new UsageError(`ccw download: ${input} is not a file`);
  if (typeof values.out !== "string") throw new UsageError("ccw download: --out <dir> is required");
  const out = resolve(values.out);
  const resizeMode = (values["resize-mode"] ?? "no") as ResizeMode;
  if (!RESIZE_MODES.includes(resizeMode)) throw new UsageError(`ccw download: --resize-mode must be one of ${RESIZE_MODES.join(", ")}, got ${JSON.stringify(values["resize-mode"])}`);
  const options = {
    concurrency: intOption("download", "concurrency", values.concurrency, 16, 1, 1024),
    timeoutMs: intOption("download", "timeout-ms", values["timeout-ms"], 10_000, 1, 600_000),
    maxBytes: intOption("download", "max-bytes", values["max-bytes"], 20 * 1024 * 1024, 1, 2 ** 31 - 1),
    maxRedirects: intOption("download", "max-redirects", values["max-redirects"], 5, 0, 50),
    retries: intOption("download", "retries", values.retries, 1, 0, 10),
    maxPixels: intOption("download", "max-pixels", values["max-pixels"], 89_478_485, 1, 2 ** 40),
    allowPrivate: Boolean(values["allow-private"]),
    ...(values["user-agent"] ? { userAgent: String(values["user-agent"]) } : {}),
    ...(resizeMode !== "no" ? { resize: { mode: resizeMode, size: intOption("download", "image-size", values["image-size"], 256, 1, 16384) } } : {}),
  };

  const tally: InputTally = { records: 0, errors: {} };
  const table = tableFormatFromPath(input);
  let items: AsyncGenerator<DownloadItem>;
  if (table) {
    if (values.format !== undefined) throw new UsageError("ccw download: --format applies to TSV input only");
    items = await fromTable(input, table, tally);
  } else {
    let format: TsvFormat;
    if (values.format !== undefined) {
      if (!(TSV_FORMATS as readonly string[]).includes(String(values.format))) throw new UsageError(`ccw download: --format must be one of ${TSV_FORMATS.join(", ")}, got ${JSON.stringify(values.format)}`);
      format = values.format as TsvFormat;
    } else {
      const detected = await detectFormat(input).catch((e: Error) => {
        throw new UsageError(`ccw download: ${e.message}`);
      });
      if (!(TSV_FORMATS as readonly string[]).includes(detected)) throw new UsageError(`ccw download: ${input} looks like ${detected}, not a URL list; valid inputs: ${TSV_FORMATS.join(", ")} TSV, or .arrow/.parquet with a url column`);
      format = detected as TsvFormat;
    }
    items = fromTsv(input, format, tally);
  }

  let last = performance.now();
  const inputSummary = { path: input, get records() { return tally.records; }, errors: tally.errors };
  const source = await fileIdentity(input);
  const stats = await downloadImages(items, out, {
    ...options,
    input: inputSummary,
    source,
    onResult: (_row, done) => {
      const now = performance.now();
      if (now - last < 5000) return;
      last = now;
      io.err(`… ${fmt(done)} rows done`);
    },
  }).catch((error: unknown) => {
    if (error instanceof JournalMismatchError) throw new UsageError(`ccw download: ${error.message} (--out)`);
    throw error;
  });
  const counts = Object.entries(stats.counts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  io.out(`ccw download: ${fmt(stats.total)} rows in the status table, ${fmt(stats.counts.ok)} ok (${(100 * stats.success_rate).toFixed(1)}%)`);
  io.out(`  by status: ${counts.map(([k, n]) => `${k} ${fmt(n)}`).join(", ") || "none"}`);
  io.out(`  this run: ${fmt(stats.this_run.attempted)} fetched, ${fmt(stats.this_run.resumed_ok)} already saved, ${stats.this_run.elapsed_s.toFixed(1)} s, ${stats.this_run.urls_per_s} URLs/s`);
  const inputErrors = Object.entries(tally.errors);
  if (inputErrors.length) io.out(`  input lines that did not parse (status bad_row): ${inputErrors.map(([k, n]) => `${k} ${fmt(n)}`).join(", ")}`);
  io.out(`  wrote ${out}/status.arrow, status.parquet, stats.json and images/`);
  return 0;
}
