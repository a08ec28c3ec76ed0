/**
 * DALL-E's transformer at workbench size: config, sequence layout and sparse attention masks, the model,
 * sampling (temperature, top-k, top-p, key/value cache, priming), training and weights. The same code runs
 * text → image tokens (DALL-E) and image tokens → text (the captioners).
 */
export { DIRECTIONS, ATTENTION_KINDS, TRANSFORMER_CONFIG_FIELDS, dallePattern, smallConfig, checkConfig, type Direction, type AttentionKind, type TransformerConfig } from "./config.js";
export { layoutOf, imageIndex, patternAllows, attends, attentionBias, type Layout } from "./layout.js";
export {
  createTransformer,
  initParams,
  paramShapes,
  parameterCount,
  trainingStepFlops,
  padText,
  isPad,
  embedSequence,
  teacherInputs,
  forwardHidden,
  logitsAt,
  transformerLoss,
  emptyCache,
  disposeCache,
  type Transformer,
  type Params,
  type KvCache,
  type LossTerms,
} from "./model.js";
export { sampleImages, sampleCaptions, pickToken, checkSampleOptions, type SampleOptions } from "./sample.js";
export { TransformerTrainer, DEFAULT_TRAIN, learningRateAt, evaluateLoss, type TransformerTrainConfig, type TransformerStepMetrics } from "./train.js";
export { transformerToSafetensors, transformerFromSafetensors } from "./weights.js";
export { generate, checkGenerator, type Generator, type GeneratedImage, type GenerateResult } from "./generate.js";
export { zeroShot, cnnJudge, bestDrawnPrompt, type Judge, type ZeroShotPrompt, type ZeroShotReport, type PromptOutcome, type GroupScores, type CompositionGroup } from "./zero-shot.js";
