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
 * | `sql`       | the SQL console's query                            | `SELECT 1`         |
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

function parseRange(text: string): Range | null {
  const m = /^(\d*)\.\.(\d*)$/.exec(text);
  if (!m || (m[1] === "" && m[2] === "")) return null;
  const min = m[1] === "" ? null : Number(m[1]);
  const max = m[2] === "" ? null : Number(m[2]);
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

/** Reads a state from a URL query string; bad parameters are reported, never thrown. */
export function decodeState(search: string): DecodedState {
  const p = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  const problems: string[] = [];
  const state: ExploreState = { ...DEFAULT_STATE, facets: {}, ranges: {} };
  const facetIds = FACETS.map((f) => f.id), rangeIds = RANGES.map((r) => r.id);
  for (const [key, value] of p) {
    if (key === "dataset") {
      if (DATASETS.some((d) => d.id === value)) state.dataset = value;
      else problems.push(`dataset "${value}" is unknown; valid: ${DATASETS.map((d) => d.id).join(", ")}`);
    } else if (key === "rows") {
      const n = Number(value);
      if ((GENERATED_SIZES as readonly number[]).includes(n)) state.rows = n;
      else problems.push(`rows "${value}" is not offered; valid: ${GENERATED_SIZES.join(", ")}`);
    } else if (key === "q") {
      state.search = value;
    } else if (key === "mode") {
      if ((SEARCH_MODES as readonly string[]).includes(value)) state.mode = value as SearchMode;
      else problems.push(`mode "${value}" is unknown; valid: ${SEARCH_MODES.join(", ")}`);
    } else if (key.startsWith("f.")) {
      const id = key.slice(2);
      if (facetIds.includes(id)) (state.facets[id] ??= []).push(value === NONE ? null : value);
      else problems.push(`facet "${id}" is unknown; valid: ${facetIds.join(", ")}`);
    } else if (key.startsWith("r.")) {
      const id = key.slice(2);
      const range = parseRange(value);
      if (!rangeIds.includes(id)) problems.push(`range "${id}" is unknown; valid: ${rangeIds.join(", ")}`);
      else if (!range) problems.push(`range ${key}="${value}" is not min..max with whole numbers, min <= max`);
      else state.ranges[id] = range;
    } else if (key === "page") {
      const n = Number(value);
      if (Number.isInteger(n) && n >= 1) state.page = n - 1;
      else problems.push(`page "${value}" is not a whole number >= 1`);
    } else if (key === "stop") {
      if (value === "0" || value === "1") state.stopWords = value === "1";
      else problems.push(`stop "${value}" must be 0 or 1`);
    } else if (key === "sql") {
      state.sql = value;
    } else {
      problems.push(`parameter "${key}" is unknown; valid: dataset, rows, q, mode, f.<facet>, r.<range>, page, stop, sql`);
    }
  }
  return { state: normalizeState(state), problems };
}
