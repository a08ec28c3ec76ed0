/**
 * The explorer's table: one row per caption, the same columns for every dataset (a column a
 * dataset does not know is null), so search, facets and charts work on any of them. Loaders
 * write it as Arrow; the page loads it into DuckDB-WASM.
 */
import type { ColumnSpec } from "../arrow/index.js";
import { charCount, tokenize } from "./tokens.js";

export interface ExploreRow {
  row_id: number;
  id: string;
  caption: string;
  url: string | null;
  domain: string | null;
  chars: number;
  words: number;
  tokens: string;
  noise_class: string | null;
  status: string | null;
  style: string | null;
  categories: string | null;
  image: string | null;
}

export const EXPLORE_COLUMNS: ColumnSpec<ExploreRow>[] = [
  { name: "row_id", type: "int32", description: "0-based position in the dataset (the explorer's stable order)" },
  { name: "id", type: "utf8", description: "the row's id in its source (candidate id, TSV line number, COCO annotation id)" },
  { name: "caption", type: "utf8", description: "the caption or alt-text, exactly as in the source" },
  { name: "url", type: "utf8", nullable: true, description: "image URL on the web, when the source has one" },
  { name: "domain", type: "utf8", nullable: true, description: "host name of url, lower-case, without a leading www." },
  { name: "chars", type: "int32", description: "caption length in characters (Unicode code points)" },
  { name: "words", type: "int32", description: "number of word tokens (src/lib/explore/tokens.ts)" },
  { name: "tokens", type: "utf8", description: "the caption's word tokens, lower-case, space-separated" },
  { name: "noise_class", type: "utf8", nullable: true, description: "alt-text noise class (synthetic data only)" },
  { name: "status", type: "utf8", nullable: true, description: "filter status: kept or the first rejection reason (filter output only)" },
  { name: "style", type: "utf8", nullable: true, description: "image style: modern | flat | high-contrast (synthetic data only)" },
  { name: "categories", type: "utf8", nullable: true, description: "object categories in the image, sorted, comma-separated; null when unknown" },
  { name: "image", type: "utf8", nullable: true, description: "where the page finds the picture: synthetic image id, or COCO file name" },
];

/** Arrow schema metadata key under which loaders store a LoadSummary as JSON. */
export const SUMMARY_KEY = "ccw_explore";

/** What a loader read: stored in the table's metadata and logged, so no row goes missing unnoticed. */
export interface LoadSummary {
  dataset: string;
  configured: boolean;
  /** env:CCW_CAPTIONS, file:/path/ccw.config.json, builtin, or default (not configured). */
  origin: string;
  /** File name of the source (not its path: the site may be published). */
  source: string | null;
  format: string | null;
  /** Rows the reader produced. */
  rowsRead: number;
  /** Rows in the table (fewer than rowsRead when sampled). */
  rows: number;
  sampled: boolean;
  /** Malformed records by kind. */
  errors: Record<string, number>;
  /** The first few error messages, with their line or record. */
  firstErrors: string[];
}

/** One line on a load: rows, sampling, source and malformed records (build log and page). */
export function describeSummary(s: LoadSummary): string {
  if (!s.configured) return `${s.dataset}: not configured (${s.origin}); empty table`;
  const errors = Object.entries(s.errors).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
  return `${s.dataset}: ${s.rows} rows${s.sampled ? ` (uniform sample of ${s.rowsRead})` : ""} from ${s.source ?? "built-in data"} (${s.origin}); malformed records: ${errors}`;
}

/** Columns a reader of an export gets (the others are the explorer's working columns). */
export const PUBLIC_COLUMNS = ["id", "caption", "url", "domain", "chars", "words", "noise_class", "status", "style", "categories", "image"] as const;

/** Host of an http(s) URL, lower-case, without "www."; null when the text is not one. */
export function urlDomain(url: string | null | undefined): string | null {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  try {
    const host = new URL(url).hostname.toLowerCase();
    return (host.startsWith("www.") ? host.slice(4) : host) || null;
  } catch {
    return null;
  }
}

/** A category set as the table stores it: unique, sorted, comma-separated (commas inside names become spaces). */
export function categoryKey(categories: Iterable<string> | null | undefined): string | null {
  if (categories == null) return null;
  const unique = new Set<string>();
  for (const c of categories) {
    const name = c.replaceAll(",", " ").trim();
    if (name) unique.add(name);
  }
  return [...unique].sort().join(",");
}

export interface ExploreFields {
  id: string;
  caption: string;
  url?: string | null;
  noise_class?: string | null;
  status?: string | null;
  style?: string | null;
  categories?: Iterable<string> | null;
  image?: string | null;
}

/** Builds rows with their derived columns (domain, chars, words, tokens) from source fields. */
export function exploreRows(items: Iterable<ExploreFields>): ExploreRow[] {
  const rows: ExploreRow[] = [];
  for (const f of items) {
    const tokens = tokenize(f.caption);
    rows.push({
      row_id: rows.length,
      id: f.id,
      caption: f.caption,
      url: f.url ?? null,
      domain: urlDomain(f.url),
      chars: charCount(f.caption),
      words: tokens.length,
      tokens: tokens.join(" "),
      noise_class: f.noise_class ?? null,
      status: f.status ?? null,
      style: f.style ?? null,
      categories: categoryKey(f.categories),
      image: f.image ?? null,
    });
  }
  return rows;
}
