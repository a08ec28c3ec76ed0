/**
 * The image downloader for URL-only datasets (CC3M, CC12M), Node only. Output folder:
 *
 * ```
 * <out>/images/00000/000000001.jpg   images, 10,000 per shard folder, named by key (input line/row)
 * <out>/status.jsonl                  journal: a header naming the input (size + SHA-256), then one JSON
 *                                     status row per finished input row, appended as they finish
 * <out>/status.arrow, status.parquet  the status table: exactly one row per input row (its last journal
 *                                     row; bad_key rows, which have no key, at the end), written at the end
 * <out>/stats.json                    counts by status, this run's throughput, the options used
 * ```
 *
 * Every input row ends with exactly one status-table row: a row that cannot be fetched (bad URL,
 * unusable or repeated key, unreadable line) gets a status saying so, never only a count.
 *
 * Resume is keyed by content: the journal's header records the input's identity (`source`), and a
 * run with another input (or the same file edited) into the same folder is refused, naming both.
 * Within one input, a key is skipped only if it ended "ok" for the same URL and caption and its file
 * is still there; every other key is retried. Files are written under a temporary name and renamed,
 * so a crash never leaves a partial image that a resume would trust.
 */
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { describeIdentity, sameContent, writeAtomic, type FileIdentity } from "../files/index.js";
import { DEFAULT_MAX_PIXELS, FORMAT_EXTENSIONS, imageFacts } from "../images/index.js";
import { openTableSink } from "../sources/index.js";
import { fetchBytes, FETCH_DEFAULTS, DEFAULT_USER_AGENT, type FetchOptions } from "./fetch.js";
import { resizeImage, type ResizeOptions } from "./resize.js";
import { DOWNLOAD_STATUSES, emptyStatusCounts, isTransientHttp, TRANSIENT_STATUSES, type DownloadStatus } from "./status.js";
import { STATUS_COLUMNS, type StatusRow } from "./table.js";

/** One input row. */
export interface DownloadItem {
  /** The input's stable row id (TSV line number, a table's key/line column or row index): names the image file and the journal row. An integer from 0 to 2^53 - 1, unique in the input; anything else ends as bad_key. */
  key: number;
  url: string;
  caption: string | null;
  /** Set by the reader when the row cannot be fetched at all; the row ends with this status, unfetched. */
  refused?: { status: "bad_key" | "bad_row"; message: string };
}

/** The first line of status.jsonl: which input the journal belongs to. */
interface JournalHeader {
  journal: typeof JOURNAL_FORMAT;
  input: FileIdentity | null;
}

const JOURNAL_FORMAT = "ccw-download/1";

/** A re-run into an output folder whose journal belongs to another input. */
export class JournalMismatchError extends Error {
  constructor(
    readonly outDir: string,
    readonly recorded: FileIdentity | null,
    readonly given: FileIdentity | null,
  ) {
    super(
      `${outDir} holds the download of ${describeIdentity(recorded)}, not of ${describeIdentity(given)}: resuming would give one input's rows the other's images. ` +
        `Use another output folder, or delete ${join(outDir, "status.jsonl")} to start this one over`,
    );
    this.name = "JournalMismatchError";
  }
}

export interface DownloadOptions extends FetchOptions {
  /** Requests in flight at once. Default 16. */
  concurrency?: number;
  /** Extra attempts for transient failures (timeout, network error, HTTP 408/429/5xx). Default 1. */
  retries?: number;
  /** First retry delay in ms, doubled per attempt. Default 500. */
  retryDelayMs?: number;
  /** Largest declared width × height accepted. Default 89,478,485 (Pillow's bomb threshold). */
  maxPixels?: number;
  /** Resize before saving; default none (original bytes). */
  resize?: ResizeOptions;
  /** Called after every finished URL (progress). */
  onResult?: (row: StatusRow, done: number) => void;
  /** Summary of the input reading (rows that never became URLs), copied into stats.json. */
  input?: { path: string; records: number; errors: Record<string, number> };
  /** Folder the images are saved under and status paths are relative to (default: the output folder); a shard task's is the run's folder, so every task's paths read alike. */
  imageRoot?: string;
  /** The input's identity (`fileIdentity(path)`), recorded in the journal's header: a later run into the same folder with other content is refused. Null/absent: not checked (rows are still matched by URL and caption). */
  source?: FileIdentity | null;
}

/** What stats.json holds. */
export interface DownloadStats {
  /** Keys in the status table (this run and earlier ones). */
  total: number;
  counts: Record<DownloadStatus, number>;
  success_rate: number;
  this_run: {
    started_at: string;
    finished_at: string;
    elapsed_s: number;
    /** URLs fetched in this run (attempted at least once). */
    attempted: number;
    /** URLs skipped because an earlier run saved them. */
    resumed_ok: number;
    counts: Record<DownloadStatus, number>;
    bytes_saved: number;
    urls_per_s: number;
  };
  input: DownloadOptions["input"] | null;
  /** The input the journal belongs to (size + SHA-256), when the caller gave it. */
  source: FileIdentity | null;
  options: Record<string, unknown>;
}

export const DOWNLOAD_DEFAULTS = { concurrency: 16, retries: 1, retryDelayMs: 500 } as const;

/** The relative path an item's image is saved under. */
export function imagePath(key: number, extension: string): string {
  return join("images", String(Math.floor(key / 10_000)).padStart(5, "0"), `${String(key).padStart(9, "0")}.${extension}`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** The journal's header: undefined when there is no journal yet; input null when it has none (written without a source, or not by ccw). */
async function readJournalHeader(path: string): Promise<JournalHeader | undefined> {
  if (!(await exists(path))) return undefined;
  const stream = createReadStream(path, "utf-8");
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim() === "") continue;
      try {
        const first = JSON.parse(line) as Partial<JournalHeader>;
        if (first.journal === JOURNAL_FORMAT) return { journal: JOURNAL_FORMAT, input: first.input ?? null };
      } catch {
        // Not a header: an older journal.
      }
      return { journal: JOURNAL_FORMAT, input: null };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return undefined;
}

/** A 32-bit FNV-1a hash of a row's content: the resume check keeps 4 bytes per key, not the URL. */
function rowHash(url: string, caption: string | null): number {
  let h = 0x811c9dc5;
  const text = `${url}\t${caption ?? ""}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Why a key cannot name a row, or null when it can. */
function keyProblem(key: number, seen: ReadonlyMap<number, unknown>): string | null {
  if (!Number.isSafeInteger(key) || key < 0) return `key ${key} is not an integer from 0 to 2^53 - 1`;
  if (seen.has(key)) return `key ${key} repeats an earlier input row's key (keys must be distinct)`;
  return null;
}

/** Reads a journal, calling `each` for every parsable row with its line index; returns the line count. */
async function readJournal(path: string, each: (row: StatusRow, index: number) => void | Promise<void>): Promise<number> {
  if (!(await exists(path))) return 0;
  const lines = createInterface({ input: createReadStream(path, "utf-8"), crlfDelay: Infinity });
  let index = 0;
  for await (const line of lines) {
    if (line.trim() === "") continue;
    try {
      const row = JSON.parse(line) as StatusRow;
      if (typeof row.key === "number" && typeof row.url === "string" && (DOWNLOAD_STATUSES as readonly string[]).includes(row.status)) await each(row, index);
    } catch {
      // A torn last line from a crash: that key is simply retried.
    }
    index++;
  }
  return index;
}

function validate(options: DownloadOptions): void {
  const checks: [string, number | undefined, number, number][] = [
    ["concurrency", options.concurrency, 1, Infinity],
    ["retries", options.retries, 0, Infinity],
    ["timeoutMs", options.timeoutMs, 1, Infinity],
    // The bytes column is int32.
    ["maxBytes", options.maxBytes, 1, 2 ** 31 - 1],
    ["maxRedirects", options.maxRedirects, 0, Infinity],
    ["maxPixels", options.maxPixels, 1, Infinity],
  ];
  for (const [name, value, min, max] of checks) {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new RangeError(`${name} must be an integer >= ${min}${max < Infinity ? ` and <= ${max}` : ""}, got ${value}`);
    }
  }
  if (options.resize && options.resize.mode !== "no" && !(Number.isInteger(options.resize.size) && options.resize.size > 0)) {
    throw new RangeError(`resize size must be a positive integer, got ${options.resize.size}`);
  }
}

/** The row of an input row that is not fetched (bad_key, bad_row). */
function unfetchedRow(item: DownloadItem, key: number | null, status: DownloadStatus, message: string): StatusRow {
  return {
    key, url: item.url, caption: item.caption, status, message, http_status: null, content_type: null, final_url: null, redirects: 0,
    attempts: 0, format: null, width: null, height: null, bytes: null, path: null, saved_width: null, saved_height: null, elapsed_ms: 0,
  };
}

/** Fetches, verifies and saves one item, with retries for transient failures. */
async function downloadOne(item: DownloadItem, root: string, options: DownloadOptions): Promise<StatusRow> {
  const started = performance.now();
  const retries = options.retries ?? DOWNLOAD_DEFAULTS.retries;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  let attempts = 0;
  let fetched;
  for (;;) {
    attempts++;
    fetched = await fetchBytes(item.url, options);
    const transient = TRANSIENT_STATUSES.has(fetched.status) || (fetched.status === "http_error" && fetched.httpStatus !== null && isTransientHttp(fetched.httpStatus));
    if (!transient || attempts > retries) break;
    await new Promise((r) => setTimeout(r, (options.retryDelayMs ?? DOWNLOAD_DEFAULTS.retryDelayMs) * 2 ** (attempts - 1)));
  }
  const row: StatusRow = {
    key: item.key, url: item.url, caption: item.caption, status: fetched.status, message: fetched.message,
    http_status: fetched.httpStatus, content_type: fetched.contentType, final_url: fetched.finalUrl, redirects: fetched.redirects,
    attempts, format: null, width: null, height: null, bytes: fetched.body?.byteLength ?? null, path: null,
    saved_width: null, saved_height: null, elapsed_ms: 0,
  };
  const done = () => ({ ...row, elapsed_ms: Math.round(performance.now() - started) });
  if (fetched.status !== "ok" || !fetched.body) return done();
  const facts = imageFacts(fetched.body, { maxPixels });
  Object.assign(row, { format: facts.format, width: facts.width, height: facts.height });
  if (facts.status !== "ok") {
    row.status = facts.status === "bad_header" ? "not_an_image" : facts.status;
    row.message = `${facts.message}${fetched.contentType ? ` (served as ${fetched.contentType})` : ""}`;
    return done();
  }
  let data: Uint8Array = fetched.body;
  let format = facts.format!;
  row.saved_width = facts.width;
  row.saved_height = facts.height;
  if (options.resize && options.resize.mode !== "no") {
    try {
      const resized = await resizeImage(fetched.body, format, options.resize, maxPixels);
      ({ data, format } = resized);
      row.saved_width = resized.width;
      row.saved_height = resized.height;
    } catch (error) {
      Object.assign(row, { status: "resize_error", message: (error as Error).message, saved_width: null, saved_height: null });
      return done();
    }
  }
  const relative = imagePath(item.key, FORMAT_EXTENSIONS[format]);
  const target = join(root, relative);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(`${target}.part`, data);
  await rename(`${target}.part`, target);
  row.path = relative.split("\\").join("/");
  return done();
}

/**
 * Downloads every item into `outDir` (see the module header for the layout), resuming from an
 * earlier run's journal. Returns what it writes to stats.json.
 */
export async function downloadImages(items: AsyncIterable<DownloadItem>, outDir: string, options: DownloadOptions = {}): Promise<DownloadStats> {
  validate(options);
  const startedAt = new Date();
  const t0 = performance.now();
  await mkdir(outDir, { recursive: true });
  const root = options.imageRoot ?? outDir;
  const journalPath = join(outDir, "status.jsonl");
  // stats.json is the run's completion marker (a shard merge waits for it): a stale one must not outlive a re-run.
  await rm(join(outDir, "stats.json"), { force: true });

  // Resume only the same input: the journal's header names the content it was written for.
  const source = options.source ?? null;
  const header = await readJournalHeader(journalPath);
  if (header && !sameContent(header.input, source)) throw new JournalMismatchError(outDir, header.input, source);

  // Resume: keys saved by an earlier run, whose files are still there.
  const savedBefore = new Map<number, { path: string; hash: number }>();
  await readJournal(journalPath, (row) => {
    if (row.status === "ok" && row.path) savedBefore.set(row.key!, { path: row.path, hash: rowHash(row.url, row.caption) });
    else savedBefore.delete(row.key!);
  });
  for (const [key, saved] of savedBefore) if (!(await exists(join(root, saved.path)))) savedBefore.delete(key);

  const journal = await open(journalPath, "a");
  if (!header) await journal.appendFile(`${JSON.stringify({ journal: JOURNAL_FORMAT, input: source } satisfies JournalHeader)}\n`);
  // Keys of this input (the status table holds only these) -> their last journal line, filled in after the run; and the rows without a usable key.
  const lastIndex = new Map<number, number>();
  const unkeyed: StatusRow[] = [];
  const runCounts = emptyStatusCounts();
  let attempted = 0;
  let resumed = 0;
  let bytesSaved = 0;
  let finished = 0;
  const iterator = items[Symbol.asyncIterator]();
  let writeChain = Promise.resolve();
  const worker = async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const item = next.value;
      const badKey = item.refused?.status === "bad_key" ? item.refused.message : keyProblem(item.key, lastIndex);
      if (badKey !== null) {
        const row = unfetchedRow(item, null, "bad_key", badKey);
        unkeyed.push(row);
        runCounts.bad_key++;
        options.onResult?.(row, ++finished);
        continue;
      }
      lastIndex.set(item.key, -1);
      let row: StatusRow;
      if (item.refused) row = unfetchedRow(item, item.key, item.refused.status, item.refused.message);
      else {
        const saved = savedBefore.get(item.key);
        if (saved?.hash === rowHash(item.url, item.caption)) {
          resumed++;
          continue;
        }
        // The key's earlier image belongs to another URL: it must not outlive the new attempt.
        if (saved) await rm(join(root, saved.path), { force: true });
        attempted++;
        row = await downloadOne(item, root, options);
      }
      runCounts[row.status]++;
      if (row.status === "ok") bytesSaved += row.bytes ?? 0;
      // Journal writes are serialised so lines never interleave.
      writeChain = writeChain.then(() => journal.appendFile(`${JSON.stringify(row)}\n`));
      await writeChain;
      options.onResult?.(row, ++finished);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? DOWNLOAD_DEFAULTS.concurrency }, worker));
  } finally {
    await journal.close();
  }

  // The status table: the last journal row per key of this input, in journal order (two passes, memory O(keys)), then the unkeyed rows.
  await readJournal(journalPath, (row, index) => void (lastIndex.has(row.key!) && lastIndex.set(row.key!, index)));
  const counts = emptyStatusCounts();
  const outputs = await Promise.all(
    (["arrow", "parquet"] as const).map(async (format) => {
      const path = join(outDir, `status.${format}`);
      const handle = await open(`${path}.part`, "w");
      const sink = await openTableSink(STATUS_COLUMNS, format, async (chunk) => void (await handle.write(chunk)));
      return { path, handle, sink };
    }),
  );
  let batch: StatusRow[] = [];
  const flush = async () => {
    for (const o of outputs) await o.sink.write(batch);
    batch = [];
  };
  await readJournal(journalPath, async (row, index) => {
    if (lastIndex.get(row.key!) !== index) return;
    counts[row.status]++;
    batch.push(row);
    if (batch.length >= 10_000) await flush();
  });
  for (const row of unkeyed) {
    counts[row.status]++;
    batch.push(row);
    if (batch.length >= 10_000) await flush();
  }
  await flush();
  for (const o of outputs) {
    await o.sink.close();
    await o.handle.close();
    await rename(`${o.path}.part`, o.path);
  }
  const total = lastIndex.size + unkeyed.length;
  const elapsed = (performance.now() - t0) / 1000;
  const stats: DownloadStats = {
    total,
    counts,
    success_rate: total ? counts.ok / total : 0,
    this_run: {
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      elapsed_s: Math.round(elapsed * 1000) / 1000,
      attempted,
      resumed_ok: resumed,
      counts: runCounts,
      bytes_saved: bytesSaved,
      urls_per_s: elapsed > 0 ? Math.round((attempted / elapsed) * 10) / 10 : 0,
    },
    input: options.input ?? null,
    source,
    options: {
      concurrency: options.concurrency ?? DOWNLOAD_DEFAULTS.concurrency,
      timeout_ms: options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs,
      max_bytes: options.maxBytes ?? FETCH_DEFAULTS.maxBytes,
      max_redirects: options.maxRedirects ?? FETCH_DEFAULTS.maxRedirects,
      retries: options.retries ?? DOWNLOAD_DEFAULTS.retries,
      max_pixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
      allow_private: Boolean(options.allowPrivate),
      user_agent: options.userAgent ?? DEFAULT_USER_AGENT,
      opt_out_directives: options.optOutDirectives ?? ["noai", "noimageai"],
      resize: options.resize ?? { mode: "no" },
    },
  };
  await writeAtomic(join(outDir, "stats.json"), `${JSON.stringify(stats, null, 2)}\n`);
  return stats;
}
