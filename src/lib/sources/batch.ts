import { DEFAULT_BATCH_SIZE, ReadFailure, type ReadBatch, type ReadError, type ReaderOptions } from "./types.js";

/**
 * Accumulates one batch of rows and errors for a reader: enforces `strict`, counts progress and
 * tells the reader when to yield. Every reader uses it, so batching and progress behave alike.
 */
export class BatchCollector<Row> {
  rows: Row[] = [];
  errors: ReadError[] = [];
  records = 0;
  totalRows = 0;
  totalErrors = 0;
  bytesRead = 0;
  readonly batchSize: number;

  constructor(
    private readonly options: ReaderOptions,
    readonly totalBytes: number | null = null,
  ) {
    const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`batchSize must be a positive integer, got ${size}`);
    this.batchSize = size;
  }

  row(row: Row): void {
    this.rows.push(row);
    this.totalRows++;
  }

  error(error: ReadError): void {
    if (this.options.strict) throw new ReadFailure(error);
    this.errors.push(error);
    this.totalErrors++;
  }

  /** Whether the current batch is full and should be yielded. */
  get full(): boolean {
    return this.rows.length + this.errors.length >= this.batchSize;
  }

  get pending(): boolean {
    return this.rows.length + this.errors.length > 0;
  }

  /** Takes the current batch (possibly empty) and reports progress. */
  take(): ReadBatch<Row> {
    const batch = { rows: this.rows, errors: this.errors };
    this.rows = [];
    this.errors = [];
    this.report();
    return batch;
  }

  report(): void {
    this.options.onProgress?.({
      bytesRead: this.bytesRead,
      totalBytes: this.totalBytes,
      records: this.records,
      rows: this.totalRows,
      errors: this.totalErrors,
    });
  }

  checkAborted(): void {
    this.options.signal?.throwIfAborted();
  }
}
