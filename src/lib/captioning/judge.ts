import type { ChairCaption } from "../metrics/index.js";

/** Why the automatic judge called a caption GOOD or BAD: a closed union the evaluation tallies. */
export const JUDGE_VERDICTS = ["good", "missing", "hallucinated", "missing+hallucinated"] as const;
export type JudgeVerdict = (typeof JUDGE_VERDICTS)[number];

/**
 * The ground-truth judge: a caption is GOOD when it names every object category in the image (the synthetic
 * scenes hold one to a few objects, so every one of them is a "main" object) and names no category that is
 * absent. It reads the caption's CHAIR result (mentions found with the object table, ground truth = the scene's
 * objects). An automatic stand-in for the paper's human raters, not a human judgment.
 */
export function judgeCaption(chair: Pick<ChairCaption, "annotated" | "found" | "hallucinated">): { good: boolean; verdict: JudgeVerdict } {
  const missing = chair.found < chair.annotated;
  const hallucinated = chair.hallucinated.length > 0;
  const verdict: JudgeVerdict = missing && hallucinated ? "missing+hallucinated" : missing ? "missing" : hallucinated ? "hallucinated" : "good";
  return { good: verdict === "good", verdict };
}
