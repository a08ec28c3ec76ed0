/**
 * The reranker: a small CLIP-like image–text dual encoder, trained contrastively on the caption–image pairs and used,
 * as DALL-E uses CLIP, to rank N generated samples by their similarity to the prompt. Pure TF.js (browser and Node);
 * the training data and weights files are Node-only, behind ./node.ts.
 */
export {
  DEFAULT_RERANKER_CONFIG,
  resolveRerankerConfig,
  createReranker,
  encodeImages,
  encodeTexts,
  contrastiveLoss,
  infoNce,
  logitScale,
  sameTextMatrix,
  packTexts,
  textTensors,
  rankImages,
  rerankerShapes,
  rerankerParameterCount,
  type Reranker,
  type RerankerConfig,
  type PackedTexts,
} from "./model.js";
export { rerankerToSafetensors, rerankerFromSafetensors, rerankerWithBpeToSafetensors, rerankerWithBpeFromSafetensors } from "./weights.js";
export {
  DEFAULT_RERANKER_TRAIN,
  RerankerTrainer,
  BatchSampler,
  packBatch,
  learningRateAt,
  evaluateRetrieval,
  type RerankerPair,
  type RerankerTrainingSet,
  type RerankerTrainOptions,
  type RerankerBatch,
  type RerankerStepMetrics,
  type RetrievalReport,
} from "./train.js";
