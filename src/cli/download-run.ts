// What `ccw download` runs (flags and help: download.ts).
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { fromArrowIPC, fromParquet } from "../lib/arrow/index.js";
import {
  agreeDownloadManifest, downloadImages, DownloadShardError, DOWNLOAD_MANIFEST_FORMAT, JournalMismatchError, mergeDownloads, taskFolder, type DownloadItem, type ResizeMode,
} from "../lib/download/index.js";
import { fileIdentity } from "../lib/files/index.js";
import { detectFormat, readTsvFormat, tableFormatFromPath, TSV_FORMATS, type TsvFormat } from "../lib/sources/index.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { FLAGS } from "./download.js";
import { readFlags } from "./flags.js";
import { mergeFolder, shardTask } from "./shard-task.js";

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
async function* fromTsv(path: string, format: TsvFormat, tally: InputTally, owns: Owns): AsyncGenerator<DownloadItem> {
  let j = 0;
  for await (const batch of readTsvFormat(format, path, { allowEmptyCaption: true, allowBadUrl: true })) {
    for (const e of batch.errors) {
      if (!owns(j++)) continue;
      tally.records++;
      tally.errors[e.kind] = (tally.errors[e.kind] ?? 0) + 1;
      yield { key: Number(e.where), url: "", caption: null, refused: { status: "bad_row", message: `${e.kind}: ${e.message}` } };
    }
    for (const row of batch.rows) {
      if (!owns(j++)) continue;
      tally.records++;
      yield { key: row.line, url: row.url, caption: captionOrNull(row.caption) };
    }
  }
}

/** Whether this process downloads input row j (counted over every row, unparsable lines included): all, or task I of N's. */
type Owns = (j: number) => boolean;

/** How many repeated keys an error lists before "and N more". */
const LISTED = 5;

/**
 * Rows of an Arrow or Parquet table with a `url` column; key = its `key` or `line` column, else the row
 * index. Keys are checked before anything is fetched: a value that is not an integer from 0 to 2^53 - 1
 * ends that row as bad_key; keys shared by several rows refuse the input, naming them (which row would
 * own the image file is not ours to guess).
 */
async function fromTable(path: string, kind: "arrow" | "parquet", tally: InputTally, owns: Owns): Promise<AsyncGenerator<DownloadItem>> {
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
      if (!owns(i)) continue;
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

const fmtCounts = (counts: Record<string, number>) => Object.entries(counts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${fmt(n)}`).join(", ") || "none";

/** `ccw download merge <dir>`: the tasks' status tables and stats, combined. */
async function runMerge(positionals: string[], values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const out = resolve(mergeFolder("download", positionals, values, "<dir>/shards/download.json"));
  const stats = await mergeDownloads(out).catch((error: unknown) => {
    if (error instanceof DownloadShardError) throw new UsageError(`ccw download: ${error.message}`);
    throw error;
  });
  io.out(`ccw download merge: ${stats.tasks} tasks, ${fmt(stats.total)} rows in the status table, ${fmt(stats.counts.ok)} ok (${(100 * stats.success_rate).toFixed(1)}%)`);
  io.out(`  by status: ${fmtCounts(stats.counts)}`);
  io.out(`  wrote ${out}/status.arrow, status.parquet, stats.json (images/ written by the tasks)`);
  return 0;
}

/** `ccw download`: what downloadCommand runs once its arguments have parsed. */
export async function run({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  if (positionals[0] === "merge") return runMerge(positionals, values, io);
  const flags = readFlags("download", FLAGS, values);
  if (positionals.length !== 1) throw new UsageError(`ccw download: expected one input file, got ${positionals.length}${positionals.length ? `: ${positionals.join(" ")}` : ""}`);
  const input = resolve(positionals[0]!);
  if (!(await stat(input).then((s) => s.isFile(), () => false))) throw new UsageError(`ccw download: ${input} is not a file`);
  if (flags.out === undefined) throw new UsageError("ccw download: --out <dir> is required");
  const dir = resolve(flags.out);
  const task = shardTask("download", flags.shard, flags["shard-count"]);
  const resizeMode: ResizeMode = flags["resize-mode"];
  // What decides a row's status: recorded for shard tasks to agree on (concurrency does not).
  const decisive = {
    timeoutMs: flags["timeout-ms"],
    maxBytes: flags["max-bytes"],
    maxRedirects: flags["max-redirects"],
    retries: flags.retries,
    maxPixels: flags["max-pixels"],
    allowPrivate: flags["allow-private"],
    ...(flags["user-agent"] ? { userAgent: flags["user-agent"] } : {}),
    ...(resizeMode !== "no" ? { resize: { mode: resizeMode, size: flags["image-size"] } } : {}),
  };
  const options = { concurrency: flags.concurrency, ...decisive };

  const tally: InputTally = { records: 0, errors: {} };
  const owns: Owns = task ? (j) => j % task.count === task.task : () => true;
  const table = tableFormatFromPath(input);
  let items: AsyncGenerator<DownloadItem>;
  if (table) {
    if (flags.format !== undefined) throw new UsageError("ccw download: --format applies to TSV input only");
    items = await fromTable(input, table, tally, owns);
  } else {
    let format: TsvFormat;
    if (flags.format !== undefined) format = flags.format;
    else {
      const detected = await detectFormat(input).catch((e: Error) => {
        throw new UsageError(`ccw download: ${e.message}`);
      });
      if (!(TSV_FORMATS as readonly string[]).includes(detected)) throw new UsageError(`ccw download: ${input} looks like ${detected}, not a URL list; valid inputs: ${TSV_FORMATS.join(", ")} TSV, or .arrow/.parquet with a url column`);
      format = detected as TsvFormat;
    }
    items = fromTsv(input, format, tally, owns);
  }

  let last = performance.now();
  const inputSummary = { path: input, get records() { return tally.records; }, errors: tally.errors };
  const source = await fileIdentity(input);
  let out = dir;
  if (task) {
    await agreeDownloadManifest(dir, { format: DOWNLOAD_MANIFEST_FORMAT, input, source, tasks: task.count, options: decisive }).catch((error: unknown) => {
      if (error instanceof DownloadShardError) throw new UsageError(`ccw download: ${error.message}`);
      throw error;
    });
    out = taskFolder(dir, task);
  }
  const stats = await downloadImages(items, out, {
    ...options,
    input: inputSummary,
    source,
    imageRoot: dir,
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
  io.out(`ccw download${task ? `: task ${task.task} of ${task.count} (input rows j with j mod ${task.count} = ${task.task})` : ""}: ${fmt(stats.total)} rows in the status table, ${fmt(stats.counts.ok)} ok (${(100 * stats.success_rate).toFixed(1)}%)`);
  io.out(`  by status: ${fmtCounts(stats.counts)}`);
  io.out(`  this run: ${fmt(stats.this_run.attempted)} fetched, ${fmt(stats.this_run.resumed_ok)} already saved, ${stats.this_run.elapsed_s.toFixed(1)} s, ${stats.this_run.urls_per_s} URLs/s`);
  const inputErrors = Object.entries(tally.errors);
  if (inputErrors.length) io.out(`  input lines that did not parse (status bad_row): ${inputErrors.map(([k, n]) => `${k} ${fmt(n)}`).join(", ")}`);
  io.out(task ? `  wrote ${out}/status.arrow, status.parquet, stats.json and ${dir}/images/; once all ${task.count} tasks have finished: ccw download merge ${dir}` : `  wrote ${out}/status.arrow, status.parquet, stats.json and images/`);
  return 0;
}
