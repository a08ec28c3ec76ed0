/**
 * Filter attrition in the browser: the filter's rules re-applied in SQL over stored per-candidate
 * features (sql.ts), and the thresholds a reader can move, as data over the filter's option table
 * (controls.ts). Browser-safe: imports only the filter's dependency-free modules.
 */
export {
  ruleSql, activeReasons, statusQuery, countsQuery, funnelFromCounts, recomputeFunnel, storedCountsQuery,
  type Thresholds, type AttritionDb, type StageCounts, type RuleCounts, type MeasuredFunnel,
} from "./sql.js";
export { CONTROLS, ENTITY_TYPE_COUNT, PRESET_NAMES, controlValue, controlOverride, thresholdsFor, type ThresholdControl, type PresetName } from "./controls.js";
