/**
 * The papers' published numbers, typed once with their sources. These are the
 * only figures the workbench may show without computing them; pages label
 * them "paper reference".
 */
export { PAPERS, ref, type Reference, type Source } from "./source.js";
export {
  ATTRITION_STAGES,
  OVERALL_YIELD,
  INPUT_IMAGES,
  INPUT_PAGES,
  RELEASED_TRAIN_PAIRS,
  VALIDATION_PAIRS,
  HUMAN_GOOD_RATE,
  ENTITY_TYPES_REMAINING,
  ENTITY_TYPE_MIN_COUNT,
  CC3M_RULES,
  CC12M_RULES,
  type AttritionStage,
  type CcStageId,
} from "./conceptual-captions.js";
export { DATACOMP_BASIC, COYO, ALIGN, LAION, IMG2DATASET } from "./recipes.js";
export {
  DVAE_OFFICIAL_CONFIG,
  DVAE_PARAMS,
  DVAE_TRAINING,
  DVAE_RECONSTRUCTION_PSNR,
  TRANSFORMER,
  HUMAN_PREFERENCE_VS_DFGAN,
  RAINBOW_TOY,
} from "./dalle.js";
export { CAPTIONER_HUMAN_EVAL, type HumanEvalRow } from "./captioning.js";
export { attritionReferenceRows, ATTRITION_REFERENCE_COLUMNS, type AttritionReferenceRow } from "./attrition-table.js";
