/**
 * WARC reader (plain or gzipped, per-record gzip members as Common Crawl ships them).
 * How a real crawl enters the pipeline: every HTML response yields one {@link WarcCandidateRow}
 * per `<img>` (absolute src, alt text, page URL and title, surrounding text length); every image
 * response yields a {@link WarcImageRow} with the bytes and the facts read from them.
 *
 * Bounded whatever the headers say: a record's payload is held in memory only up to
 * `maxRecordBytes`, before and after its Content-Encoding is undone (streamed, stopped at the
 * limit); header blocks and lines are capped; every read stops at end of input, so a record that
 * declares more bytes than remain ends the read with one `truncated_record` error instead of
 * waiting for bytes that never come. Pages are parsed within {@link HtmlLimits}, walked without
 * recursion.
 *
 * Counted, never fatal: a record cut off before its declared length or a gzip stream cut off
 * (`truncated_record`, the read ends there), headers that do not parse, bytes between records
 * that are no record, a payload that does not decode, a page over the HTML limits, input that
 * is not a WARC at all (`bad_record`), a record over `maxRecordBytes` (`record_too_large`),
 * `<img>` elements without a usable src (`img_without_src`, `img_bad_src`). Records of other
 * types (request, metadata, warcinfo, revisit) and responses that are neither HTML nor images
 * are tallied in {@link WarcStats}. Errors' `where` is the 1-based record number; their message
 * names the input, the record's number, WARC-Record-ID and byte offset (in the decompressed
 * stream for gzip input).
 */
import { imageFacts, type ImageFormat, type ImageStatus } from "../images/index.js";
import { BatchCollector } from "./batch.js";
import { ChunkReader, InputError, inflateBounded, openInput, type ByteInput } from "./bytes.js";
import { decodeHtml, extractImages, type HtmlLimits } from "./html.js";
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
  /**
   * Largest record held in memory, checked on the declared Content-Length and again on the payload
   * after its Content-Encoding is undone; larger records are skipped as `record_too_large`.
   * Default {@link DEFAULT_MAX_RECORD_BYTES} (32 MiB); at most 2^31 − 1.
   */
  maxRecordBytes?: number;
  /** Bounds on each HTML page's parsed tree (defaults in `DEFAULT_HTML_LIMITS`). */
  html?: HtmlLimits;
  /** Keep image payloads in {@link WarcImageRow.data} (default true). */
  keepImageBytes?: boolean;
  /** Largest declared pixel count accepted for image responses (status `too_many_pixels` above). */
  maxPixels?: number;
  /** Filled in as the read goes. */
  stats?: WarcStats;
}

/** Default {@link WarcReaderOptions.maxRecordBytes}: 32 MiB. */
export const DEFAULT_MAX_RECORD_BYTES = 32 * 1024 * 1024;

/** A batch is flushed early once it holds this many image bytes, so memory stays bounded. */
const MAX_BATCH_IMAGE_BYTES = 64 * 1024 * 1024;
/** Longest WARC header line kept (a Target-URI is rarely over 8 KiB); longer lines make the record a `bad_record`. */
const MAX_HEADER_LINE = 64 * 1024;
/** Largest WARC or HTTP header block read. */
const MAX_HEADER_BLOCK = 1024 * 1024;
/** Bytes of a line quoted in messages. */
const QUOTE = 60;

export function emptyWarcStats(): WarcStats {
  return { records: 0, htmlPages: 0, imageResponses: 0, otherRecords: 0, otherResponses: 0 };
}

function isHtml(contentType: string | null, head: Uint8Array): boolean {
  if (contentType && /^\s*(text\/html|application\/xhtml\+xml)/i.test(contentType)) return true;
  if (contentType && !/^\s*(text\/plain|application\/octet-stream)/i.test(contentType)) return false;
  const start = new TextDecoder("latin1").decode(head.subarray(0, 512)).trimStart().toLowerCase();
  return start.startsWith("<!doctype html") || start.startsWith("<html");
}

const utf8 = new TextDecoder("utf-8");
const latin1 = new TextDecoder("latin1");
/** A short quoted excerpt of input for messages. */
const quote = (text: string) => JSON.stringify(text.length > QUOTE ? `${text.slice(0, QUOTE)}…` : text);
const WARC_PREFIX = new TextEncoder().encode("WARC/");
const startsWithWarc = (line: Uint8Array) => line.byteLength >= 5 && latin1.decode(line.subarray(0, 5)) === "WARC/";

/** Header fields by lower-case name; repeated fields joined with ", ", continuation lines folded in. */
function parseFields(lines: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | null = null;
  for (const line of lines) {
    if (last !== null && /^[ \t]/.test(line)) {
      fields.set(last, `${fields.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    fields.set(name, fields.has(name) ? `${fields.get(name)}, ${value}` : value);
    last = name;
  }
  return fields;
}

/** End of an HTTP header block (index after its blank line) within the first `limit` bytes, or -1. */
function headerEnd(bytes: Uint8Array, limit: number): number {
  const stop = Math.min(bytes.byteLength, limit);
  for (let i = bytes.indexOf(10); i >= 0 && i < stop; i = bytes.indexOf(10, i + 1)) {
    if (bytes[i + 1] === 10) return i + 2;
    if (bytes[i + 1] === 13 && bytes[i + 2] === 10) return i + 3;
  }
  return -1;
}

/** An HTTP message's status and header fields, and where its body starts. */
interface HttpHead {
  status: number;
  fields: Map<string, string>;
  bodyStart: number;
}

function parseHttpHead(content: Uint8Array): HttpHead | string {
  const end = headerEnd(content, MAX_HEADER_BLOCK);
  if (end < 0) return content.byteLength > MAX_HEADER_BLOCK ? `HTTP headers longer than ${MAX_HEADER_BLOCK} bytes` : "HTTP headers do not end with a blank line";
  const lines = utf8.decode(content.subarray(0, end)).split(/\r?\n/);
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/.exec(lines[0] ?? "");
  if (!status) return `HTTP status line ${quote(lines[0] ?? "")} does not parse`;
  return { status: Number(status[1]), fields: parseFields(lines.slice(1)), bodyStart: end };
}

/** Undoes `Transfer-Encoding: chunked`; null when the body is not validly chunked (some crawlers keep the header on a de-chunked body). */
function dechunk(body: Uint8Array): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = 0;
  for (;;) {
    const eol = body.indexOf(10, at);
    if (eol < 0 || eol - at > 1024) return null;
    const size = /^([0-9a-f]+)(?:;[^\r\n]*)?\r?$/i.exec(latin1.decode(body.subarray(at, eol)));
    if (!size) return null;
    const n = parseInt(size[1]!, 16);
    at = eol + 1;
    if (n === 0) break;
    if (at + n > body.byteLength) return null;
    parts.push(body.subarray(at, at + n));
    total += n;
    at += n;
    if (body[at] === 13) at++;
    if (body[at] !== 10) return null;
    at++;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** Content-Encoding values the reader undoes, by the DecompressionStream format that does it. */
const DECODERS: Record<string, "gzip" | "deflate"> = { gzip: "gzip", "x-gzip": "gzip", deflate: "deflate" };

/**
 * The payload as the server meant it: de-chunked, and inflated (within `maxBytes`) when its
 * Content-Encoding is gzip or deflate; a string says why not.
 */
async function decodePayload(body: Uint8Array, fields: Map<string, string>, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: string } | { bad: string }> {
  let bytes = body;
  if (/\bchunked\b/i.test(fields.get("transfer-encoding") ?? "")) bytes = dechunk(bytes) ?? bytes;
  const encoding = (fields.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return { bytes };
  const format = DECODERS[encoding];
  if (!format) return { bad: `Content-Encoding ${quote(encoding)} is not supported (${Object.keys(DECODERS).join(", ")} or identity)` };
  // Crawlers often store the payload already decoded but keep the header: only inflate what is compressed.
  const gzipMagic = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (format === "gzip" && !gzipMagic) return { bytes };
  const zlibHeader = bytes.byteLength >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;
  const result = await inflateBounded(bytes, format === "deflate" && !zlibHeader ? "deflate-raw" : format, maxBytes);
  if (result.ok) return { bytes: result.bytes };
  return result.reason === "too_large" ? { tooLarge: result.message } : { bad: result.message };
}

/** Reads a WARC file (gzipped or not) into candidate and image rows. */
export async function* readWarc(input: ByteInput, options: WarcReaderOptions = {}): AsyncGenerator<ReadBatch<WarcRow>> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isInteger(maxRecordBytes) || maxRecordBytes < 1 || maxRecordBytes > 2 ** 31 - 1) {
    throw new RangeError(`maxRecordBytes must be an integer from 1 to 2^31 - 1 (the bytes column is int32), got ${maxRecordBytes}`);
  }
  const stats = options.stats ?? emptyWarcStats();
  const opened = await openInput(input, { signal: options.signal });
  const name = opened.name;
  const reader = new ChunkReader(opened.chunks);
  const batch = new BatchCollector<WarcRow>(options, opened.totalBytes);
  let batchImageBytes = 0;
  const flush = () => {
    batch.bytesRead = opened.bytesRead();
    batchImageBytes = 0;
    return batch.take();
  };
  const at = (offset: number) => (opened.gzipped ? `byte ${offset} of the decompressed stream` : `byte ${offset}`);
  let recordNo = 0;
  /** Who the current record is, for messages: input, number, WARC-Record-ID, offset, target URI. */
  let label = "";
  let ended = false;

  /**
   * Reads the next record's version line, skipping blank lines. Other bytes before it are counted
   * as one `bad_record`, unless `quiet` (they belong to a record whose length was unreadable).
   */
  const nextVersionLine = async (quiet: boolean): Promise<{ line: Uint8Array; offset: number } | null> => {
    await reader.skipNewlines();
    let garbageStart = -1;
    for (;;) {
      if (recordNo > 0) {
        const offset = reader.offset;
        if ((await reader.skipToLineStartingWith(WARC_PREFIX)) > 0 && garbageStart < 0) garbageStart = offset;
      }
      const offset = reader.offset;
      const line = await reader.readLine(MAX_HEADER_LINE);
      const isVersion = line !== null && !line.overlong && startsWithWarc(line.bytes);
      if (recordNo === 0 && line !== null && !isVersion) {
        // Not a WARC at all (a gzipped TSV named .warc.gz, an ARC file): say so once and read no further.
        batch.error({ kind: "bad_record", where: 1, message: `${name} is not a WARC file: it starts with ${quote(latin1.decode(line.bytes.subarray(0, QUOTE + 1)))}, not a WARC/1.0 or WARC/1.1 version line` });
        return null;
      }
      if (garbageStart >= 0 && !quiet && (line === null || isVersion)) {
        batch.error({
          kind: "bad_record", where: recordNo + 1,
          message: `${name}: ${offset - garbageStart} bytes at ${at(garbageStart)}, after record ${recordNo}, are not a WARC record${line === null ? " (end of input)" : `; reading resumes at record ${recordNo + 1}`}`,
        });
      }
      if (line === null) return null;
      if (isVersion) return { line: line.bytes, offset };
      if (garbageStart < 0) garbageStart = offset; // a "WARC/..." line too long to be a version line
    }
  };

  /** Ends the read on a record the input stops inside. */
  const cutOff = (detail: string) => {
    batch.error({ kind: "truncated_record", where: recordNo, message: `${label}: ${detail}` });
    ended = true;
  };

  /** Whether a record is being read (an input failure is then that record's error), and whether the last one had no usable length. */
  let inRecord = false;
  let lengthless = false;
  try {
    while (!ended) {
      batch.checkAborted();
      const version = await nextVersionLine(lengthless);
      if (version === null) break;
      recordNo++;
      inRecord = true;
      lengthless = false;
      batch.records++;
      stats.records++;
      const where = recordNo;
      label = `${name}: record ${where} (${at(version.offset)})`;
      // WARC header block: lines up to a blank line, bounded in line length and total bytes.
      const lines: string[] = [];
      let blockBytes = 0;
      let headerProblem: string | null = null;
      let complete = false;
      for (;;) {
        const line = await reader.readLine(MAX_HEADER_LINE);
        if (line === null) break;
        blockBytes += line.length;
        if (line.bytes.byteLength === 0 && !line.overlong) {
          complete = true;
          break;
        }
        if (line.overlong) headerProblem ??= `a WARC header line is longer than ${MAX_HEADER_LINE} bytes`;
        else lines.push(utf8.decode(line.bytes));
        if (blockBytes > MAX_HEADER_BLOCK) {
          headerProblem ??= `WARC headers longer than ${MAX_HEADER_BLOCK} bytes`;
          break;
        }
      }
      const fields = parseFields(lines);
      const id = fields.get("warc-record-id") ?? null;
      const url = fields.get("warc-target-uri")?.replace(/^<(.*)>$/, "$1") ?? "";
      label = `${name}: record ${where} (${id ?? "no WARC-Record-ID"}, ${at(version.offset)}${url ? `, ${url}` : ""})`;
      if (!complete && headerProblem === null) {
        cutOff("input ends inside the WARC headers");
        break;
      }
      const declared = fields.get("content-length") ?? null;
      if (headerProblem !== null || declared === null || !/^\d{1,15}$/.test(declared)) {
        // Without a length the record's end is unknown: skip to the next version line (counted there if it is not right after).
        const why = headerProblem ?? (declared === null ? "WARC headers have no Content-Length" : `WARC Content-Length ${quote(declared)} is not a byte count`);
        batch.error({ kind: "bad_record", where, message: `${label}: ${why}` });
        lengthless = true;
        inRecord = false;
        if (batch.full) yield flush();
        continue;
      }
      const length = Number(declared);
      const type = fields.get("warc-type") ?? "";
      if (type !== "response" || length > maxRecordBytes) {
        const skipped = await reader.skip(length);
        if (skipped < length) {
          cutOff(`declares ${length} content bytes but the input ends after ${skipped}`);
          break;
        }
        if (type !== "response") stats.otherRecords++;
        else batch.error({ kind: "record_too_large", where, message: `${label}: ${length} bytes, more than maxRecordBytes ${maxRecordBytes}` });
        inRecord = false;
        if (batch.full) yield flush();
        continue;
      }
      const content = await reader.read(length);
      if (content.byteLength < length) {
        cutOff(`declares ${length} content bytes but the input ends after ${content.byteLength}`);
        break;
      }
      const head = parseHttpHead(content);
      if (typeof head === "string") {
        batch.error({ kind: "bad_record", where, message: `${label}: response without parsable HTTP headers: ${head}` });
      } else if (!(head.status >= 200 && head.status < 300)) {
        stats.otherResponses++;
      } else {
        const decoded = await decodePayload(content.subarray(head.bodyStart), head.fields, maxRecordBytes);
        const contentType = head.fields.get("content-type") ?? null;
        const date = fields.get("warc-date") ?? null;
        if ("tooLarge" in decoded) {
          batch.error({ kind: "record_too_large", where, message: `${label}: ${decoded.tooLarge} (maxRecordBytes)` });
        } else if ("bad" in decoded) {
          batch.error({ kind: "bad_record", where, message: `${label}: ${decoded.bad}` });
        } else {
          const payload = decoded.bytes;
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
            const page = extractImages(decodeHtml(payload, contentType), url, options.html);
            if (page.refused !== null) batch.error({ kind: "bad_record", where, message: `${label}: HTML page not read: ${page.refused}` });
            for (const c of page.candidates) {
              batch.row({
                kind: "candidate", record: where, page_url: url, page_title: page.title, img_index: c.imgIndex, src: c.src, alt: c.alt,
                width_attr: c.widthAttr, height_attr: c.heightAttr, context_chars: c.contextChars, warc_date: date,
              });
            }
            for (const p of page.problems) batch.error({ kind: p.kind, where, message: `${label}: ${p.message}` });
          } else {
            stats.otherResponses++;
          }
        }
      }
      inRecord = false;
      if (batch.full || batchImageBytes > MAX_BATCH_IMAGE_BYTES) yield flush();
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error; // ReadFailure (strict), AbortError, bugs
    // The input itself failed (a gzip stream cut off or corrupt): whatever record was being read is lost, and the read ends.
    const where = inRecord ? recordNo : recordNo + 1;
    const who = recordNo === 0 ? name : inRecord ? label : `${name}: record ${where}`;
    const cut = /unexpected end|incomplete|truncat/i.test(error.message);
    batch.error({
      kind: cut ? "truncated_record" : "bad_record",
      where,
      message: `${who}: ${opened.gzipped ? "gzip stream" : "input"} ${cut ? "is cut off" : "cannot be read"} at ${at(reader.offset)}: ${error.message}`,
    });
  } finally {
    await reader.close();
  }
  yield flush();
}
