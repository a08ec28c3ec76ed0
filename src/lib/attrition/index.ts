/**
 * Filter attrition in the browser: the filter's rules re-applied in SQL over stored per-candidate
 * features (sql.ts), and the thresholds a reader can move, as data over the filter's option table
 * (controls.ts). Browser-safe: imports only filter modules that load no heavy library (the stage list and its declarations, not the door, which plugs compromise in).
 */
export {
  ruleSql, activeReasons, prepareQuery, storedWouldQuery, overlapQuery, examplesQuery, RULE_FEATURE, repeatRowsQuery, stageShares, type StageShare, statusQuery, countsQuery, funnelFromCounts, recomputeFunnel, storedCountsQuery,
  type Thresholds, type Declarations, type AttritionDb, type StageCounts, type RuleCounts, type MeasuredFunnel,
} from "./sql.js";
export { CONTROLS, ENTITY_TYPE_COUNT, PRESET_NAMES, MAX_SCALED_CANDIDATES, controlValue, controlOverride, scaledCandidates, thresholdsFor, type ThresholdControl, type PresetName } from "./controls.js";
// Dependency-free filter modules a page needs beside the SQL (the filter door would pull in its NLP packages).
export { REFERENCE_STAGE, REASON_INFO, STAGES, type Reason, type StageId } from "../filter/reasons.js";
export { noiseClassScores, WANTED_CLASSES, NOT_TEXT_CLASSES, type NoiseClassScore } from "../filter/scoring.js";
export { wordDiff, diffTokens, type DiffPart } from "./diff.js";
