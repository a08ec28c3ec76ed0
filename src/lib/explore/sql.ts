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
  /** Distinct values of the categories column (each a comma-separated set). */
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
    // Sets are stored as keys; pick the keys that hold any selected category (or none at all).
    const wanted = new Set(values);
    const none = selected.includes(null);
    const keys = facts.categoryKeys.filter((k) => (none && k === "") || k.split(",").some((c) => wanted.has(c)));
    if (keys.length) parts.push(inList(column, keys));
    if (none) parts.push(`${column} IS NULL`);
  } else {
    if (values.length) parts.push(inList(column, values));
    if (selected.includes(null)) parts.push(`${column} IS NULL`);
  }
  return parts.length === 0 ? "FALSE" : parts.length === 1 ? parts[0]! : `(${parts.join(" OR ")})`;
}

function rangePredicate(range: RangeInfo, min: number | null, max: number | null): string | null {
  const column = quoteIdent(range.column);
  if (min !== null && max !== null) return `${column} BETWEEN ${Math.trunc(min)} AND ${Math.trunc(max)}`;
  if (min !== null) return `${column} >= ${Math.trunc(min)}`;
  if (max !== null) return `${column} <= ${Math.trunc(max)}`;
  return null;
}

/**
 * The WHERE condition for a selection. `except` leaves one facet or range out: a facet's own
 * counts are computed under every filter but its own, so its other values stay pickable.
 */
export function whereClause(filters: ExploreFilters, facts: TableFacts, except?: string): string {
  const parts: string[] = [];
  const search = filters.search.trim();
  if (search) {
    if (filters.mode === "word") {
      const pattern = wordPattern(search);
      if (pattern) parts.push(`contains(search_tokens, ${quoteLiteral(pattern)})`);
    } else {
      parts.push(`contains(lower(caption), lower(${quoteLiteral(search)}))`);
    }
  }
  for (const facet of FACETS) {
    const selected = filters.facets[facet.id];
    if (facet.id === except || !selected?.length || !facts.facets.includes(facet.id)) continue;
    parts.push(facetPredicate(facet, selected, facts));
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
    // Few distinct sets even in large tables: count per set here, split into categories in JS.
    return `SELECT ${column}::VARCHAR AS value, count(*)::INTEGER AS n FROM ${table} WHERE ${where} GROUP BY 1`;
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
 * One page of selected rows in row_id order. The table is created in row_id order and DuckDB keeps
 * insertion order for a plain scan (preserve_insertion_order, on by default), which spares a sort.
 */
export function pageQuery(facts: TableFacts, where: string, columns: readonly string[], page: number, pageSize: number): string {
  return `SELECT row_id, ${publicSelect(columns)} FROM ${quoteIdent(facts.table)} WHERE ${where} LIMIT ${Math.trunc(pageSize)} OFFSET ${Math.trunc(page) * Math.trunc(pageSize)}`;
}

/** Every selected row, for export. */
export function selectionQuery(facts: TableFacts, where: string, columns: readonly string[]): string {
  return `SELECT ${publicSelect(columns)} FROM ${quoteIdent(facts.table)} WHERE ${where}`;
}
