/**
 * The filter's accuracy on the synthetic crawl, where every alt-text's noise class is known.
 * A class is "wanted" when the paper's text filter should keep it (good sentences, named-entity
 * sentences that hypernymization resolves, boilerplate that cropping repairs) and "noise"
 * otherwise; wrong-description is neither for the text stage (a fluent sentence about another
 * image: only grounding can catch it) and is left out of its precision and recall.
 * Per class: how many candidates the text stage judged and kept, and how many the grounding
 * stage judged and kept. Precision/recall treat "kept by the text stage" as the prediction.
 */
import { REASON_INFO, type Reason } from "./reasons.js";

export interface NoiseClassScore {
  noise_class: string;
  /** Whether a perfect text filter would keep this class; null when it cannot tell. */
  wanted: boolean | null;
  /** Candidates the text stage judged. */
  candidates: number;
  /** Of those, kept by the text stage. */
  kept: number;
  keptShare: number;
  /** The most common text reason in this class, or null. */
  topReason: string | null;
  /** Candidates the grounding stage judged, and how many it kept. */
  grounded: number;
  groundingKept: number;
}

/** Classes a perfect text filter keeps (the boilerplate class mixes croppable sentences with whole-text boilerplate). */
export const WANTED_CLASSES = new Set(["good", "named-entity", "boilerplate"]);
/** Classes the text stage cannot judge: fluent sentences about another image. */
export const NOT_TEXT_CLASSES = new Set(["wrong-description"]);

type Row = { noise_class: string | null; all_reasons: readonly string[]; text_clean: string | null; labeler?: string | null; status: string };

const stageOf = (reason: string) => REASON_INFO[reason as Reason]?.stage;

/** Per-class scores and the text stage's precision/recall, from result rows (first reasons, or all with --all-reasons). */
export function noiseClassScores(rows: readonly Row[]): { classes: NoiseClassScore[]; precision: number; recall: number } {
  const by = new Map<string, { n: number; kept: number; reasons: Map<string, number>; grounded: number; groundingKept: number }>();
  for (const r of rows) {
    if (r.noise_class === null || r.text_clean === null) continue; // the text stage never saw it
    const e = by.get(r.noise_class) ?? { n: 0, kept: 0, reasons: new Map(), grounded: 0, groundingKept: 0 };
    e.n++;
    const textReason = r.all_reasons.find((x) => stageOf(x) === "text");
    if (textReason) e.reasons.set(textReason, (e.reasons.get(textReason) ?? 0) + 1);
    else e.kept++;
    const judged = r.labeler !== undefined && (r.labeler !== null || r.all_reasons.includes("no_labels"));
    if (judged) {
      e.grounded++;
      if (!r.all_reasons.some((x) => stageOf(x) === "grounding")) e.groundingKept++;
    }
    by.set(r.noise_class, e);
  }
  let tp = 0, fp = 0, fn = 0;
  const classes = [...by].sort((a, b) => a[0].localeCompare(b[0])).map(([name, e]): NoiseClassScore => {
    const wanted = NOT_TEXT_CLASSES.has(name) ? null : WANTED_CLASSES.has(name);
    if (wanted === true) {
      tp += e.kept;
      fn += e.n - e.kept;
    } else if (wanted === false) fp += e.kept;
    const top = [...e.reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    return { noise_class: name, wanted, candidates: e.n, kept: e.kept, keptShare: e.n ? e.kept / e.n : 0, topReason: top?.[0] ?? null, grounded: e.grounded, groundingKept: e.groundingKept };
  });
  return { classes, precision: tp + fp ? tp / (tp + fp) : Number.NaN, recall: tp + fn ? tp / (tp + fn) : Number.NaN };
}
