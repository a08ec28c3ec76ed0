/** DALL-E's discrete VAE: config, model (encode/decode/reconstruct), objective, training, codebook statistics. */
export { DVAE_CONFIGS, DVAE_CONFIG_FIELDS, MAX_FEATURE_MAP_FLOATS, resolveConfig, tokenGridSize, type DvaeConfig, type DvaeConfigName } from "./config.js";
export {
  createDvae,
  convSpecs,
  initParams,
  encoderForward,
  decoderForward,
  mapPixels,
  unmapPixels,
  LOGIT_LAPLACE_EPS,
  type Dvae,
  type Params,
  type ConvSpec,
  type Half,
} from "./model.js";
export { dvaeLoss, gumbelSoftmax, straightThrough, logitLaplaceNll, klToUniform, codebookDiversityPenalty, psnr, type LossTerms } from "./objective.js";
export { DvaeTrainer, scaledRecipe, scheduleAt, type TrainConfig, type StepMetrics } from "./train.js";
export { cosineSchedule } from "../tfjs/index.js";
export { codebookUsage, type CodebookUsage } from "./codebook.js";
export { paramsFromOfficial, inferConfig, dvaeFromSafetensors, dvaeToSafetensors, dvaeToTfjs, dvaeFromTfjs, checkTfjsWeights, type TfjsWeights, type TfjsSources } from "./weights.js";
export { evaluateReconstruction, type ReconstructionReport } from "./evaluate.js";
export { patchBaseline, type PatchBaselineOptions, type PatchBaselineReport } from "./baseline.js";
