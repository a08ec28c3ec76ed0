/** Query results shaped for the views: facet values with counts, histogram bins with their edges. */
import type { FacetInfo } from "./datasets.js";
import type { Bins } from "./sql.js";

export interface FacetValue {
  /** null: rows where the column is empty, shown as "(none)". */
  value: string | null;
  count: number;
  selected: boolean;
}

export interface FacetResult {
  values: FacetValue[];
  /** Distinct values under the other filters (more than listed when the list is cut). */
  distinct: number;
}

/**
 * Facet values from a facetQuery result. Set facets arrive as counts per category set, by the set's
 * ENUM code (an index into `keys`, TableFacts.categoryKeys), and are split here: a row counts once
 * for each category it holds. Selected values are always listed.
 */
export function facetValues(facet: FacetInfo, rows: readonly Record<string, unknown>[], selected: readonly (string | null)[], keys: readonly string[] = []): FacetResult {
  const isSelected = (v: string | null) => selected.includes(v);
  if (facet.kind === "value") {
    const values = rows.map((r) => {
      const value = r.value === null || r.value === undefined ? null : String(r.value);
      return { value, count: Number(r.n), selected: isSelected(value) };
    });
    for (const v of selected) if (!values.some((x) => x.value === v)) values.push({ value: v, count: 0, selected: true });
    return { values, distinct: Number(rows[0]?.distinct_values ?? values.length) };
  }
  const counts = new Map<string | null, number>();
  for (const r of rows) {
    const code = r.code === null || r.code === undefined ? null : Number(r.code);
    const key = code === null ? null : keys[code];
    if (key === undefined) throw new RangeError(`facet ${facet.id}: set code ${code} is not among the table's ${keys.length} category sets`);
    const members = key ? key.split(",") : [null];
    for (const m of members) counts.set(m, (counts.get(m) ?? 0) + Number(r.n));
  }
  const all = [...counts].map(([value, count]) => ({ value, count, selected: isSelected(value) }));
  all.sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
  const shown = all.filter((v, i) => i < facet.limit || v.selected);
  for (const v of selected) if (!shown.some((x) => x.value === v)) shown.push({ value: v, count: 0, selected: true });
  return { values: shown, distinct: all.length };
}

export interface HistogramBin {
  /** Smallest value in the bin. */
  x0: number;
  /** Largest value in the bin; null for the overflow bin (everything >= x0). */
  x1: number | null;
  count: number;
}

/** Every bin from 0 to the overflow bin, empty ones included, from a histogramQuery result. */
export function histogramBins(bins: Bins, rows: readonly Record<string, unknown>[]): HistogramBin[] {
  const last = bins.cap / bins.width;
  const counts = new Map(rows.map((r) => [Number(r.bin), Number(r.n)]));
  const out: HistogramBin[] = [];
  for (let k = 0; k <= last; k++) {
    out.push({ x0: k * bins.width, x1: k === last ? null : (k + 1) * bins.width - 1, count: counts.get(k) ?? 0 });
  }
  return out;
}
