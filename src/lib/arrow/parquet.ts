/**
 * Parquet in and out through parquet-wasm (Rust's arrow/parquet crates compiled to WebAssembly).
 * Tables cross into wasm as Arrow IPC streams, so the schema written is exactly the Arrow schema,
 * field metadata (column descriptions) included. In Node the wasm module loads synchronously; in
 * the browser it is initialised on first use.
 */
import { RecordBatchStreamWriter, Table, tableFromIPC, type RecordBatch as ArrowRecordBatch } from "apache-arrow";
import { DEFAULT_PARQUET_COMPRESSION, PARQUET_COMPRESSIONS, type ParquetCompression } from "./compression.js";
export { PARQUET_COMPRESSIONS, type ParquetCompression };

type ParquetWasm = typeof import("parquet-wasm");

export interface ParquetWriteOptions {
  /** Codec for every column. Default DEFAULT_PARQUET_COMPRESSION (zstd). */
  compression?: ParquetCompression;
  /** Maximum rows per row group. Default 65,536: bounds the writer's memory and lets readers skip. */
  rowGroupSize?: number;
}

let modulePromise: Promise<ParquetWasm> | undefined;

/** Loads parquet-wasm once; the browser (ESM) build needs its init function called, the Node build does not. */
async function parquetWasm(): Promise<ParquetWasm> {
  modulePromise ??= import("parquet-wasm").then(async (m) => {
    const init = (m as { default?: unknown }).default;
    if (typeof init === "function") await (init as () => Promise<unknown>)();
    return m;
  });
  return modulePromise;
}

function writerProperties(pq: ParquetWasm, options: ParquetWriteOptions) {
  const compression = options.compression ?? DEFAULT_PARQUET_COMPRESSION;
  if (!PARQUET_COMPRESSIONS.includes(compression)) {
    throw new RangeError(`unknown Parquet compression ${JSON.stringify(compression)}; valid: ${PARQUET_COMPRESSIONS.join(", ")}`);
  }
  const rowGroupSize = options.rowGroupSize ?? 65_536;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) throw new RangeError(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  const codec = { zstd: pq.Compression.ZSTD, snappy: pq.Compression.SNAPPY, gzip: pq.Compression.GZIP, uncompressed: pq.Compression.UNCOMPRESSED }[compression];
  return new pq.WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(rowGroupSize).setCreatedBy("conceptual-workbench").build();
}

function ipcStream(table: Table): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  writer.write(table);
  writer.finish();
  return writer.toUint8Array(true);
}

/** Writes an Arrow table as one Parquet file in memory. */
export async function toParquet(table: Table, options: ParquetWriteOptions = {}): Promise<Uint8Array> {
  const pq = await parquetWasm();
  const wasmTable = pq.Table.fromIPCStream(ipcStream(table));
  return pq.writeParquet(wasmTable, writerProperties(pq, options));
}

/** Reads a Parquet file into an Arrow table (schema and field metadata as written). */
export async function fromParquet(bytes: Uint8Array): Promise<Table> {
  const pq = await parquetWasm();
  return tableFromIPC(pq.readParquet(bytes).intoIPCStream());
}

/** An incremental Parquet writer: memory is bounded by one row group, not by the file. */
export interface ParquetStreamWriter {
  /** Appends a table's record batches (all with the same schema as the first). Resolves once queued. */
  write(table: Table | ArrowRecordBatch): Promise<void>;
  /** Finishes the file (footer) and resolves when every byte has been handed to `onBytes`. */
  close(): Promise<void>;
}

/** Starts an incremental Parquet writer that hands the file's bytes, in order, to `onBytes`. */
export async function createParquetWriter(onBytes: (chunk: Uint8Array) => Promise<void> | void, options: ParquetWriteOptions = {}): Promise<ParquetStreamWriter> {
  const pq = await parquetWasm();
  const props = writerProperties(pq, options);
  type WasmBatch = import("parquet-wasm").RecordBatch;
  const queue: WasmBatch[] = [];
  let closed = false;
  let wake: (() => void) | null = null;
  let drained: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const source = new ReadableStream<WasmBatch>(
    {
      async pull(controller) {
        while (queue.length === 0 && !closed) await new Promise<void>((r) => (wake = r));
        const next = queue.shift();
        if (queue.length < 2) {
          drained?.();
          drained = null;
        }
        if (next) controller.enqueue(next);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  // transformParquetStream resolves only after the first batch arrives (it needs the schema), so it is not awaited here.
  const pump = (async () => {
    const output = await pq.transformParquetStream(source, props);
    const reader = (output as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      await onBytes(value);
    }
  })();
  let failure: unknown;
  pump.catch((error) => {
    failure = error;
    drained?.();
  });
  return {
    async write(data) {
      if (failure) throw failure;
      if (closed) throw new Error("ParquetStreamWriter: write after close");
      const table = data instanceof Table ? data : new Table(data);
      for (const batch of pq.Table.fromIPCStream(ipcStream(table)).recordBatches()) queue.push(batch);
      notify();
      // Backpressure: wait until the wasm side has taken all but a couple of batches.
      while (queue.length >= 2 && !failure) await new Promise<void>((r) => (drained = r));
      if (failure) throw failure;
    },
    async close() {
      closed = true;
      notify();
      await pump;
    },
  };
}

/**
 * Reads a Parquet file one row group at a time (optionally only some columns), so memory is bounded by a row group,
 * not the file. `source`: the file's bytes, or a Blob (in Node, `fs.openAsBlob(path)`: read from disk range by range).
 */
export async function* readParquetRowGroups(source: Uint8Array | Blob, options: { columns?: string[] } = {}): AsyncGenerator<Table> {
  const pq = await parquetWasm();
  const file = await pq.ParquetFile.fromFile(source instanceof Blob ? source : new Blob([source as Uint8Array<ArrayBuffer>]));
  try {
    const groups = file.metadata().numRowGroups();
    for (let g = 0; g < groups; g++) {
      const wasm = await file.read({ rowGroups: [g], ...(options.columns ? { columns: options.columns } : {}) });
      yield tableFromIPC(wasm.intoIPCStream());
    }
  } finally {
    file.free();
  }
}
