/**
 * Splits a byte stream into numbered text lines without ever holding more than one chunk plus one
 * line of at most `maxLineBytes`. A longer line is skipped (not buffered) and reported; a line that
 * is not valid UTF-8 is reported, not repaired: readers turn both into counted errors.
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
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

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

/** Yields the lines of a byte stream in groups (one group per input chunk) so per-line overhead stays small. */
export async function* readLines(chunks: AsyncIterable<Uint8Array>, options: LineOptions = {}): AsyncGenerator<Line[]> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let no = 0;
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let skipping = false; // inside a line already known to be too long
  let skippedBytes = 0;

  const push = (out: Line[], text: string) => {
    no++;
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (no === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length > max / 3 && (text.length > max || utf8Length(text) > max)) out.push({ no, text: null, problem: "line_too_long", bytes: utf8Length(text) });
    else out.push({ no, text });
  };

  const decodeRegion = (out: Line[], region: Uint8Array) => {
    let text: string | null = null;
    try {
      text = strictDecoder.decode(region);
    } catch {
      text = null;
    }
    if (text !== null) {
      for (const line of text.split("\n")) push(out, line);
      return;
    }
    // Slow path: some line in the region is not UTF-8; find which.
    let start = 0;
    for (;;) {
      const end = region.indexOf(NL, start);
      const bytes = region.subarray(start, end === -1 ? region.byteLength : end);
      try {
        push(out, strictDecoder.decode(bytes));
      } catch {
        no++;
        out.push({ no, text: null, problem: "bad_utf8", bytes: bytes.byteLength });
      }
      if (end === -1) return;
      start = end + 1;
    }
  };

  for await (const chunk of chunks) {
    options.signal?.throwIfAborted();
    const out: Line[] = [];
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
      if (out.length) yield out;
      continue;
    }
    const body = chunk.subarray(start, last);
    const region = pendingLength ? concat([...pending, body], pendingLength + body.byteLength) : body;
    decodeRegion(out, region);
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
    yield out;
  }
  if (skipping) {
    no++;
    yield [{ no, text: null, problem: "line_too_long", bytes: skippedBytes }];
  } else if (pendingLength) {
    const out: Line[] = [];
    decodeRegion(out, concat(pending, pendingLength));
    yield out;
  }
}
