/**
 * The Conceptual Captions filter pipeline (Sharma et al. 2018, §3), one module per stage:
 * image.ts (format, size, aspect, NSFW), text.ts (POS, capitalisation, repetition, rare words,
 * sentiment, profanity, boilerplate, hashtags/SEO, language), grounding.ts (labels vs caption
 * stems), transform.ts (hypernymization), entity-types.ts (corpus-level type frequency), and the
 * opt-in near-duplicate.ts (pHash of the decoded image, corpus-level). Each stage module declares its
 * rules once (reason, options, predicate, SQL, wording), computes stored features, then decides over
 * them with those rules; the reasons' closed union (reasons.ts, rules/index.ts), the option table
 * (config.ts, option-table.ts) and the stored row's columns derive from the stage list (stages.ts); presets are data (presets.ts); pipeline.ts accounts for every candidate and
 * documents the shard contract; explain.ts words every rule's verdict on one alt-text; lexicon-pack.ts ships the
 * lexicon to pages. Node-only parts (lexicon files, NSFW model, workers, inputs): ./node.ts; browser-safe door: ./browser.ts.
 */
import "./nlp.js"; // plugs the stages' NLP packages in (nlp-packages.ts)
export {
  STAGES, REASONS, REASON_INFO, REFERENCE_STAGE, KEEP, decide, reasonsOf,
  type StageId, type Reason, type Status, type Decision, type Rule, type ReasonInfo,
} from "./reasons.js";
export {
  DECLARATIONS, DECLARATION, configuredStages, configuredDeclarations, listedReasons, optionDecls, stageDefaults, ruleFor, stageDecl, num,
  type RuleDecl, type StageDecl, type OptionDecl, type DerivedColumn, type Wording, type NearDuplicateOptions, type EntityTypeFeatures, type NearDuplicateFeatures,
} from "./rules/index.js";
export { PIPELINE_STAGES, pipelineStages } from "./stages.js";
export type { PipelineStage, StageColumn, StagePlan, PlanInput, Resource, Skipped, StreamedMerge } from "./stage.js";
export { applyNearDuplicateFilter, imageHash, nearestEarlier, NEAR_DUPLICATE_STAGE } from "./near-duplicate.js";
export { pHash, gridLuma, hamming, hashWords } from "./phash.js";
export { optionTable } from "./option-table.js";
export {
  OPTIONS, IMAGE_FORMAT_NAMES, LABELERS, TRANSFORM_MODES, FilterConfigError, applyOverrides, parseOptionValue, resolveSpec, validateConfig,
  type FilterConfig, type ImageOptions, type TextOptions, type GroundingOptions, type TransformOptions, type EntityTypeOptions,
  type OptionSpec, type PresetSpec, type LabelerChoice, type TransformMode, type AllowedFormat,
} from "./config.js";
export { PRESETS, PRESET_NAMES, resolveConfig, checkPreset, checkStages, type PresetName, type PresetDefinition, type ResolvedConfig } from "./presets.js";
export { normalizeAltText, decodeEntities } from "./normalize.js";
export { cropBoilerplate, boilerplateMatch, isFileName, countHashtags, listSegments, REJECT_PATTERNS } from "./boilerplate.js";
export { frequencyMap, estimatedCount, WIKIPEDIA_TOKENS, SUBTLEX_TOKENS, type Lexicon } from "./lexicon.js";
export { imageFeatures, imageDecision, imageHeaderDecision, IMAGE_RULES, IMAGE_HEADER_RULES, IMAGE_PIXEL_RULES, NO_NSFW, type ImageFeatures, type ImageState } from "./image.js";
export { textFeatures, textStage, textDecision, TEXT_RULES, MAX_ANALYZED_WORDS, type TextFeatures, type TextVerdict } from "./text.js";
export { groundingFeatures, groundingDecision, captionStems, stemWord, GROUNDING_RULES, type GroundingFeatures } from "./grounding.js";
export { transformCaption, transformDecision, collapseCoordinations, pluralize, TRANSFORM_RULES, type TransformFeatures } from "./transform.js";
export { entityTypeThreshold, countEntityTypes, entityTypesPass } from "./entity-types.js";
export {
  filterCandidate, filterCandidates, FILTER_BATCH, funnelOf, mergeFunnels, checkConservation, applyEntityTypeFilter, applyCorpusStages, ConservationError, RESULT_COLUMNS, resultColumns, FUNNEL_COLUMNS, funnelRows,
  type FunnelRow, type Candidate, type CandidateResult, type PipelineContext, type PipelineModels, type Funnel, type StageCount,
} from "./pipeline.js";
export { noiseClassScores, WANTED_CLASSES, NOT_TEXT_CLASSES, type NoiseClassScore } from "./scoring.js";
export { checkAltText, explainText, explainTransform, formatValue, type AltTextCheck, type RuleVerdict } from "./explain.js";
export { packLexicon, unpackLexicon, LexiconPackError, LEXICON_PACK_FORMAT, type LexiconPack } from "./lexicon-pack.js";
