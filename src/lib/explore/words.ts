/**
 * Word statistics of a selection in SQL: top words, top bigrams (all, and without stop words) and
 * the hypernym vocabulary's counts. Large selections are counted on a seeded uniform sample, and
 * the result says so.
 */
import { quoteIdent, quoteLiteral, type TableFacts } from "./sql.js";
import { HYPERNYM_TERMS, compareTermCounts, type NgramSize, type TermCount } from "./tokens.js";

/** Selections larger than this are counted on a sample of this many rows. */
export const WORD_SAMPLE_ROWS = 50_000;
export const WORD_SAMPLE_SEED = 42;

export interface WordStatsOptions {
  /** Terms per list. */
  k: number;
  stopWords: readonly string[];
  /** Rows the selection has (from the count query): decides whether to sample. */
  selected: number;
  sampleRows?: number;
}

/** Which rows the word lists were counted on. */
export interface WordBasis {
  rows: number;
  sampled: boolean;
  selected: number;
}

export function wordBasis(selected: number, sampleRows = WORD_SAMPLE_ROWS): WordBasis {
  return selected > sampleRows ? { rows: sampleRows, sampled: true, selected } : { rows: selected, sampled: false, selected };
}

/**
 * One query for one n-gram size: rows labelled `all` (top k), `content` (top k with no stop word
 * in the term) and `hypernym` (each hypernym term of that size that occurs).
 */
export function wordStatsQuery(n: NgramSize, facts: TableFacts, where: string, options: WordStatsOptions): string {
  const basis = wordBasis(options.selected, options.sampleRows);
  const table = quoteIdent(facts.table);
  const selection = basis.sampled
    ? `(SELECT search_tokens FROM ${table} WHERE ${where}) USING SAMPLE reservoir(${basis.rows} ROWS) REPEATABLE (${WORD_SAMPLE_SEED})`
    : `${table} WHERE ${where}`;
  const split = "string_split(trim(search_tokens), ' ')";
  const terms = n === 1 ? `unnest(${split})` : `unnest(list_transform(range(1, len(t)), i -> t[i] || ' ' || t[i + 1]))`;
  const tokens = n === 1 ? `SELECT ${terms} AS term FROM ${selection}` : `SELECT ${terms} AS term FROM (SELECT ${split} AS t FROM ${selection})`;
  const stop = options.stopWords.length ? `(${options.stopWords.map(quoteLiteral).join(", ")})` : null;
  const content = !stop ? "TRUE" : n === 1 ? `term NOT IN ${stop}` : `split_part(term, ' ', 1) NOT IN ${stop} AND split_part(term, ' ', 2) NOT IN ${stop}`;
  const hypernyms = HYPERNYM_TERMS.filter((t) => t.split(" ").length === n);
  const k = Math.trunc(options.k);
  return [
    `WITH counts AS MATERIALIZED (SELECT term, count(*)::INTEGER AS n FROM (${tokens}) WHERE term <> '' GROUP BY term)`,
    `SELECT * FROM (SELECT 'all' AS list, term, n FROM counts ORDER BY n DESC, term LIMIT ${k})`,
    `UNION ALL SELECT * FROM (SELECT 'content' AS list, term, n FROM counts WHERE ${content} ORDER BY n DESC, term LIMIT ${k})`,
    hypernyms.length ? `UNION ALL SELECT 'hypernym' AS list, term, n FROM counts WHERE term IN (${hypernyms.map(quoteLiteral).join(", ")})` : "",
  ].join("\n");
}

export interface WordLists {
  all: TermCount[];
  content: TermCount[];
  hypernym: TermCount[];
}

/** Splits a wordStatsQuery result into its lists, each ordered by count then term. */
export function wordLists(rows: readonly Record<string, unknown>[]): WordLists {
  const lists: WordLists = { all: [], content: [], hypernym: [] };
  for (const r of rows) {
    const list = r.list as keyof WordLists;
    if (!(list in lists)) throw new RangeError(`word stats: unexpected list "${String(r.list)}"; valid: all, content, hypernym`);
    lists[list].push({ term: String(r.term), count: Number(r.n) });
  }
  for (const l of Object.values(lists)) l.sort(compareTermCounts);
  return lists;
}
