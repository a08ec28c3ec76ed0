/**
 * The explorer's view state and its URL form, so a view can be shared and reloaded. Remote images
 * are deliberately not part of it: opening a shared link never makes the browser ask other hosts.
 *
 * | parameter   | meaning                                            | example            |
 * |-------------|----------------------------------------------------|--------------------|
 * | `dataset`   | dataset id (DATASETS)                              | `cc3m`             |
 * | `rows`      | size of the generated dataset (GENERATED_SIZES)    | `1000000`          |
 * | `q`         | search text                                        | `red car`          |
 * | `mode`      | `word` for whole-word search (default substring)   | `word`             |
 * | `f.<facet>` | a selected facet value, repeated; `%00` = (none)   | `f.style=flat`     |
 * | `r.<range>` | a range `min..max`, either end optional            | `r.words=3..12`    |
 * | `page`      | grid page, 1-based                                 | `3`                |
 * | `stop`      | `0` keeps stop words in the word lists             | `0`                |
 * | `sql`       | the SQL console's query (shown; runs only on a click) | `SELECT 1`      |
 *
 * A link is input from anyone: range ends are whole numbers from 0 to MAX_RANGE_VALUE, pages from 1 to
 * MAX_PAGE, and a query string longer than MAX_LINK_CHARS is refused whole. The explorer never writes a longer
 * one (linkQuery leaves out the SQL, then the search, and says so), and `ccw serve` accepts requests well beyond it.
 * SQL from a link is shown in the console but runs only when the reader clicks Run: a link cannot drop or
 * change a table behind the reader's back, and no read-only subset of DuckDB's SQL needs to be trusted.
 */
import { DATASETS, FACETS, GENERATED_SIZES, RANGES } from "./datasets.js";

export type SearchMode = "substring" | "word";
export const SEARCH_MODES: readonly SearchMode[] = ["substring", "word"];

export interface Range {
  min: number | null;
  max: number | null;
}

/** The filters that decide which rows are selected. */
export interface ExploreFilters {
  search: string;
  mode: SearchMode;
  /** Selected values per facet id; null stands for "(none)", rows where the column is empty. */
  facets: Record<string, (string | null)[]>;
  ranges: Record<string, Range>;
}

export interface ExploreState extends ExploreFilters {
  dataset: string;
  /** Rows of the generated dataset. */
  rows: number;
  /** Grid page, 0-based. */
  page: number;
  /** Leave stop words out of the word lists. */
  stopWords: boolean;
  sql: string;
}

export const DEFAULT_STATE: ExploreState = {
  dataset: "synth",
  rows: 100_000,
  search: "",
  mode: "substring",
  facets: {},
  ranges: {},
  page: 0,
  stopWords: true,
  sql: "",
};

const NONE = "\u0000";

/** Largest range end a link may hold (captions are far shorter; a 400-digit number is refused, never sent to SQL). */
export const MAX_RANGE_VALUE = 1_000_000;
/** Largest grid page a link may name (a million rows at the smallest page size have fewer). */
export const MAX_PAGE = 1_000_000;
/** Longest query string (after "?", percent-encoded) a link may have; the explorer writes none longer. */
export const MAX_LINK_CHARS = 8192;

/** A parameter's value as a message shows it: long values cut, so a hostile link cannot flood the page. */
const shown = (value: string): string => (value.length > 40 ? `${value.slice(0, 37)}...` : value);

function parseRange(text: string): Range | null {
  const m = /^(\d{0,7})\.\.(\d{0,7})$/.exec(text);
  if (!m || (m[1] === "" && m[2] === "")) return null;
  const min = m[1] === "" ? null : Number(m[1]);
  const max = m[2] === "" ? null : Number(m[2]);
  if ((min ?? 0) > MAX_RANGE_VALUE || (max ?? 0) > MAX_RANGE_VALUE) return null;
  if (min !== null && max !== null && min > max) return null;
  return { min, max };
}

/** Drops empty facet selections and open ranges, so equal views have equal URLs. */
export function normalizeState(state: ExploreState): ExploreState {
  const facets: Record<string, (string | null)[]> = {};
  for (const [id, values] of Object.entries(state.facets)) if (values.length) facets[id] = [...new Set(values)];
  const ranges: Record<string, Range> = {};
  for (const [id, r] of Object.entries(state.ranges)) if (r.min !== null || r.max !== null) ranges[id] = { ...r };
  return { ...state, facets, ranges };
}

/** The URL query string (without "?") for a state; defaults are left out. */
export function encodeState(state: ExploreState): string {
  const s = normalizeState(state);
  const p = new URLSearchParams();
  if (s.dataset !== DEFAULT_STATE.dataset) p.set("dataset", s.dataset);
  if (s.dataset === "generated") p.set("rows", String(s.rows));
  if (s.search) p.set("q", s.search);
  if (s.mode !== DEFAULT_STATE.mode) p.set("mode", s.mode);
  for (const facet of FACETS) for (const v of s.facets[facet.id] ?? []) p.append(`f.${facet.id}`, v ?? NONE);
  for (const range of RANGES) {
    const r = s.ranges[range.id];
    if (r) p.set(`r.${range.id}`, `${r.min ?? ""}..${r.max ?? ""}`);
  }
  if (s.page > 0) p.set("page", String(s.page + 1));
  if (!s.stopWords) p.set("stop", "0");
  if (s.sql) p.set("sql", s.sql);
  return p.toString();
}

export interface DecodedState {
  state: ExploreState;
  /** One message per parameter that was not understood, naming the valid values; those parameters are ignored. */
  problems: string[];
}

/** What part of the state a link leaves out to stay within MAX_LINK_CHARS, in the order it gives them up. */
const OMITTABLE: readonly { part: string; clear: (s: ExploreState) => ExploreState }[] = [
  { part: "the SQL query", clear: (s) => ({ ...s, sql: "" }) },
  { part: "the search text", clear: (s) => ({ ...s, search: "" }) },
  { part: "the facet selections", clear: (s) => ({ ...s, facets: {} }) },
];

/**
 * The query string the explorer writes into its URL: the whole state when it fits in MAX_LINK_CHARS, otherwise
 * without the SQL, then the search, then the facets (`omitted` names what was left out, for a visible note).
 */
export function linkQuery(state: ExploreState, limit = MAX_LINK_CHARS): { query: string; omitted: string[] } {
  let current = state;
  let query = encodeState(current);
  const omitted: string[] = [];
  for (const { part, clear } of OMITTABLE) {
    if (query.length <= limit) break;
    current = clear(current);
    const shorter = encodeState(current);
    if (shorter !== query) omitted.push(part); // only what the link held: clearing an empty SQL query leaves nothing out
    query = shorter;
  }
  return { query, omitted };
}

/** Reads a state from a URL query string; bad parameters are reported, never thrown. */
export function decodeState(search: string): DecodedState {
  const text = search.startsWith("?") ? search.slice(1) : search;
  if (text.length > MAX_LINK_CHARS) {
    return { state: normalizeState({ ...DEFAULT_STATE }), problems: [`the link's settings are ${text.length} characters long, over the limit of ${MAX_LINK_CHARS}; all of them were ignored`] };
  }
  const p = new URLSearchParams(text);
  const problems: string[] = [];
  const state: ExploreState = { ...DEFAULT_STATE, facets: {}, ranges: {} };
  const facetIds = FACETS.map((f) => f.id), rangeIds = RANGES.map((r) => r.id);
  for (const [key, value] of p) {
    if (key === "dataset") {
      if (DATASETS.some((d) => d.id === value)) state.dataset = value;
      else problems.push(`dataset "${shown(value)}" is unknown; valid: ${DATASETS.map((d) => d.id).join(", ")}`);
    } else if (key === "rows") {
      const n = Number(value);
      if ((GENERATED_SIZES as readonly number[]).includes(n)) state.rows = n;
      else problems.push(`rows "${shown(value)}" is not offered; valid: ${GENERATED_SIZES.join(", ")}`);
    } else if (key === "q") {
      state.search = value;
    } else if (key === "mode") {
      if ((SEARCH_MODES as readonly string[]).includes(value)) state.mode = value as SearchMode;
      else problems.push(`mode "${shown(value)}" is unknown; valid: ${SEARCH_MODES.join(", ")}`);
    } else if (key.startsWith("f.")) {
      const id = key.slice(2);
      if (facetIds.includes(id)) (state.facets[id] ??= []).push(value === NONE ? null : value);
      else problems.push(`facet "${shown(id)}" is unknown; valid: ${facetIds.join(", ")}`);
    } else if (key.startsWith("r.")) {
      const id = key.slice(2);
      const range = parseRange(value);
      if (!rangeIds.includes(id)) problems.push(`range "${shown(id)}" is unknown; valid: ${rangeIds.join(", ")}`);
      else if (!range) problems.push(`range ${shown(key)}="${shown(value)}" is not min..max with whole numbers from 0 to ${MAX_RANGE_VALUE}, min <= max`);
      else state.ranges[id] = range;
    } else if (key === "page") {
      const n = Number(value);
      if (/^\d{1,7}$/.test(value) && n >= 1 && n <= MAX_PAGE) state.page = n - 1;
      else problems.push(`page "${shown(value)}" is not a whole number from 1 to ${MAX_PAGE}`);
    } else if (key === "stop") {
      if (value === "0" || value === "1") state.stopWords = value === "1";
      else problems.push(`stop "${shown(value)}" must be 0 or 1`);
    } else if (key === "sql") {
      state.sql = value;
    } else {
      problems.push(`parameter "${shown(key)}" is unknown; valid: dataset, rows, q, mode, f.<facet>, r.<range>, page, stop, sql`);
    }
  }
  return { state: normalizeState(state), problems };
}
