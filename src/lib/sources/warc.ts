/**
 * WARC reader (warcio; plain or gzipped, per-record gzip members as Common Crawl ships them).
 * How a real crawl enters the pipeline: every HTML response yields one {@link WarcCandidateRow}
 * per `<img>` (absolute src, alt text, page URL and title, surrounding text length); every image
 * response yields a {@link WarcImageRow} with the bytes and the facts read from them.
 *
 * Counted, never fatal: a record cut off before its declared length (`truncated_record`), headers
 * that do not parse (`bad_record`), a record over `maxRecordBytes` (`record_too_large`), `<img>`
 * elements without a usable src (`img_without_src`, `img_bad_src`). Records of other types
 * (request, metadata, warcinfo, revisit) and responses that are neither HTML nor images are
 * tallied in {@link WarcStats}. Errors' `where` is the 1-based record number.
 */
import { WARCParser } from "warcio";
import { imageFacts, type ImageFormat, type ImageStatus } from "../images/index.js";
import { BatchCollector } from "./batch.js";
import { openInput, type ByteInput } from "./bytes.js";
import { decodeHtml, extractImages } from "./html.js";
import type { ReadBatch, ReaderOptions } from "./types.js";

/** One `<img>` element from an HTML response: a candidate image/alt-text pair. */
export interface WarcCandidateRow {
  kind: "candidate";
  /** 1-based number of the WARC record holding the page. */
  record: number;
  page_url: string;
  page_title: string | null;
  /** 0-based position among the page's `<img>` elements. */
  img_index: number;
  /** Absolute http(s) image URL. */
  src: string;
  /** The alt attribute as written (entities decoded); null when absent. Plain text: never interpret it as HTML. */
  alt: string | null;
  width_attr: number | null;
  height_attr: number | null;
  /** Visible text characters in the image's nearest block-level ancestor. */
  context_chars: number;
  /** WARC-Date of the page's capture (ISO 8601), null when absent. */
  warc_date: string | null;
}

/** One image response: its bytes and what they say. */
export interface WarcImageRow {
  kind: "image";
  record: number;
  url: string;
  warc_date: string | null;
  /** HTTP Content-Type as served (may disagree with the bytes). */
  content_type: string | null;
  /** Verdict from the bytes (magic number, header, completeness, pixel limit). */
  status: ImageStatus;
  format: ImageFormat | null;
  width: number | null;
  height: number | null;
  bytes: number;
  /** The payload; null when the reader was told not to keep bytes. */
  data: Uint8Array | null;
}

export type WarcRow = WarcCandidateRow | WarcImageRow;

/** Tally of what the reader saw, for summaries: nothing is skipped without being counted. */
export interface WarcStats {
  records: number;
  htmlPages: number;
  imageResponses: number;
  /** Records of other WARC types (request, metadata, warcinfo, revisit, ...). */
  otherRecords: number;
  /** Responses that are neither HTML nor image (by Content-Type and magic number), or non-2xx. */
  otherResponses: number;
}

export interface WarcReaderOptions extends ReaderOptions {
  /** Largest record payload read into memory; larger records are skipped as `record_too_large`. Default 32 MiB. */
  maxRecordBytes?: number;
  /** Keep image payloads in {@link WarcImageRow.data} (default true). */
  keepImageBytes?: boolean;
  /** Largest declared pixel count accepted for image responses (status `too_many_pixels` above). */
  maxPixels?: number;
  /** Filled in as the read goes. */
  stats?: WarcStats;
}

/** A batch is flushed early once it holds this many image bytes, so memory stays bounded. */
const MAX_BATCH_IMAGE_BYTES = 64 * 1024 * 1024;

export function emptyWarcStats(): WarcStats {
  return { records: 0, htmlPages: 0, imageResponses: 0, otherRecords: 0, otherResponses: 0 };
}

function isHtml(contentType: string | null, head: Uint8Array): boolean {
  if (contentType && /^\s*(text\/html|application\/xhtml\+xml)/i.test(contentType)) return true;
  if (contentType && !/^\s*(text\/plain|application\/octet-stream)/i.test(contentType)) return false;
  const start = new TextDecoder("latin1").decode(head.subarray(0, 512)).trimStart().toLowerCase();
  return start.startsWith("<!doctype html") || start.startsWith("<html");
}

/** Reads a WARC file (gzipped or not) into candidate and image rows. */
export async function* readWarc(input: ByteInput, options: WarcReaderOptions = {}): AsyncGenerator<ReadBatch<WarcRow>> {
  const maxRecordBytes = options.maxRecordBytes ?? 32 * 1024 * 1024;
  const stats = options.stats ?? emptyWarcStats();
  const opened = await openInput(input, { gunzip: false, signal: options.signal });
  const batch = new BatchCollector<WarcRow>(options, opened.totalBytes);
  let batchImageBytes = 0;
  let fed = 0;
  const source = (async function* () {
    for await (const chunk of opened.chunks) {
      fed += chunk.byteLength;
      yield chunk;
    }
  })();
  const parser = new WARCParser(source);
  let recordNo = 0;
  const flush = () => {
    batch.bytesRead = opened.bytesRead();
    batchImageBytes = 0;
    return batch.take();
  };
  try {
    for await (const record of parser) {
      batch.checkAborted();
      recordNo++;
      batch.records++;
      stats.records++;
      const where = recordNo;
      const declared = record.warcHeaders.headers.get("content-length") ?? null;
      if (declared === null || !/^\d+$/.test(declared.trim())) {
        batch.error({ kind: declared === null ? "truncated_record" : "bad_record", where, message: `record ${where}: WARC header has ${declared === null ? "no" : "a malformed"} Content-Length (cut off?)` });
      } else if (record.warcType !== "response") {
        stats.otherRecords++;
      } else if (record.warcContentLength > maxRecordBytes) {
        batch.error({ kind: "record_too_large", where, message: `record ${where}: ${record.warcContentLength} bytes, more than maxRecordBytes ${maxRecordBytes}` });
      } else if (!record.httpHeaders) {
        batch.error({ kind: "bad_record", where, message: `record ${where}: response without parsable HTTP headers` });
      } else {
        let payload: Uint8Array;
        try {
          payload = await record.readFully(true); // de-chunked and decompressed per the HTTP headers
        } catch (error) {
          batch.error({ kind: "bad_record", where, message: `record ${where} (${record.warcTargetURI ?? ""}): payload does not decode: ${error instanceof Error ? error.message : String(error)}` });
          if (batch.full) yield flush();
          continue;
        }
        const remaining = (record as unknown as { _reader: { limit?: number } })._reader.limit ?? 0;
        const url = record.warcTargetURI ?? "";
        const date = record.warcDate ?? null;
        const status = Number(record.httpHeaders.statusCode);
        const contentType = record.httpHeaders.headers.get("content-type") ?? null;
        if (remaining > 0) {
          batch.error({ kind: "truncated_record", where, message: `record ${where} (${url}): input ends ${remaining} bytes before the declared Content-Length` });
        } else if (!(status >= 200 && status < 300)) {
          stats.otherResponses++;
        } else {
          // The bytes decide: an image served as text/html is an image, HTML served as image/jpeg is a page.
          const facts = imageFacts(payload, { maxPixels: options.maxPixels });
          if (facts.format !== null || (/^\s*image\//i.test(contentType ?? "") && !isHtml(null, payload))) {
            stats.imageResponses++;
            batch.row({
              kind: "image", record: where, url, warc_date: date, content_type: contentType, status: facts.status, format: facts.format,
              width: facts.width, height: facts.height, bytes: facts.bytes, data: options.keepImageBytes === false ? null : payload,
            });
            batchImageBytes += payload.byteLength;
          } else if (isHtml(contentType, payload)) {
            stats.htmlPages++;
            const page = extractImages(decodeHtml(payload, contentType), url);
            for (const c of page.candidates) {
              batch.row({
                kind: "candidate", record: where, page_url: url, page_title: page.title, img_index: c.imgIndex, src: c.src, alt: c.alt,
                width_attr: c.widthAttr, height_attr: c.heightAttr, context_chars: c.contextChars, warc_date: date,
              });
            }
            for (const p of page.problems) batch.error({ kind: p.kind, where, message: `record ${where} (${url}): ${p.message}` });
          } else {
            stats.otherResponses++;
          }
        }
      }
      if (batch.full || batchImageBytes > MAX_BATCH_IMAGE_BYTES) yield flush();
    }
    // A gzip member cut off mid-way makes warcio stop quietly: bytes left unparsed mean a lost record.
    if (opened.gzipped && parser.offset < fed) {
      batch.error({ kind: "truncated_record", where: recordNo + 1, message: `record ${recordNo + 1}: ${fed - parser.offset} bytes at the end of the input do not form a complete record` });
    }
  } catch (error) {
    if (error instanceof Error && error.name === "ReadFailure") throw error;
    if (error instanceof Error && error.name === "AbortError") throw error;
    batch.error({ kind: "truncated_record", where: recordNo + 1, message: `record ${recordNo + 1}: cannot continue reading: ${error instanceof Error ? error.message : String(error)}` });
  }
  yield flush();
}
