/**
 * Every source format by name: detection from a path and its first bytes, and one way to open any
 * of them as batches of rows for its output table(s). `ccw ingest` and the data loaders use this.
 *
 * | format           | input                                   | table(s) (see schemas.ts)              |
 * |------------------|-----------------------------------------|----------------------------------------|
 * | `cc3m`           | TSV `caption<TAB>url`                   | `captions`                             |
 * | `cc12m`          | TSV `url<TAB>caption`                   | `captions`                             |
 * | `cc-labels`      | TSV with labels, MIDs, confidences      | `caption_labels`                       |
 * | `coco-captions`  | COCO `captions_*.json`                  | `coco_captions`                        |
 * | `coco-instances` | COCO `instances_*.json`                 | `coco_objects`                         |
 * | `coco-results`   | `[{image_id, caption}]`                 | `coco_results`                         |
 * | `images`         | a folder of images (+ captions sidecar) | `folder_images`                        |
 * | `warc`           | `.warc` / `.warc.gz`                    | `warc_candidates` and `warc_images`    |
 *
 * Every format streams: memory is bounded by a batch (COCO: plus its images and categories
 * arrays; see coco-stream.ts), not by the file.
 */
import { nodeFsPromises } from "./node-only.js";
import type { ColumnSpec } from "../arrow/index.js";
import { openInput, type ByteInput } from "./bytes.js";
import { gunzipChunks } from "./gzip.js";
import { readCocoBatches, type CocoFormat } from "./coco-stream.js";
import { emptyScanResult, jsonArrayElements } from "./json-stream.js";
import { readImageFolder, type FolderReaderOptions } from "./folder.js";
import {
  CAPTION_COLUMNS, COCO_CAPTION_COLUMNS, COCO_OBJECT_COLUMNS, COCO_RESULT_COLUMNS, FOLDER_IMAGE_COLUMNS, LABELS_COLUMNS,
  WARC_CANDIDATE_COLUMNS, WARC_IMAGE_COLUMNS,
} from "./schemas.js";
import { readCc12mTsv, readCc3mTsv, readCcLabelsTsv, sniffTsvFormat, type TsvReaderOptions } from "./tsv.js";
import type { ReadError, ReaderOptions } from "./types.js";
import { readWarc, type WarcReaderOptions, type WarcRow } from "./warc.js";
import { SOURCE_FORMATS, type SourceFormat } from "./format-names.js";
export { SOURCE_FORMATS, type SourceFormat };


/** One output table of a format. */
export interface SourceTable {
  name: string;
  columns: ColumnSpec<object>[];
}

/** A batch across a format's tables: `tables[i]` holds the rows for `OpenedSource.tables[i]`. */
export interface SourceBatch {
  tables: object[][];
  errors: ReadError[];
  /** Entries passed over on purpose, by kind (see ReadBatch.skipped). */
  skipped?: Record<string, number>;
}

export interface OpenedSource {
  format: SourceFormat;
  tables: SourceTable[];
  batches: AsyncGenerator<SourceBatch>;
}

export type SourceOptions = ReaderOptions & TsvReaderOptions & WarcReaderOptions & FolderReaderOptions;

const TABLES: Record<SourceFormat, SourceTable[]> = {
  cc3m: [{ name: "captions", columns: CAPTION_COLUMNS as ColumnSpec<object>[] }],
  cc12m: [{ name: "captions", columns: CAPTION_COLUMNS as ColumnSpec<object>[] }],
  "cc-labels": [{ name: "caption_labels", columns: LABELS_COLUMNS as ColumnSpec<object>[] }],
  "coco-captions": [{ name: "coco_captions", columns: COCO_CAPTION_COLUMNS as ColumnSpec<object>[] }],
  "coco-instances": [{ name: "coco_objects", columns: COCO_OBJECT_COLUMNS as ColumnSpec<object>[] }],
  "coco-results": [{ name: "coco_results", columns: COCO_RESULT_COLUMNS as ColumnSpec<object>[] }],
  images: [{ name: "folder_images", columns: FOLDER_IMAGE_COLUMNS as ColumnSpec<object>[] }],
  warc: [
    { name: "warc_candidates", columns: WARC_CANDIDATE_COLUMNS as ColumnSpec<object>[] },
    { name: "warc_images", columns: WARC_IMAGE_COLUMNS as ColumnSpec<object>[] },
  ],
};

/** The output tables of a format, with their schemas. */
export function tablesOf(format: SourceFormat): SourceTable[] {
  return TABLES[format];
}

export function checkFormat(format: string): SourceFormat {
  if (!(SOURCE_FORMATS as readonly string[]).includes(format)) {
    throw new RangeError(`unknown format ${JSON.stringify(format)}; valid: ${SOURCE_FORMATS.join(", ")}`);
  }
  return format as SourceFormat;
}

async function* single<Row extends object>(batches: AsyncGenerator<{ rows: Row[]; errors: ReadError[]; skipped?: Record<string, number> }>): AsyncGenerator<SourceBatch> {
  for await (const b of batches) yield { tables: [b.rows], errors: b.errors, ...(b.skipped ? { skipped: b.skipped } : {}) };
}

async function* warcTables(batches: AsyncGenerator<{ rows: WarcRow[]; errors: ReadError[] }>): AsyncGenerator<SourceBatch> {
  for await (const b of batches) {
    const candidates: object[] = [];
    const images: object[] = [];
    for (const row of b.rows) (row.kind === "candidate" ? candidates : images).push(row);
    yield { tables: [candidates, images], errors: b.errors };
  }
}

async function* cocoBatches(format: CocoFormat, input: ByteInput, options: ReaderOptions): AsyncGenerator<SourceBatch> {
  for await (const b of readCocoBatches(format, input, options)) yield { tables: [b.rows], errors: b.errors };
}

/** Opens a source in a given format as batches for its table(s). */
export function openSource(format: SourceFormat, input: ByteInput, options: SourceOptions = {}): OpenedSource {
  const tables = TABLES[checkFormat(format)];
  const batches = ((): AsyncGenerator<SourceBatch> => {
    switch (format) {
      case "cc3m": return single(readCc3mTsv(input, options));
      case "cc12m": return single(readCc12mTsv(input, options));
      case "cc-labels": return single(readCcLabelsTsv(input, options));
      case "coco-captions":
      case "coco-instances":
      case "coco-results": return cocoBatches(format, input, options);
      case "images":
        if (typeof input !== "string") throw new TypeError("the images format reads a folder: pass its path");
        return single(readImageFolder(input, options));
      case "warc": return warcTables(readWarc(input, options));
    }
  })();
  return { format, tables, batches };
}

/**
 * Detects a source's format from its path and first bytes (Node: reads the path).
 * Folders are `images`; `.warc`/`.warc.gz` or a `WARC/` first line is `warc`; JSON is told apart by
 * shape (array: results; `bbox`/`categories`: instances; `caption`: captions); TSV by its columns.
 * Throws with the valid formats when nothing fits.
 */
export async function detectFormat(path: string): Promise<SourceFormat> {
  const fs = await nodeFsPromises();
  const stats = await fs.stat(path);
  if (stats.isDirectory()) return "images";
  if (/\.w?arc(\.gz)?$/i.test(path)) return "warc";
  // Peek at the first 64 KiB, decompressed when gzip (by gzip.ts, which keeps what precedes a damaged or cut-off member; the reader then counts the break).
  const opened = await openInput(path, { gunzip: false });
  let head = "";
  for await (const chunk of opened.gzipped ? gunzipChunks(opened.chunks, () => {}) : opened.chunks) {
    head += new TextDecoder().decode(chunk, { stream: true });
    if (head.length >= 65_536) break;
  }
  const start = head.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("WARC/")) return "warc";
  if (start.startsWith("[")) return "coco-results";
  if (start.startsWith("{")) {
    if (/"(bbox|categories|segmentation)"\s*:/.test(head)) return "coco-instances";
    if (/"caption"\s*:/.test(head)) return "coco-captions";
    // The first annotation may lie beyond the first 64 KiB (a long images array): scan for it.
    const scanned = emptyScanResult();
    for await (const e of jsonArrayElements((await openInput(path)).chunks, new Set(["annotations"]), scanned)) {
      type Entry = { bbox?: unknown; caption?: unknown } | null;
      let first: Entry = null;
      try {
        first = JSON.parse(e.text) as Entry;
      } catch {
        // undecidable from this entry; the keys below may still tell
      }
      if (first?.bbox !== undefined) return "coco-instances";
      if (first?.caption !== undefined) return "coco-captions";
      break;
    }
    if (scanned.keys.has("categories")) return "coco-instances";
    if (scanned.keys.get("annotations") === "array") return "coco-captions";
    throw new RangeError(`${path}: JSON that is neither COCO captions, instances nor results; pass --format (valid: ${SOURCE_FORMATS.join(", ")})`);
  }
  const tsv = sniffTsvFormat(head.split("\n").slice(0, 50).filter((l) => l.trim() !== ""));
  if (tsv) return tsv;
  throw new RangeError(`${path}: cannot tell the format from its name or first lines; pass --format (valid: ${SOURCE_FORMATS.join(", ")})`);
}
