// DuckDB-WASM in Node (the same engine and version the page runs), as the explorer's ExploreDb.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ExploreDb } from "../../../src/lib/explore/index.js";

const require = createRequire(import.meta.url);

interface BlockingConnection {
  query(sql: string): { toArray(): { toJSON(): Record<string, unknown> }[] };
  insertArrowFromIPCStream(bytes: Uint8Array, options: { name: string }): void;
}

/** Arrow values as plain JS: lists become arrays, 64-bit integers numbers. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value && typeof value === "object" && "toArray" in value && typeof value.toArray === "function") return Array.from(value.toArray() as Iterable<unknown>, plain);
  return value;
}

export interface NodeDuck extends ExploreDb {
  /** Synchronous query for test set-up. */
  run(sql: string): Record<string, unknown>[];
}

export async function openDuckDB(): Promise<NodeDuck> {
  const duckdb = require("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  const dist = dirname(require.resolve("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs"));
  const bundles = {
    mvp: { mainModule: join(dist, "duckdb-mvp.wasm"), mainWorker: join(dist, "duckdb-node-mvp.worker.cjs") },
    eh: { mainModule: join(dist, "duckdb-eh.wasm"), mainWorker: join(dist, "duckdb-node-eh.worker.cjs") },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  db.open({});
  const connection = db.connect() as BlockingConnection;
  const run = (sql: string) =>
    connection.query(sql).toArray().map((r) => Object.fromEntries(Object.entries(r.toJSON()).map(([k, v]) => [k, plain(v)])));
  return {
    run,
    query: async (sql) => run(sql),
    insertArrowIPC: async (name, bytes) => connection.insertArrowFromIPCStream(bytes, { name }),
  };
}
