/**
 * SQL the explorer sends to DuckDB. User text only ever enters a query through quoteLiteral (a
 * string literal, quotes doubled; DuckDB's standard strings have no backslash escapes) or
 * quoteIdent, so a search with quotes in it stays a search.
 */
import { FACETS, RANGES, type FacetInfo, type RangeInfo } from "./datasets.js";
import type { ExploreFilters } from "./state.js";
import { tokenize } from "./tokens.js";

/** A SQL string literal for any text; NUL cannot be stored in a DuckDB string and is refused. */
export function quoteLiteral(value: string): string {
  if (value.includes("\u0000")) throw new RangeError(`text ${JSON.stringify(value.slice(0, 40))} contains a NUL character, which SQL strings cannot hold`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier (table or column name). */
export function quoteIdent(name: string): string {
  if (name.includes("\u0000") || name === "") throw new RangeError(`${JSON.stringify(name)} is not a usable SQL name`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** Bins of a range facet's histogram: values >= cap share the last bin. */
export interface Bins {
  width: number;
  cap: number;
}

/** What the explorer knows about a loaded table, read once after loading (describeTable). */
export interface TableFacts {
  table: string;
  rows: number;
  /** Facet ids whose column has at least one value. */
  facets: string[];
  /** Distinct values of the categories column (each a comma-separated set), in the ENUM's order: a key's index is its enum_code. */
  categoryKeys: string[];
  bins: Record<string, Bins>;
}

/** The search text as the whole-word filter matches it: its tokens, space-padded; null when it has none. */
export function wordPattern(search: string): string | null {
  const tokens = tokenize(search);
  return tokens.length ? ` ${tokens.join(" ")} ` : null;
}

function inList(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map(quoteLiteral).join(", ")})`;
}

function facetPredicate(facet: FacetInfo, selected: readonly (string | null)[], facts: TableFacts): string {
  const column = quoteIdent(facet.column);
  const values = selected.filter((v): v is string => v !== null);
  const parts: string[] = [];
  if (facet.kind === "set") {
    // Sets are stored as ENUM keys; pick, by code, the keys that hold any selected category (or none at all).
    const wanted = new Set(values);
    const none = selected.includes(null);
    const codes = facts.categoryKeys.flatMap((k, code) => ((none && k === "") || k.split(",").some((c) => wanted.has(c)) ? [code] : []));
    if (codes.length) parts.push(`enum_code(${column}) IN (${codes.join(", ")})`);
    if (none) parts.push(`${column} IS NULL`);
  } else {
    if (values.length) parts.push(inList(column, values));
    if (selected.includes(null)) parts.push(`${column} IS NULL`);
  }
  return parts.length === 0 ? "FALSE" : parts.length === 1 ? parts[0]! : `(${parts.join(" OR ")})`;
}

function rangePredicate(range: RangeInfo, min: number | null, max: number | null): string | null {
  // A non-finite or huge end would reach SQL as "Infinity" or 1e+400: a Binder Error instead of a selection.
  for (const v of [min, max]) if (v !== null && !Number.isSafeInteger(Math.trunc(v))) throw new RangeError(`range "${range.id}" end ${v} is not a whole number SQL can compare`);
  const column = quoteIdent(range.column);
  if (min !== null && max !== null) return `${column} BETWEEN ${Math.trunc(min)} AND ${Math.trunc(max)}`;
  if (min !== null) return `${column} >= ${Math.trunc(min)}`;
  if (max !== null) return `${column} <= ${Math.trunc(max)}`;
  return null;
}

/** The search condition alone; null when the search selects everything. */
export function searchPredicate(filters: Pick<ExploreFilters, "search" | "mode">): string | null {
  const search = filters.search.trim();
  if (!search) return null;
  if (filters.mode === "word") {
    const pattern = wordPattern(search);
    return pattern ? `contains(search_tokens, ${quoteLiteral(pattern)})` : null;
  }
  return `contains(lower(caption), lower(${quoteLiteral(search)}))`;
}

/**
 * Boolean columns of the working table that can hold the result of a costly condition (a text
 * search; a category choice, a long IN list), so the several queries of an update, and every
 * later change that keeps that condition, test a boolean instead of evaluating it again.
 */
export const MARK_COLUMNS = ["hit", "category_hit"] as const;
export type MarkColumn = (typeof MARK_COLUMNS)[number];
/** What each mark column holds now: the condition's SQL. */
export type Marks = ReadonlyMap<MarkColumn, string>;

function categoryPredicate(filters: ExploreFilters, facts: TableFacts): string | null {
  const facet = FACETS.find((f) => f.kind === "set")!;
  const selected = filters.facets[facet.id];
  return selected?.length && facts.facets.includes(facet.id) ? facetPredicate(facet, selected, facts) : null;
}

/** The conditions worth marking for these filters, by mark column. */
export function markPredicates(filters: ExploreFilters, facts: TableFacts): [MarkColumn, string][] {
  const out: [MarkColumn, string][] = [];
  const search = searchPredicate(filters);
  if (search) out.push(["hit", search]);
  const category = categoryPredicate(filters, facts);
  if (category) out.push(["category_hit", category]);
  return out;
}

/** Stores a condition's result, row by row, in a mark column. */
export function markSql(facts: TableFacts, column: MarkColumn, predicate: string): string {
  return `UPDATE ${quoteIdent(facts.table)} SET ${quoteIdent(column)} = coalesce(${predicate}, FALSE)`;
}

/**
 * The WHERE condition for a selection. `except` leaves one facet or range out: a facet's own
 * counts are computed under every filter but its own, so its other values stay pickable.
 * `marks`: what the table's mark columns hold (markSql); a condition found there is tested by its column.
 */
export function whereClause(filters: ExploreFilters, facts: TableFacts, except?: string, marks?: Marks): string {
  const parts: string[] = [];
  const use = (column: MarkColumn, predicate: string) => (marks?.get(column) === predicate ? quoteIdent(column) : predicate);
  const search = searchPredicate(filters);
  if (search) parts.push(use("hit", search));
  for (const facet of FACETS) {
    const selected = filters.facets[facet.id];
    if (facet.id === except || !selected?.length || !facts.facets.includes(facet.id)) continue;
    const predicate = facetPredicate(facet, selected, facts);
    parts.push(facet.kind === "set" ? use("category_hit", predicate) : predicate);
  }
  for (const range of RANGES) {
    const r = filters.ranges[range.id];
    if (range.id === except || !r) continue;
    const p = rangePredicate(range, r.min, r.max);
    if (p) parts.push(p);
  }
  return parts.length ? parts.join(" AND ") : "TRUE";
}

export function countQuery(facts: TableFacts, where: string): string {
  return `SELECT count(*)::INTEGER AS n FROM ${quoteIdent(facts.table)} WHERE ${where}`;
}

/**
 * Value counts of one facet under `where`: the `limit` most frequent plus every selected value,
 * and the number of distinct values (so the page can say how many are not listed).
 */
export function facetQuery(facet: FacetInfo, facts: TableFacts, where: string, selected: readonly (string | null)[] = []): string {
  const column = quoteIdent(facet.column);
  const table = quoteIdent(facts.table);
  if (facet.kind === "set") {
    // Counted per set (by ENUM code: no strings to build) and split into categories in JS (facetValues).
    return `SELECT enum_code(${column})::INTEGER AS code, count(*)::INTEGER AS n FROM ${table} WHERE ${where} GROUP BY ${column}`;
  }
  const values = selected.filter((v): v is string => v !== null);
  const pinned = [values.length ? `${column}::VARCHAR IN (${values.map(quoteLiteral).join(", ")})` : null, selected.includes(null) ? `${column} IS NULL` : null]
    .filter((p) => p !== null)
    .join(" OR ");
  const order = pinned ? `CASE WHEN ${pinned} THEN 0 ELSE 1 END, n DESC, value` : "n DESC, value";
  return (
    `SELECT ${column}::VARCHAR AS value, count(*)::INTEGER AS n, (count(*) OVER ())::INTEGER AS distinct_values ` +
    `FROM ${table} WHERE ${where} GROUP BY ${column} ORDER BY ${order} LIMIT ${facet.limit + selected.length}`
  );
}

/** Counts per histogram bin under `where`; bin k holds [k·width, (k+1)·width), the last one everything >= cap. */
export function histogramQuery(range: RangeInfo, facts: TableFacts, where: string): string {
  const bins = facts.bins[range.id];
  if (!bins) throw new RangeError(`no bins for range "${range.id}" in table ${facts.table}`);
  const column = quoteIdent(range.column);
  return `SELECT (least(${column}, ${bins.cap}) // ${bins.width})::INTEGER AS bin, count(*)::INTEGER AS n FROM ${quoteIdent(facts.table)} WHERE ${where} GROUP BY 1 ORDER BY 1`;
}

/** The columns the grid and exports show, in table order (ENUMs read back as text). */
export function publicSelect(columns: readonly string[]): string {
  return columns.map((c) => `${quoteIdent(c)}::${c === "chars" || c === "words" ? "INTEGER" : "VARCHAR"} AS ${quoteIdent(c)}`).join(", ");
}

/**
 * The row ids of one page of the selection, in row_id order. Only the ids are sorted (a sort of
 * whole rows costs several times more); pageRowsQuery then fetches those rows.
 */
export function pageIdsQuery(facts: TableFacts, where: string, page: number, pageSize: number): string {
  return `SELECT row_id FROM ${quoteIdent(facts.table)} WHERE ${where} ORDER BY row_id LIMIT ${Math.trunc(pageSize)} OFFSET ${Math.trunc(page) * Math.trunc(pageSize)}`;
}

/** The rows with the given ids, in row_id order; the BETWEEN lets DuckDB skip row groups by their min/max. */
export function pageRowsQuery(facts: TableFacts, ids: readonly number[], columns: readonly string[]): string {
  const whole = ids.map((id) => Math.trunc(id));
  if (whole.length === 0) return `SELECT row_id, ${publicSelect(columns)} FROM ${quoteIdent(facts.table)} WHERE FALSE`;
  return `SELECT row_id, ${publicSelect(columns)} FROM ${quoteIdent(facts.table)} WHERE row_id BETWEEN ${Math.min(...whole)} AND ${Math.max(...whole)} AND row_id IN (${whole.join(", ")}) ORDER BY row_id`;
}

/** Every selected row, for export, in row_id order. */
export function selectionQuery(facts: TableFacts, where: string, columns: readonly string[]): string {
  return `SELECT ${publicSelect(columns)} FROM ${quoteIdent(facts.table)} WHERE ${where} ORDER BY row_id`;
}
