/**
 * Writes rows batch by batch to an Arrow IPC stream or a Parquet file without holding the table:
 * each `write` becomes one record batch, handed to `onBytes` as soon as it is encoded. An empty
 * output still carries its schema.
 */
import { Table } from "apache-arrow";
import { createParquetWriter, tableFromRows, toArrowIPC, type ColumnSpec, type ParquetWriteOptions } from "../arrow/index.js";

export type TableFormat = "arrow" | "parquet";
export const TABLE_FORMATS: readonly TableFormat[] = ["arrow", "parquet"];

export interface TableSink<Row> {
  /** Appends rows as one record batch (no-op for an empty array). */
  write(rows: readonly Row[]): Promise<void>;
  /** Appends a table already built with this sink's columns (tableFromRows): one table serves several sinks. */
  writeTable(table: Table): Promise<void>;
  /** Finishes the file; resolves with the number of rows written once every byte is out. */
  close(): Promise<number>;
}

/** The table format implied by a file name (`.arrow`/`.arrows`/`.ipc` or `.parquet`), or null. */
export function tableFormatFromPath(path: string): TableFormat | null {
  if (/\.(arrow|arrows|ipc|feather)$/i.test(path)) return "arrow";
  if (/\.(parquet|pq)$/i.test(path)) return "parquet";
  return null;
}

export async function openTableSink<Row extends object>(
  columns: readonly ColumnSpec<Row>[],
  format: TableFormat,
  onBytes: (chunk: Uint8Array) => Promise<void> | void,
  options: ParquetWriteOptions = {},
): Promise<TableSink<Row>> {
  let rows = 0;
  if (format === "parquet") {
    const writer = await createParquetWriter(onBytes, options);
    const sink: TableSink<Row> = {
      write: (batch) => (batch.length === 0 ? Promise.resolve() : sink.writeTable(tableFromRows(batch, columns))),
      async writeTable(table) {
        if (table.numRows === 0) return;
        await writer.write(table);
        rows += table.numRows;
      },
      async close() {
        if (rows === 0) await writer.write(tableFromRows([], columns));
        await writer.close();
        return rows;
      },
    };
    return sink;
  }
  if (format !== "arrow") throw new RangeError(`unknown table format ${JSON.stringify(format)}; valid: ${TABLE_FORMATS.join(", ")}`);
  // An IPC stream is: schema message, record batch messages, 8-byte end-of-stream marker. Each
  // batch is encoded on its own and the repeated schema message and marker are cut off, so every
  // write is awaited end to end (real backpressure, nothing queued inside the Arrow writer).
  const schemaOnly = toArrowIPC(new Table(tableFromRows([], columns).schema)); // schema message + marker
  const schemaBytes = schemaOnly.byteLength - EOS_BYTES;
  let started = false;
  const sink: TableSink<Row> = {
    write: (batch) => (batch.length === 0 ? Promise.resolve() : sink.writeTable(tableFromRows(batch, columns))),
    async writeTable(table) {
      if (table.numRows === 0) return;
      const ipc = toArrowIPC(table);
      await onBytes(ipc.subarray(started ? schemaBytes : 0, ipc.byteLength - EOS_BYTES));
      started = true;
      rows += table.numRows;
    },
    async close() {
      await onBytes(started ? schemaOnly.subarray(schemaBytes) : schemaOnly);
      return rows;
    },
  };
  return sink;
}

/** Length of the IPC stream's end-of-stream marker (continuation 0xFFFFFFFF, then length 0). */
const EOS_BYTES = 8;
