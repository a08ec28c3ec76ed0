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

/** Decompresses gzip (including concatenated members) with the platform's DecompressionStream. */
async function* gunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream("gzip");
  const writer = stream.writable.getWriter();
  const pump = (async () => {
    try {
      for await (const chunk of chunks) await writer.write(chunk as Uint8Array<ArrayBuffer>);
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
