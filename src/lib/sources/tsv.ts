/**
 * Readers for the Conceptual Captions TSV releases. No header row in any of them.
 *
 * | format      | columns in the file                                   | row type      |
 * |-------------|-------------------------------------------------------|---------------|
 * | `cc3m`      | `caption<TAB>url`                                     | {@link CaptionRow} |
 * | `cc12m`     | `url<TAB>caption` (order reversed from CC3M)          | {@link CaptionRow} |
 * | `cc-labels` | `caption<TAB>url<TAB>labels<TAB>MIDs<TAB>confidences`, the last three comma lists sorted by descending confidence | {@link LabelsRow} |
 *
 * A line with the wrong number of fields (a blank line included), an empty caption, a URL that is
 * not absolute http(s), bad UTF-8, or more than `maxLineBytes` bytes (default 1 MiB; its bytes are
 * skipped, never buffered) becomes a counted {@link ReadError} with its line number (an empty
 * caption or a non-http(s) URL is a row instead under `allowEmptyCaption` / `allowBadUrl`); the
 * reader continues unless `strict`. So rows + errors = lines, and `line`, the rows' key, is the
 * physical line number: unique and ≥ 1 by construction, never read from the file, so no two rows
 * share one. Captions and URLs are kept byte-for-byte (no trimming).
 *
 * Gzip input is decoded by gzip.ts member by member. Where it breaks (a cut-off or damaged member,
 * trailing bytes that are not gzip) every row decoded before is kept and one `bad_gzip` error names
 * the file, the compressed byte offset and the line where decoding stopped; an unfinished last line
 * is part of that error. After a damaged member nothing more is read: bytes past a break do not
 * tell where their lines start or which line numbers they carry, so the error states how many
 * compressed bytes were left unread instead of guessing a line count.
 */
import { BatchCollector } from "./batch.js";
import { openInput, type ByteInput } from "./bytes.js";
import { gunzipChunks, type GzipBreak } from "./gzip.js";
import { readLines, type LineOptions } from "./lines.js";
import { excerpt, isReadError, type ReadBatch, type ReadError, type ReaderOptions } from "./types.js";
import { TSV_FORMATS, type TsvFormat } from "./format-names.js";

/** One image/alt-text pair from a CC3M or CC12M TSV. */
export interface CaptionRow {
  /** 1-based line number in the source file: a stable id that survives sampling and skipped lines. */
  line: number;
  caption: string;
  url: string;
}

/** One row of the CC3M image-labels TSV: a caption pair plus the image classifier's labels. */
export interface LabelsRow extends CaptionRow {
  /** Label names, by descending confidence. */
  labels: string[];
  /** Knowledge Graph machine ids, parallel to `labels`. */
  mids: string[];
  /** Confidences in [0, 1], parallel to `labels`. */
  confidences: number[];
}

export { TSV_FORMATS, type TsvFormat };

export interface TsvReaderOptions extends ReaderOptions, LineOptions {
  /** Yield a line whose caption is empty as a row (caption kept as is) instead of an `empty_field` error: for callers that give it its own status (filter: alt_missing). Default false. */
  allowEmptyCaption?: boolean;
  /** Yield a line whose URL is not absolute http(s) as a row instead of a `bad_url` error: for callers that give it its own status (download: bad_url). Default false. */
  allowBadUrl?: boolean;
}

const HTTP_URL = /^https?:\/\/[^\s/?#]/i;

/** Whether a string is an absolute http(s) URL (what every downloader can fetch). */
export function isHttpUrl(text: string): boolean {
  return HTTP_URL.test(text) && URL.canParse(text);
}

type Parse<Row> = (fields: string[], line: number, text: string) => Row | ReadError;

async function* readTsv<Row>(input: ByteInput, options: TsvReaderOptions, fieldCount: number, parse: Parse<Row>): AsyncGenerator<ReadBatch<Row>> {
  const opened = await openInput(input, { signal: options.signal, gunzip: false });
  const batch = new BatchCollector<Row>(options, opened.totalBytes);
  let broken: GzipBreak | null = null;
  const chunks = opened.gzipped ? gunzipChunks(opened.chunks, (b) => (broken = b)) : opened.chunks;
  let lastLine = 0;
  for await (const lines of readLines(chunks, { ...options, complete: () => broken === null })) {
    for (const line of lines) {
      lastLine = line.no;
      batch.records++;
      if (line.text === null) {
        batch.error(
          line.problem === "bad_utf8"
            ? { kind: "bad_utf8", where: line.no, message: `line ${line.no} is not valid UTF-8 (${line.bytes} bytes)` }
            : { kind: "line_too_long", where: line.no, message: `line ${line.no} has ${line.bytes} bytes, more than maxLineBytes` },
        );
      } else {
        const fields = line.text.split("\t");
        if (line.text.length === 0) {
          batch.error({ kind: "field_count", where: line.no, message: `line ${line.no}: expected ${fieldCount} fields, found a blank line` });
        } else if (fields.length !== fieldCount) {
          const what = `${fields.length} tab-separated field${fields.length === 1 ? "" : "s"}`;
          batch.error({ kind: "field_count", where: line.no, message: `line ${line.no}: expected ${fieldCount} fields, found ${what}: ${excerpt(line.text)}` });
        } else {
          const result = parse(fields, line.no, line.text);
          if (isReadError(result)) batch.error(result);
          else batch.row(result);
        }
      }
      if (batch.full) {
        batch.bytesRead = opened.bytesRead();
        yield batch.take();
      }
    }
  }
  if (broken) {
    batch.records++;
    batch.error(gzipError(opened.name, broken, lastLine, opened.totalBytes));
  }
  batch.bytesRead = opened.bytesRead();
  yield batch.take();
}

/** The one error for a gzip stream that broke after line `lastLine`. */
function gzipError(file: string, b: GzipBreak, lastLine: number, totalBytes: number | null): ReadError {
  const read = lastLine ? `lines 1-${lastLine} were read` : "no line was read";
  const left = totalBytes !== null ? `${totalBytes - b.offset} compressed bytes` : "the rest of the input";
  const at = `at compressed byte ${b.offset}`;
  const member = `gzip member ${b.member} (from byte ${b.memberStart})`;
  const unverified = b.unverifiedBytes ? ` (the last ${b.unverifiedBytes} decoded bytes of them came from member ${b.member} before its check and may be damaged)` : "";
  const lines = b.discardedNewlines ? `by their ${b.discardedNewlines} newlines, lines ${lastLine + 1}-${lastLine + b.discardedNewlines}` : `no newline: part of line ${lastLine + 1}`;
  const discarded = b.discardedBytes ? `; ${b.discardedBytes} decoded bytes after them are discarded as ${b.kind === "corrupt" ? "damaged" : "possibly damaged"} (${lines})` : "";
  const message =
    b.kind === "trailing" ? `${file}: ${b.reason} ${at}; ${read}, ${left} ignored`
    : b.kind === "truncated" ? `${file}: ${member} is cut off ${at}: ${b.reason}; ${read}${unverified}${discarded}; the unfinished line after them is lost`
    : `${file}: ${member} is damaged ${at}: ${b.reason}; ${read}${unverified}${discarded}; ${left} from the break on are not read`;
  return { kind: "bad_gzip", where: lastLine + 1, message };
}

function pair(caption: string, url: string, line: number, text: string, options: TsvReaderOptions): CaptionRow | ReadError {
  if (caption.trim() === "" && !options.allowEmptyCaption) return { kind: "empty_field", where: line, message: `line ${line}: empty caption: ${excerpt(text)}` };
  if (!isHttpUrl(url) && !options.allowBadUrl) return { kind: "bad_url", where: line, message: `line ${line}: not an absolute http(s) URL: ${excerpt(url)}` };
  return { line, caption, url };
}

/** Reads a CC3M TSV (`caption<TAB>url`), e.g. Validation_GCC-1.1.0-Validation.tsv. */
export function readCc3mTsv(input: ByteInput, options: TsvReaderOptions = {}): AsyncGenerator<ReadBatch<CaptionRow>> {
  return readTsv(input, options, 2, (f, line, text) => pair(f[0]!, f[1]!, line, text, options));
}

/** Reads a CC12M TSV (`url<TAB>caption`). */
export function readCc12mTsv(input: ByteInput, options: TsvReaderOptions = {}): AsyncGenerator<ReadBatch<CaptionRow>> {
  return readTsv(input, options, 2, (f, line, text) => pair(f[1]!, f[0]!, line, text, options));
}

/** Reads the CC3M image-labels TSV (`caption<TAB>url<TAB>labels<TAB>MIDs<TAB>confidences`). */
export function readCcLabelsTsv(input: ByteInput, options: TsvReaderOptions = {}): AsyncGenerator<ReadBatch<LabelsRow>> {
  return readTsv(input, options, 5, (f, line, text) => {
    const base = pair(f[0]!, f[1]!, line, text, options);
    if (isReadError(base)) return base;
    const list = (s: string) => (s.trim() === "" ? [] : s.split(",").map((x) => x.trim()));
    const labels = list(f[2]!);
    const mids = list(f[3]!);
    const raw = list(f[4]!);
    if (labels.length !== mids.length || labels.length !== raw.length) {
      return { kind: "list_length_mismatch", where: line, message: `line ${line}: ${labels.length} labels, ${mids.length} MIDs, ${raw.length} confidences` };
    }
    const confidences = raw.map(Number);
    const bad = raw.findIndex((r, i) => r === "" || !Number.isFinite(confidences[i]));
    if (bad >= 0) return { kind: "bad_number", where: line, message: `line ${line}: confidence ${excerpt(raw[bad]!)} is not a number` };
    return { ...base, labels, mids, confidences };
  });
}

/** Reader for a TSV format by name. */
export function readTsvFormat(format: TsvFormat, input: ByteInput, options: TsvReaderOptions = {}): AsyncGenerator<ReadBatch<CaptionRow | LabelsRow>> {
  switch (format) {
    case "cc3m": return readCc3mTsv(input, options);
    case "cc12m": return readCc12mTsv(input, options);
    case "cc-labels": return readCcLabelsTsv(input, options);
  }
}

/**
 * Guesses a TSV format from its first lines: 5 fields is cc-labels; 2 fields with the URL second is
 * cc3m, first is cc12m. Returns null when the lines do not agree on one format.
 */
export function sniffTsvFormat(lines: readonly string[]): TsvFormat | null {
  const votes = new Map<TsvFormat, number>();
  for (const line of lines) {
    const f = line.replace(/\r$/, "").split("\t");
    const vote: TsvFormat | null =
      f.length === 5 && isHttpUrl(f[1]!) ? "cc-labels"
      : f.length === 2 && isHttpUrl(f[1]!) && !isHttpUrl(f[0]!) ? "cc3m"
      : f.length === 2 && isHttpUrl(f[0]!) ? "cc12m"
      : null;
    if (vote) votes.set(vote, (votes.get(vote) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  return ranked[0]?.[0] ?? null;
}
