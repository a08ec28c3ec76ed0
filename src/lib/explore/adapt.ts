/**
 * Datasets whose files have another schema become explore rows in DuckDB, by SQL: no second copy
 * of the file in the build. Tokens, lengths and domains follow the same definitions as the
 * loaders' (tokens.ts, schema.ts urlDomain), computed by DuckDB.
 */
import { quoteIdent, quoteLiteral } from "./sql.js";
import { prepareTable, type ExploreDb } from "./table.js";
import type { TableFacts } from "./sql.js";
import { TOKEN_PATTERN } from "./tokens.js";

/** Host of an http(s) URL in SQL, lower-case, without "www." (urlDomain in schema.ts); null otherwise. */
export function domainSql(url: string): string {
  return `nullif(regexp_replace(lower(regexp_extract(${url}, '^[hH][tT][tT][pP][sS]?://(?:[^/?#@]*@)?([^/?#:]+)', 1)), '^www\\.', ''), '')`;
}

/** Derived explore columns (chars, words, tokens) from `caption` and its token list `t`. */
export function derivedColumnsSql(): string {
  // array_to_string of an empty list is NULL; an empty caption has the empty token string.
  return `length(caption)::INTEGER AS chars, len(t)::INTEGER AS words, coalesce(array_to_string(t, ' '), '') AS tokens`;
}

/**
 * The filter pipeline's candidates table (src/lib/filter RESULT_COLUMNS) as explore rows: kept rows
 * show the transformed caption (what the dataset would contain), rejected ones the alt-text as
 * crawled; status is "kept" or the first rejecting rule. Style, categories and the image come from
 * the synthetic crawl's explore table when given (same candidate ids).
 */
export function filterOutputSql(source: string, out: string, synth: string | null): string {
  const s = quoteIdent(source);
  const join = synth ? `LEFT JOIN ${quoteIdent(synth)} AS g ON g.id = f.id` : "";
  const style = synth ? "g.style::VARCHAR" : "NULL::VARCHAR";
  const categories = synth ? "g.categories::VARCHAR" : "NULL::VARCHAR";
  const image = synth ? "g.image" : "NULL::VARCHAR";
  return `CREATE TABLE ${quoteIdent(out)} AS
SELECT row_id, id, caption, url, domain, ${derivedColumnsSql()}, noise_class, status, style, categories, image
FROM (
  SELECT *, regexp_extract_all(lower(caption), ${quoteLiteral(TOKEN_PATTERN)}) AS t FROM (
    SELECT f.rowid::INTEGER AS row_id, f.id, CASE WHEN f.status = 'kept' THEN coalesce(f.caption_out, f.alt_text, '') ELSE coalesce(f.alt_text, '') END AS caption,
      f.url, ${domainSql("f.url")} AS domain, f.noise_class, f.status, ${style} AS style, ${categories} AS categories, ${image} AS image
    FROM ${s} AS f ${join}
  )
)`;
}

/** Creates explore table `table` from a filter candidates table already in the database. */
export async function adaptFilterOutput(db: ExploreDb, source: string, table: string, synth: string | null): Promise<TableFacts> {
  const raw = `${table}__raw`;
  await db.query(filterOutputSql(source, raw, synth));
  return prepareTable(db, raw, table);
}
