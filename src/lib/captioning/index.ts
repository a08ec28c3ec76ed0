/**
 * The captioner comparison (COCO-trained vs Conceptual-trained): test images with references and ground truth,
 * both models' captions scored with src/lib/metrics (BLEU, ROUGE-L, CIDEr-D, CHAIR over the synthetic world's
 * object table, specificity), the automatic ground-truth judge, and the human rating workflow's arithmetic
 * (seeded blind order, ratings files, k-or-more GOOD, Fleiss' kappa). Pure; reading models and data is in ./node.ts.
 */
export { SYNTH_OBJECTS } from "./objects.js";
export { JUDGE_VERDICTS, judgeCaption, type JudgeVerdict } from "./judge.js";
export { evaluateModel, evaluateCaptioners, type TestImage, type CaptionScores, type ModelAggregate, type ModelEvaluation, type CaptionersEvaluation } from "./evaluate.js";
export {
  RATINGS, RATINGS_FORMAT, itemKey, ratingItems, raterOrder, parseRatingsFile, combineRatings, kOrMoreGood, fleissKappa, ratingsKappa,
  type Rating, type RatingItem, type RatingsFile, type CombinedRatings,
} from "./ratings.js";
