/**
 * Turns a loaded explore table into the explorer's working table in DuckDB: facet columns become
 * ENUMs (grouping and filtering on them is several times faster than on VARCHAR at a million
 * rows), and a space-padded token column serves whole-word search. Then reads the facts the
 * queries need (which facets have values, category sets, histogram bins).
 */
import { FACETS, RANGES } from "./datasets.js";
import { EXPLORE_COLUMNS } from "./schema.js";
import { MARK_COLUMNS, quoteIdent, quoteLiteral, type Bins, type TableFacts } from "./sql.js";

/** The little the explorer needs from a database: Framework's DuckDBClient and duckdb-wasm in Node both provide it. */
export interface ExploreDb {
  /** Runs one statement; rows as plain objects (numbers, strings, null). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Creates a table from Arrow IPC stream bytes. */
  insertArrowIPC(table: string, bytes: Uint8Array): Promise<void>;
}

/** Histograms aim for about this many bins. */
const TARGET_BINS = 40;

/**
 * Histogram bins for a column: a 1-2-5 width that splits [0, p99.5] into about TARGET_BINS bins,
 * and a cap (the first bin edge above p99.5) from which on values share one overflow bin.
 */
export function niceBins(p995: number, max: number): Bins {
  const top = Math.max(1, Math.min(max, p995));
  const raw = top / TARGET_BINS;
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const width = raw <= 1 ? 1 : [1, 2, 5, 10].map((m) => m * power).find((w) => w >= raw)!;
  return { width, cap: (Math.floor(top / width) + 1) * width };
}

const typeName = (table: string, column: string) => quoteIdent(`${table}_${column}_t`);

/**
 * Creates `table` from the raw table `raw` (explore columns, any order) and drops `raw`.
 * Columns must be those of EXPLORE_COLUMNS; a missing one is an error naming it.
 */
export async function prepareTable(db: ExploreDb, raw: string, table: string): Promise<TableFacts> {
  const described = await db.query(`DESCRIBE ${quoteIdent(raw)}`);
  const have = new Set(described.map((r) => String(r.column_name)));
  const missing = EXPLORE_COLUMNS.map((c) => c.name).filter((c) => !have.has(c));
  if (missing.length) throw new RangeError(`table ${raw} lacks explore column(s) ${missing.join(", ")}; expected ${EXPLORE_COLUMNS.map((c) => c.name).join(", ")}`);
  const facetColumns = FACETS.map((f) => f.column);
  const select: string[] = [];
  for (const { name } of EXPLORE_COLUMNS) {
    if (facetColumns.includes(name)) {
      await db.query(`CREATE TYPE ${typeName(table, name)} AS ENUM (SELECT DISTINCT ${quoteIdent(name)} FROM ${quoteIdent(raw)} WHERE ${quoteIdent(name)} IS NOT NULL ORDER BY 1)`);
      select.push(`${quoteIdent(name)}::${typeName(table, name)} AS ${quoteIdent(name)}`);
    } else {
      select.push(quoteIdent(name));
    }
  }
  select.push(`' ' || tokens || ' ' AS search_tokens`, ...MARK_COLUMNS.map((c) => `TRUE AS ${quoteIdent(c)}`));
  await db.query(`CREATE TABLE ${quoteIdent(table)} AS SELECT ${select.join(", ")} FROM ${quoteIdent(raw)} ORDER BY row_id`);
  await db.query(`DROP TABLE ${quoteIdent(raw)}`);
  return describeTable(db, table);
}

/** Reads the facts of a prepared table. */
export async function describeTable(db: ExploreDb, table: string): Promise<TableFacts> {
  const t = quoteIdent(table);
  const stats = RANGES.map((r) => {
    const c = quoteIdent(r.column);
    return `coalesce(quantile_disc(${c}, 0.995), 0)::INTEGER AS ${quoteIdent(`${r.id}_p995`)}, coalesce(max(${c}), 0)::INTEGER AS ${quoteIdent(`${r.id}_max`)}`;
  });
  const present = FACETS.map((f) => `count(${quoteIdent(f.column)})::INTEGER AS ${quoteIdent(`has_${f.id}`)}`);
  const [row] = await db.query(`SELECT count(*)::INTEGER AS rows, ${[...stats, ...present].join(", ")} FROM ${t}`);
  if (!row) throw new Error(`table ${table}: no summary row`);
  // In the ENUM's own order, so that a key's index is its enum_code.
  const keys = await db.query(`SELECT unnest(enum_range(NULL::${typeName(table, "categories")}))::VARCHAR AS key`);
  const bins: Record<string, Bins> = {};
  for (const r of RANGES) bins[r.id] = niceBins(Number(row[`${r.id}_p995`]), Number(row[`${r.id}_max`]));
  return {
    table,
    rows: Number(row.rows),
    // A set facet whose only set is the empty one has nothing to pick.
    facets: FACETS.filter((f) => Number(row[`has_${f.id}`]) > 0 && !(f.kind === "set" && keys.every((k) => k.key === ""))).map((f) => f.id),
    categoryKeys: keys.map((k) => String(k.key)),
    bins,
  };
}

/** Loads Arrow IPC stream bytes of explore rows as `table`, ready to query. */
export async function loadTable(db: ExploreDb, table: string, bytes: Uint8Array): Promise<TableFacts> {
  const raw = `${table}__raw`;
  await db.insertArrowIPC(raw, bytes);
  return prepareTable(db, raw, table);
}

/** Drops a working table, its ENUM types and any raw table a failed load left (before making it again). */
export async function dropTable(db: ExploreDb, table: string): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
  await db.query(`DROP TABLE IF EXISTS ${quoteIdent(`${table}__raw`)}`);
  for (const column of FACETS.map((f) => f.column)) await db.query(`DROP TYPE IF EXISTS ${typeName(table, column)}`);
}

/** Whether a table exists (the SQL console may have dropped or created one). */
export async function tableExists(db: ExploreDb, table: string): Promise<boolean> {
  const rows = await db.query(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = ${quoteLiteral(table)}`);
  return Number(rows[0]?.n) > 0;
}
