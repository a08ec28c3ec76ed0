/**
 * The text filter's accuracy on the synthetic crawl, where every alt-text's noise class is known.
 * A class is "wanted" when the paper's text filter should keep it (good sentences, named-entity
 * sentences that hypernymization resolves, boilerplate that cropping repairs) and "noise" otherwise.
 * Per class: how many the text stage kept. Precision/recall treat "kept by the text stage" as the
 * prediction and "wanted" as the truth; wrong-description is neither (a fluent
 * sentence: only grounding can catch it) and is reported but left out of precision and recall.
 */

export interface NoiseClassScore {
  noise_class: string;
  /** Whether a perfect text filter would keep this class; null when it cannot tell (wrong-description: grounding's job). */
  wanted: boolean | null;
  candidates: number;
  kept: number;
  keptShare: number;
  /** The most common rejecting reason in this class, or null. */
  topReason: string | null;
}

/** Classes a perfect text filter keeps (the boilerplate class mixes croppable sentences with whole-text boilerplate). */
export const WANTED_CLASSES = new Set(["good", "named-entity", "boilerplate"]);
/** Classes the text stage cannot judge: fluent sentences about another image (left out of precision/recall). */
export const NOT_TEXT_CLASSES = new Set(["wrong-description"]);

/**
 * Per-class keep shares and overall precision/recall of "kept by the text stage", from results that
 * reached the text stage. `textRejected(r)` says whether the text stage rejected the row.
 */
export function noiseClassScores(rows: readonly { noise_class: string | null; status: string; rejected_stage: string | null }[]): {
  classes: NoiseClassScore[];
  precision: number;
  recall: number;
} {
  const by = new Map<string, { n: number; kept: number; reasons: Map<string, number> }>();
  for (const r of rows) {
    if (r.noise_class === null || r.rejected_stage === "image") continue; // never reached the text stage
    const entry = by.get(r.noise_class) ?? { n: 0, kept: 0, reasons: new Map() };
    entry.n++;
    if (r.rejected_stage === "text") entry.reasons.set(r.status, (entry.reasons.get(r.status) ?? 0) + 1);
    else entry.kept++;
    by.set(r.noise_class, entry);
  }
  let tp = 0, fp = 0, fn = 0;
  const classes = [...by].sort((a, b) => a[0].localeCompare(b[0])).map(([name, e]) => {
    const wanted = NOT_TEXT_CLASSES.has(name) ? null : WANTED_CLASSES.has(name);
    if (wanted === null) {
      // excluded from precision and recall
    } else if (wanted) {
      tp += e.kept;
      fn += e.n - e.kept;
    } else fp += e.kept;
    const top = [...e.reasons].sort((a, b) => b[1] - a[1])[0];
    return { noise_class: name, wanted, candidates: e.n, kept: e.kept, keptShare: e.n ? e.kept / e.n : 0, topReason: top?.[0] ?? null };
  });
  return { classes, precision: tp + fp ? tp / (tp + fp) : Number.NaN, recall: tp + fn ? tp / (tp + fn) : Number.NaN };
}
