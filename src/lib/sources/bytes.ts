/**
 * Opens any byte input the readers accept as an async stream of chunks with a byte counter:
 * a local path (Node), an http(s) URL (fetch), bytes in memory, a web ReadableStream, or any
 * async iterable of Uint8Array. Gzip input (magic 1f 8b) is decompressed on the fly.
 */
import { nodeFs, nodeUrl } from "./node-only.js";

/** What a reader can read from. A string is an http(s) URL when it starts with `http://` or `https://`, else a local path. */
export type ByteInput = string | URL | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface OpenedInput {
  /** The (decompressed) content, chunk by chunk. */
  chunks: AsyncIterable<Uint8Array>;
  /** Raw bytes consumed so far (before decompression); updated as `chunks` is read. */
  readonly bytesRead: () => number;
  /** Total raw size when known (local files, Content-Length), else null. */
  totalBytes: number | null;
  /** Whether the raw input was gzip-compressed. */
  gzipped: boolean;
  /** A name for messages: the path or URL, or "(bytes)". */
  name: string;
}

export interface OpenOptions {
  /** Decompress gzip input (default true). WARC readers pass false: warcio handles per-record gzip itself. */
  gunzip?: boolean;
  signal?: AbortSignal;
}

const isNode = typeof process !== "undefined" && Boolean(process.versions?.node);

function isReadableStream(x: unknown): x is ReadableStream<Uint8Array> {
  return typeof x === "object" && x !== null && typeof (x as ReadableStream).getReader === "function";
}

async function* fromReadableStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function raw(input: ByteInput, signal?: AbortSignal): Promise<{ chunks: AsyncIterable<Uint8Array>; total: number | null; name: string }> {
  if (input instanceof Uint8Array) {
    return { chunks: (async function* () { yield input; })(), total: input.byteLength, name: "(bytes)" };
  }
  if (isReadableStream(input)) return { chunks: fromReadableStream(input), total: null, name: "(stream)" };
  if (typeof input !== "string" && !(input instanceof URL)) return { chunks: input, total: null, name: "(stream)" };
  const text = String(input);
  if (/^https?:\/\//i.test(text)) {
    const response = await fetch(text, { signal: signal ?? null });
    if (!response.ok || !response.body) throw new Error(`fetching ${text}: HTTP ${response.status}`);
    const length = Number(response.headers.get("content-length"));
    return { chunks: fromReadableStream(response.body), total: Number.isFinite(length) && length > 0 ? length : null, name: text };
  }
  if (input instanceof URL && input.protocol !== "file:") throw new Error(`unsupported URL scheme ${input.protocol} in ${text}; use http(s) or a local path`);
  if (!isNode) throw new Error(`cannot open local path ${text} outside Node; pass a URL or bytes`);
  const fs = await nodeFs();
  const path = input instanceof URL ? (await nodeUrl()).fileURLToPath(input) : text;
  const stats = await fs.promises.stat(path);
  if (!stats.isFile()) throw new Error(`${path} is not a file`);
  return { chunks: fs.createReadStream(path, { highWaterMark: 256 * 1024, signal }), total: stats.size, name: path };
}

/** Opens an input for streaming; see {@link ByteInput}. */
export async function openInput(input: ByteInput, options: OpenOptions = {}): Promise<OpenedInput> {
  const { chunks, total, name } = await raw(input, options.signal);
  let bytesRead = 0;
  const iterator = chunks[Symbol.asyncIterator]();
  // Peek at the first non-empty chunk to detect gzip without consuming it.
  let first: Uint8Array | undefined;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    if (next.value.byteLength > 0) {
      first = next.value;
      break;
    }
  }
  const gzipped = first !== undefined && first.byteLength >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  async function* counted(): AsyncGenerator<Uint8Array> {
    try {
      if (!first) return;
      bytesRead += first.byteLength;
      yield first;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        bytesRead += next.value.byteLength;
        yield next.value;
      }
    } finally {
      await iterator.return?.(); // a consumer that stops early closes the file or connection
    }
  }
  let out: AsyncIterable<Uint8Array> = counted();
  if (gzipped && options.gunzip !== false) out = gunzip(out);
  return { chunks: out, bytesRead: () => bytesRead, totalBytes: total, gzipped, name };
}

/**
 * Compressed bytes handed to the inflater per write: one write inflates at most ~1032× its size
 * (deflate's ceiling), so a gzip bomb never expands by more than ~16 MiB ahead of the reader.
 */
const INFLATE_SLICE = 16 * 1024;

function* slices(chunk: Uint8Array): Generator<Uint8Array<ArrayBuffer>> {
  for (let i = 0; i < chunk.byteLength; i += INFLATE_SLICE) yield chunk.subarray(i, i + INFLATE_SLICE) as Uint8Array<ArrayBuffer>;
}

/** Decompresses gzip (including concatenated members) with the platform's DecompressionStream. */
async function* gunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream("gzip");
  const writer = stream.writable.getWriter();
  const pump = (async () => {
    try {
      for await (const chunk of chunks) for (const slice of slices(chunk)) await writer.write(slice);
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => {});
    }
  })();
  try {
    yield* fromReadableStream(stream.readable as ReadableStream<Uint8Array>);
  } finally {
    // A consumer that stops early must not leave the pump blocked on backpressure.
    await stream.readable.cancel().catch(() => {});
    await pump;
  }
}

/** What {@link inflateBounded} returns: the decoded bytes, or why there are none. */
export type InflateResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: "too_large" | "corrupt"; message: string };

/**
 * Decompresses bytes held in memory (an HTTP payload's Content-Encoding) but stops as soon as the
 * output passes `maxBytes`: memory stays within `maxBytes` plus one slice's expansion, whatever
 * the compression ratio.
 */
export async function inflateBounded(bytes: Uint8Array, format: "gzip" | "deflate" | "deflate-raw", maxBytes: number): Promise<InflateResult> {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  const feed = (async () => {
    for (const slice of slices(bytes)) await writer.write(slice);
    await writer.close();
  })().catch(() => {}); // a failure surfaces on the readable side
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        await writer.abort().catch(() => {});
        return { ok: false, reason: "too_large", message: `${format} payload of ${bytes.byteLength} bytes inflates past ${maxBytes} bytes` };
      }
      parts.push(value);
    }
  } catch (error) {
    await writer.abort().catch(() => {});
    return { ok: false, reason: "corrupt", message: `${format} payload does not decode: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await feed;
  }
  return { ok: true, bytes: concat(parts, total) };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Thrown by {@link ChunkReader} when the input itself fails (a cut or corrupt gzip stream, a read error). */
export class InputError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "InputError";
  }
}

/** One line from {@link ChunkReader.readLine}: its first bytes and how long it really was. */
export interface ReadLine {
  /** The line without its line ending, cut to the reader's limit. */
  bytes: Uint8Array;
  /** Bytes the line occupied, line ending included. */
  length: number;
  /** True when the line was longer than the limit: `bytes` holds only its start, the rest was skipped unbuffered. */
  overlong: boolean;
}

const EMPTY = new Uint8Array(0);

/**
 * Pull-style reading over a chunk stream, for formats whose headers say how many bytes follow
 * (WARC): every read ends at end of input whatever was asked for, and lines are buffered only up
 * to a limit, so neither a lying length nor a missing newline can hang or exhaust memory.
 */
export class ChunkReader {
  private buffer: Uint8Array = EMPTY;
  private at = 0;
  private ended = false;
  private readonly iterator: AsyncIterator<Uint8Array>;
  /** Bytes consumed so far (after decompression). */
  offset = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  /** Loads the next non-empty chunk when the buffer is used up; false at end of input. */
  private async fill(): Promise<boolean> {
    while (this.at >= this.buffer.byteLength) {
      if (this.ended) return false;
      let next: IteratorResult<Uint8Array>;
      try {
        next = await this.iterator.next();
      } catch (error) {
        this.ended = true;
        if (error instanceof Error && error.name === "AbortError") throw error;
        throw new InputError(error);
      }
      if (next.done) {
        this.ended = true;
        return false;
      }
      this.buffer = next.value;
      this.at = 0;
    }
    return true;
  }

  /** Reads one line (up to and including "\n", or to end of input); null at end of input. */
  async readLine(maxBytes: number): Promise<ReadLine | null> {
    if (!(await this.fill())) return null;
    const newlineHere = this.buffer.indexOf(10, this.at);
    if (newlineHere >= 0 && newlineHere - this.at < maxBytes) {
      // The whole line is in this chunk: no copy.
      const length = newlineHere + 1 - this.at;
      let end = newlineHere;
      if (end > this.at && this.buffer[end - 1] === 13) end--;
      const bytes = this.buffer.subarray(this.at, end);
      this.at = newlineHere + 1;
      this.offset += length;
      return { bytes, length, overlong: false };
    }
    const parts: Uint8Array[] = [];
    let kept = 0;
    let length = 0;
    for (;;) {
      const newline = this.buffer.indexOf(10, this.at);
      const end = newline < 0 ? this.buffer.byteLength : newline + 1;
      const piece = this.buffer.subarray(this.at, end);
      length += piece.byteLength;
      if (kept < maxBytes) {
        const part = piece.subarray(0, maxBytes - kept);
        parts.push(part);
        kept += part.byteLength;
      }
      this.at = end;
      this.offset += piece.byteLength;
      if (newline >= 0 || !(await this.fill())) break;
    }
    let bytes = concat(parts, kept);
    const overlong = length > maxBytes;
    if (!overlong) {
      let cut = bytes.byteLength;
      if (cut > 0 && bytes[cut - 1] === 10) cut--;
      if (cut > 0 && bytes[cut - 1] === 13) cut--;
      bytes = bytes.subarray(0, cut);
    }
    return { bytes, length, overlong };
  }

  /** Skips any run of CR and LF bytes; returns how many. */
  async skipNewlines(): Promise<number> {
    let skipped = 0;
    while (await this.fill()) {
      const b = this.buffer;
      let i = this.at;
      while (i < b.byteLength && (b[i] === 10 || b[i] === 13)) i++;
      skipped += i - this.at;
      this.offset += i - this.at;
      this.at = i;
      if (i < b.byteLength) break;
    }
    return skipped;
  }

  /** Makes at least `n` bytes available from the read position (joining chunks); false when the input ends first. */
  private async ensure(n: number): Promise<boolean> {
    while (this.buffer.byteLength - this.at < n) {
      const rest = this.buffer.subarray(this.at);
      this.buffer = EMPTY;
      this.at = 0;
      if (!(await this.fill())) {
        this.buffer = rest;
        return false;
      }
      this.buffer = concat([rest, this.buffer], rest.byteLength + this.buffer.byteLength);
    }
    return true;
  }

  /**
   * Skips to the start of the next line that begins with `prefix` (the read position itself
   * counts when it is a line start); returns the bytes skipped. Scans chunk by chunk without
   * splitting lines, so a run of millions of short lines costs one `indexOf` each.
   */
  async skipToLineStartingWith(prefix: Uint8Array): Promise<number> {
    const start = this.offset;
    let lineStart = true;
    for (;;) {
      const more = lineStart ? await this.ensure(prefix.byteLength) : await this.fill();
      if (!more) {
        // Too few bytes left to hold the prefix (or none): they are skipped too.
        this.offset += this.buffer.byteLength - this.at;
        this.at = this.buffer.byteLength;
        return this.offset - start;
      }
      const b = this.buffer;
      let i = this.at;
      for (;;) {
        if (lineStart) {
          if (i + prefix.byteLength > b.byteLength) break; // the prefix straddles chunks: ensure() joins them
          let match = true;
          for (let k = 0; k < prefix.byteLength && match; k++) match = b[i + k] === prefix[k];
          if (match) {
            this.offset += i - this.at;
            this.at = i;
            return this.offset - start;
          }
        }
        const newline = b.indexOf(10, i);
        if (newline < 0) {
          i = b.byteLength;
          lineStart = false;
          break;
        }
        i = newline + 1;
        lineStart = true;
      }
      this.offset += i - this.at;
      this.at = i;
    }
  }

  /** Reads up to `n` bytes: fewer only at end of input. Memory grows with what is there, not with `n`. */
  async read(n: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let got = 0;
    while (got < n && (await this.fill())) {
      const piece = this.buffer.subarray(this.at, this.at + Math.min(n - got, this.buffer.byteLength - this.at));
      parts.push(piece);
      got += piece.byteLength;
      this.at += piece.byteLength;
      this.offset += piece.byteLength;
    }
    return concat(parts, got);
  }

  /** Skips up to `n` bytes without keeping them; returns how many were skipped (fewer only at end of input). */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    while (skipped < n && (await this.fill())) {
      const step = Math.min(n - skipped, this.buffer.byteLength - this.at);
      skipped += step;
      this.at += step;
      this.offset += step;
    }
    return skipped;
  }

  /** Stops reading: closes the underlying file or connection. */
  async close(): Promise<void> {
    this.ended = true;
    await this.iterator.return?.();
  }
}
