/** Labelers (a) and (c): labels that arrive with the candidate, from a CC image-labels TSV or from the input itself. */
import type { Label, Labeler, SuppliedLabels } from "./types.js";

/** Labels supplied in the input (synthetic ground truth, a labels column): used as given. */
export function inputLabeler(): Labeler {
  return {
    name: "input",
    label: async (c) => (c.labels?.source === "input" ? c.labels.labels : null),
  };
}

/** Labels from a CC3M image-labels TSV, attached to candidates by URL before filtering (see labelsByUrl). */
export function tsvLabeler(): Labeler {
  return {
    name: "tsv",
    label: async (c) => (c.labels?.source === "tsv" ? c.labels.labels : null),
  };
}

/** Indexes cc-labels rows by image URL (the first row for a URL wins). */
export function labelsByUrl(rows: Iterable<{ url: string; labels: string[]; confidences: number[] }>): Map<string, SuppliedLabels> {
  const map = new Map<string, SuppliedLabels>();
  for (const row of rows) {
    if (map.has(row.url)) continue;
    const labels: Label[] = row.labels.map((name, i) => ({ name, confidence: row.confidences[i] ?? 1 }));
    map.set(row.url, { source: "tsv", labels });
  }
  return map;
}

/** Runs labelers in order and returns the first answer, with the labeler's name ("auto" mode). */
export async function firstLabels(labelers: readonly Labeler[], input: Parameters<Labeler["label"]>[0]): Promise<{ labeler: string; labels: Label[] } | null> {
  for (const labeler of labelers) {
    const labels = await labeler.label(input);
    if (labels !== null) return { labeler: labeler.name, labels };
  }
  return null;
}
