/** Arrow tables with explicit schemas: built from rows, written as IPC for DuckDB-WASM, and as Parquet. */
export { tableFromRows, rowsFromArrow, toArrowIPC, fromArrowIPC, type ColumnSpec, type ColumnType } from "./table.js";
export { toParquet, fromParquet, createParquetWriter, readParquetRowGroups, PARQUET_COMPRESSIONS, type ParquetCompression, type ParquetWriteOptions, type ParquetStreamWriter } from "./parquet.js";
