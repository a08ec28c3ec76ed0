import type { ExploreDb } from "../lib/explore/index.js";

/** An Arrow table as DuckDB returns it (iterable rows with toJSON). */
export interface ArrowTableLike {
  numRows: number;
  schema: { fields: { name: string }[] };
  [Symbol.iterator](): Iterator<{ toJSON(): Record<string, unknown> }>;
}

interface AsyncConnection {
  query(sql: string): Promise<ArrowTableLike>;
  insertArrowFromIPCStream(bytes: Uint8Array, options: { name: string; schema?: string }): Promise<void>;
  close(): Promise<void>;
}

/** Framework's DuckDBClient (stdlib duckdb.js): query() plus the AsyncDuckDB it wraps, as `_db`. */
export interface FrameworkDuckDBClient {
  query(sql: string): Promise<ArrowTableLike>;
  _db: { connect(): Promise<AsyncConnection> };
}

export interface ExplorerDb extends ExploreDb {
  /** The result as DuckDB's Arrow table (for Arrow export). */
  queryArrow(sql: string): Promise<ArrowTableLike>;
}

/** Arrow values as plain JS for display: lists become arrays, 64-bit integers numbers (strings when unsafe). */
export function plainValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    if ("toArray" in value && typeof value.toArray === "function") return Array.from(value.toArray() as Iterable<unknown>, plainValue);
    if ("toJSON" in value && typeof value.toJSON === "function") return plainValue(value.toJSON());
    if (ArrayBuffer.isView(value)) return Array.from(value as unknown as Iterable<unknown>, plainValue);
    if (!Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
    }
  }
  return value;
}

export function plainRows(table: ArrowTableLike): Record<string, unknown>[] {
  return Array.from(table, (row) => Object.fromEntries(Object.entries(row.toJSON()).map(([k, v]) => [k, plainValue(v)])));
}

/**
 * The explorer's database on top of Framework's client, through one connection to the AsyncDuckDB
 * the client wraps (`_db`, as Framework's own insertFile uses it): client.query() opens and closes
 * a connection per query, two worker round trips that a facet update of eight queries would pay
 * eight times; and the public client API only inserts files declared up front.
 */
export function frameworkDb(client: FrameworkDuckDBClient): ExplorerDb {
  let connection: Promise<AsyncConnection> | undefined;
  const open = () => (connection ??= client._db.connect());
  return {
    query: async (sql) => plainRows(await (await open()).query(sql)),
    queryArrow: async (sql) => (await open()).query(sql),
    insertArrowIPC: async (table, bytes) => (await open()).insertArrowFromIPCStream(bytes, { name: table, schema: "main" }),
  };
}

/** No query can read files or URLs from here on (DuckDB cannot switch it back): SQL from a shared link stays local. */
export async function lockExternalAccess(db: ExploreDb): Promise<void> {
  await db.query("SET enable_external_access = false");
}
