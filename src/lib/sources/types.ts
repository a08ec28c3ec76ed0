/**
 * What every source reader shares: its options, the batches it yields, and the closed union of
 * reasons a record can fail to become a row. Readers never drop a record silently: a record that
 * cannot become a row is yielded as a counted {@link ReadError} with its line or record number.
 */

/** Why a record did not become a row. Closed union: summaries tally by these keys. */
export type ReadErrorKind =
  /** The record's bytes are not valid UTF-8. */
  | "bad_utf8"
  /** A TSV line has fewer or more tab-separated fields than the format defines. */
  | "field_count"
  /** A required field is empty (after trimming). */
  | "empty_field"
  /** A URL field is not an absolute http(s) URL. */
  | "bad_url"
  /** A line is longer than the reader's `maxLineBytes`; its content is skipped, not buffered. */
  | "line_too_long"
  /** A number field (confidence, id, size) does not parse. */
  | "bad_number"
  /** cc-labels: the labels, MIDs and confidences lists differ in length. */
  | "list_length_mismatch"
  /** JSON text does not parse. */
  | "bad_json"
  /** A JSON value has the wrong type (a string where a number belongs, an object where an array belongs). */
  | "wrong_type"
  /** A JSON object lacks a required field. */
  | "missing_field"
  /** A file's bytes are not an image of a supported format (by magic number). */
  | "not_an_image"
  /** An image's header is cut off or inconsistent, so its size is unknown. */
  | "bad_image_header"
  /** A captions sidecar names an image file that is not in the folder. */
  | "missing_file"
  /** A file could not be read (permissions, vanished during the walk). */
  | "unreadable_file"
  /** Gzip input stops decoding (a member cut off or damaged, or trailing bytes that are not gzip): one error, naming the file and offset, for the rest of it. */
  | "bad_gzip"
  /** A WARC record ends before its declared Content-Length, or its gzip member is cut off. */
  | "truncated_record"
  /** A WARC record's headers do not parse. */
  | "bad_record"
  /** A WARC record is larger than the reader's per-record limit; it is skipped. */
  | "record_too_large"
  /** An `<img>` element without a usable `src` (absent, empty, or a `data:` URI). */
  | "img_without_src"
  /** An `<img>` whose `src` does not resolve to an absolute http(s) URL. */
  | "img_bad_src"
  /** COCO: a second entry with an id already seen (the first is kept). */
  | "duplicate_id"
  /** COCO: an id that points nowhere (a category_id not among the categories). */
  | "unknown_id";

export const READ_ERROR_KINDS: readonly ReadErrorKind[] = [
  "bad_utf8", "field_count", "empty_field", "bad_url", "line_too_long", "bad_number",
  "list_length_mismatch", "bad_json", "wrong_type", "missing_field", "not_an_image",
  "bad_image_header", "missing_file", "unreadable_file", "bad_gzip", "truncated_record", "bad_record",
  "record_too_large", "img_without_src", "img_bad_src", "duplicate_id", "unknown_id",
];

/** One record that did not become a row. */
export interface ReadError {
  kind: ReadErrorKind;
  /** 1-based line (text formats), record (WARC), element index (JSON arrays, from 0) or file path, as the reader documents. */
  where: number | string;
  /** Human-readable detail: what was wrong, with a short excerpt of the input. */
  message: string;
}

/** Progress report: called after every batch, and once at the end. */
export interface ReadProgress {
  /** Input bytes consumed so far (compressed bytes for gzip input). */
  bytesRead: number;
  /** Total input bytes when known (local files), else null. */
  totalBytes: number | null;
  /** Records (lines, WARC records, JSON elements, files) examined so far. */
  records: number;
  /** Rows produced so far. */
  rows: number;
  /** Errors counted so far. */
  errors: number;
}

export interface ReaderOptions {
  /** Rows per yielded batch: memory is bounded by one batch, not by the file. Default 10,000. */
  batchSize?: number;
  /** Throw a {@link ReadFailure} at the first malformed record instead of counting it and continuing. Default false. */
  strict?: boolean;
  /** Called after every batch and once at the end. */
  onProgress?: (progress: ReadProgress) => void;
  /** Cancels the read between chunks. */
  signal?: AbortSignal;
}

/** One batch from a reader: the rows it produced and the records it could not turn into rows. */
export interface ReadBatch<Row> {
  rows: Row[];
  errors: ReadError[];
  /** Entries passed over on purpose since the last batch, by kind (not malformed records: a folder's symlinks, FIFOs, ...); absent when none. */
  skipped?: Record<string, number>;
}

/** Whether a parse result is a {@link ReadError} rather than a row (rows never carry `kind` and `where` together). */
export function isReadError(value: unknown): value is ReadError {
  return typeof value === "object" && value !== null && typeof (value as ReadError).kind === "string" && "where" in value && "message" in value;
}

/** Thrown by a reader in `strict` mode at the first malformed record. */
export class ReadFailure extends Error {
  constructor(readonly error: ReadError) {
    super(`${error.kind} at ${typeof error.where === "number" ? `#${error.where}` : error.where}: ${error.message}`);
    this.name = "ReadFailure";
  }
}

/** Default rows per batch. */
export const DEFAULT_BATCH_SIZE = 10_000;

/** A short, printable excerpt of a bad input for error messages (never the whole 10 MB line). */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
  return flat.length > max ? `${JSON.stringify(flat.slice(0, max))}…` : JSON.stringify(flat);
}
