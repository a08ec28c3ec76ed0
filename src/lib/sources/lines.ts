/**
 * Splits a byte stream into numbered text lines without ever holding more than one input piece
 * (256 KiB) plus one line of at most `maxLineBytes`. A longer line is skipped (not buffered) and
 * reported; a line that is not valid UTF-8 is reported, not repaired: readers turn both into counted
 * errors. Lines come in groups of at most 1,024, so a chunk of a million empty lines costs no more
 * memory than a chunk of long ones (degenerate input keeps several million lines/s: bench/readers).
 */

/** A line: its 1-based number and text (trailing CR removed), or the reason it has no text. */
export type Line =
  | { no: number; text: string }
  | { no: number; text: null; problem: "bad_utf8" | "line_too_long"; bytes: number };

export interface LineOptions {
  /** Longest line accepted, in bytes. Longer lines are skipped and reported. Default 1 MiB. */
  maxLineBytes?: number;
  /** Cancels reading between chunks. */
  signal?: AbortSignal;
  /**
   * Asked once the input has ended: false when it ended early (a gzip stream that broke off), so
   * the bytes after the last newline are an unfinished line and are not yielded. Default: complete.
   */
  complete?: () => boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** Input chunks are cut into pieces of at most this many bytes (bounds the text decoded at once). */
const PIECE_BYTES = 256 * 1024;
/** Lines per yielded group. */
const GROUP_LINES = 1024;

const NL = 10;
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function decodeOrNull(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

/** The input cut into pieces of at most PIECE_BYTES (views, no copies). */
async function* pieces(chunks: AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    if (chunk.byteLength <= PIECE_BYTES) yield chunk;
    else for (let at = 0; at < chunk.byteLength; at += PIECE_BYTES) yield chunk.subarray(at, Math.min(at + PIECE_BYTES, chunk.byteLength));
  }
}

/** Yields the lines of a byte stream in groups so per-line overhead stays small. */
export async function* readLines(chunks: AsyncIterable<Uint8Array>, options: LineOptions = {}): AsyncGenerator<Line[]> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let no = 0;
  let out: Line[] = [];
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let skipping = false; // inside a line already known to be too long
  let skippedBytes = 0;

  const push = (text: string) => {
    no++;
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (no === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length > max / 3 && (text.length > max || utf8Length(text) > max)) out.push({ no, text: null, problem: "line_too_long", bytes: utf8Length(text) });
    else out.push({ no, text });
  };

  // Every line of `region` (complete lines, the last newline excluded), yielding full groups as it goes.
  async function* decodeRegion(region: Uint8Array): AsyncGenerator<Line[]> {
    const text = decodeOrNull(region);
    if (text !== null) {
      let start = 0;
      for (;;) {
        const end = text.indexOf("\n", start);
        push(end === -1 ? text.slice(start) : text.slice(start, end));
        if (out.length >= GROUP_LINES) {
          yield out;
          out = [];
        }
        if (end === -1) return;
        start = end + 1;
      }
    }
    // Slow path: some line in the region is not UTF-8; find which.
    let start = 0;
    for (;;) {
      const end = region.indexOf(NL, start);
      const bytes = region.subarray(start, end === -1 ? region.byteLength : end);
      const line = decodeOrNull(bytes);
      if (line !== null) push(line);
      else {
        no++;
        out.push({ no, text: null, problem: "bad_utf8", bytes: bytes.byteLength });
      }
      if (out.length >= GROUP_LINES) {
        yield out;
        out = [];
      }
      if (end === -1) return;
      start = end + 1;
    }
  }

  for await (const chunk of pieces(chunks, options.signal)) {
    let start = 0;
    if (skipping) {
      const end = chunk.indexOf(NL);
      if (end === -1) {
        skippedBytes += chunk.byteLength;
        continue;
      }
      no++;
      out.push({ no, text: null, problem: "line_too_long", bytes: skippedBytes + end });
      skipping = false;
      skippedBytes = 0;
      start = end + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last < start) {
      const rest = chunk.subarray(start);
      if (pendingLength + rest.byteLength > max) {
        skipping = true;
        skippedBytes = pendingLength + rest.byteLength;
        pending = [];
        pendingLength = 0;
      } else if (rest.byteLength > 0) {
        pending.push(rest.slice());
        pendingLength += rest.byteLength;
      }
    } else {
      const body = chunk.subarray(start, last);
      yield* decodeRegion(pendingLength ? concat([...pending, body], pendingLength + body.byteLength) : body);
      pending = [];
      pendingLength = 0;
      const tail = chunk.subarray(last + 1);
      if (tail.byteLength > max) {
        skipping = true;
        skippedBytes = tail.byteLength;
      } else if (tail.byteLength) {
        pending.push(tail.slice()); // copy: do not pin the whole chunk for a short remainder
        pendingLength = tail.byteLength;
      }
    }
    if (out.length) {
      yield out;
      out = [];
    }
  }
  if (options.complete?.() === false) return; // the unfinished last line belongs to the reader's own error
  if (skipping) {
    no++;
    out.push({ no, text: null, problem: "line_too_long", bytes: skippedBytes });
  } else if (pendingLength) yield* decodeRegion(concat(pending, pendingLength));
  if (out.length) yield out;
}
