/** Arrow tables with explicit schemas: built from rows, written as IPC for DuckDB-WASM. */
export { tableFromRows, toArrowIPC, fromArrowIPC, type ColumnSpec, type ColumnType } from "./table.js";
