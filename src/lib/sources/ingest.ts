/**
 * Source → table(s): reads an opened source batch by batch and writes each of its tables to a sink,
 * either every row (streaming) or a deterministic sample (a seeded reservoir per table, written at
 * the end in input order). Returns the summary `ccw ingest` prints and loaders can log.
 */
import type { OpenedSource } from "./formats.js";
import { Reservoir, DEFAULT_SEED } from "./sample.js";
import type { TableSink } from "./sink.js";
import { DEFAULT_BATCH_SIZE, type ReadError } from "./types.js";

export interface IngestOptions {
  /** Keep a uniform sample of at most this many rows per table; undefined keeps every row. */
  sample?: number;
  /** Seed of the sample. Default 42. */
  seed?: number;
  /** Rows per written batch when flushing a sample. Default 10,000. */
  batchSize?: number;
  /** Errors kept verbatim in the summary (the rest are only counted). Default 20. */
  keepErrors?: number;
}

export interface IngestSummary {
  format: string;
  tables: { name: string; rowsRead: number; rowsWritten: number }[];
  /** Malformed records, counted by kind. */
  errorsByKind: Record<string, number>;
  errors: number;
  /** The first `keepErrors` errors, with their line/record numbers. */
  firstErrors: ReadError[];
  /** Entries passed over on purpose (an image folder's symlinks, FIFOs, sockets, devices), by kind; {} when none. */
  skipped: Record<string, number>;
  elapsedMs: number;
}

/** Drains `source` into `sinks` (one per table, same order as `source.tables`) and closes them. */
export async function ingest(source: OpenedSource, sinks: readonly TableSink<object>[], options: IngestOptions = {}): Promise<IngestSummary> {
  if (sinks.length !== source.tables.length) throw new RangeError(`${source.format} has ${source.tables.length} table(s) but ${sinks.length} sink(s) were given`);
  if (options.sample !== undefined && !(Number.isInteger(options.sample) && options.sample >= 0)) throw new RangeError(`sample must be a non-negative integer, got ${options.sample}`);
  const start = performance.now();
  const keep = options.keepErrors ?? 20;
  const reservoirs = options.sample === undefined ? null : source.tables.map(() => new Reservoir<object>(options.sample!, options.seed ?? DEFAULT_SEED));
  const read = source.tables.map(() => 0);
  const errorsByKind: Record<string, number> = {};
  const firstErrors: ReadError[] = [];
  let errors = 0;
  const skipped: Record<string, number> = {};
  for await (const batch of source.batches) {
    for (const [kind, n] of Object.entries(batch.skipped ?? {})) skipped[kind] = (skipped[kind] ?? 0) + n;
    for (const error of batch.errors) {
      errorsByKind[error.kind] = (errorsByKind[error.kind] ?? 0) + 1;
      if (firstErrors.length < keep) firstErrors.push(error);
      errors++;
    }
    for (let t = 0; t < batch.tables.length; t++) {
      const rows = batch.tables[t]!;
      read[t]! += rows.length;
      if (reservoirs) for (const row of rows) reservoirs[t]!.offer(row);
      else await sinks[t]!.write(rows);
    }
  }
  if (reservoirs) {
    const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
    for (let t = 0; t < reservoirs.length; t++) {
      const items = reservoirs[t]!.items();
      for (let i = 0; i < items.length; i += size) await sinks[t]!.write(items.slice(i, i + size));
    }
  }
  const written = await Promise.all(sinks.map((s) => s.close()));
  return {
    format: source.format,
    tables: source.tables.map((table, t) => ({ name: table.name, rowsRead: read[t]!, rowsWritten: written[t]! })),
    errorsByKind,
    errors,
    firstErrors,
    skipped,
    elapsedMs: performance.now() - start,
  };
}
