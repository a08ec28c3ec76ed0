/**
 * The thresholds a reader can move on the attrition page, as data: which option each control sets,
 * its range, and the end of the range that switches a nullable rule off. Values resolve through the
 * filter's own option table (`resolveConfig` with `--set` overrides), so a control cannot set an
 * option the CLI would refuse.
 */
import { OPTIONS, type FilterConfig } from "../filter/config.js";
import { configuredStages } from "../filter/rules/index.js";
import { entityTypeThreshold } from "../filter/entity-types.js";
// presets.ts directly, not the filter door: the door also exports the NLP stages, whose packages a page does not load.
import { PRESET_NAMES, resolveConfig, type PresetName } from "../filter/presets.js";
import type { Thresholds } from "./sql.js";

export interface ThresholdControl {
  /** The option it sets, "stage.option" (a key of the filter's OPTIONS), or ENTITY_TYPE_COUNT. */
  key: string;
  label: string;
  min: number;
  max: number;
  step: number;
  /** The value that means "rule off" for a nullable option (a preset's null shows there). */
  off?: number;
}

/** The entity-type stage's absolute threshold (the control shows the scaled one a preset implies). */
export const ENTITY_TYPE_COUNT = "entity-type.minCount";

export const CONTROLS: readonly ThresholdControl[] = [
  { key: "image.minSidePx", label: "Minimum shorter side (px)", min: 0, max: 1000, step: 10 },
  { key: "image.maxAspectRatio", label: "Maximum aspect ratio (long / short side; 10 = off)", min: 1, max: 10, step: 0.1, off: 10 },
  { key: "image.maxNsfwScore", label: "Maximum NSFW score (probability)", min: 0, max: 1, step: 0.01 },
  { key: "text.seoMinSegments", label: "SEO keyword list: fewest short segments (20 = off)", min: 2, max: 20, step: 1, off: 20 },
  { key: "text.maxNounRatio", label: "Maximum noun ratio (nouns / words; 1 = off)", min: 0, max: 1, step: 0.01, off: 1 },
  { key: "text.maxRepetition", label: "Maximum repetition (repeated tokens / words; 1 = off)", min: 0, max: 1, step: 0.01, off: 1 },
  { key: "text.maxCapitalizedRatio", label: "Maximum capitalised-word ratio (1 = off)", min: 0, max: 1, step: 0.01, off: 1 },
  { key: "text.rareWordMinCount", label: "Rare below (estimated Wikipedia occurrences; 0 = off)", min: 0, max: 200, step: 1, off: 0 },
  { key: "text.maxAbsPolarity", label: "Maximum |sentiment polarity| (1 = off)", min: 0, max: 1, step: 0.01, off: 1 },
  { key: ENTITY_TYPE_COUNT, label: "Entity type must occur more than (pairs)", min: 0, max: 50, step: 0.01 },
];

export { PRESET_NAMES, type PresetName };

/** A control's value under a resolved config (a null option shows at its "off" end). */
export function controlValue(control: ThresholdControl, config: FilterConfig, inputSize: number): number {
  if (control.key === ENTITY_TYPE_COUNT) return entityTypeThreshold(config["entity-type"], inputSize);
  const [stage, option] = control.key.split(".") as [keyof FilterConfig, string];
  const value = (config[stage] as unknown as Record<string, unknown>)[option];
  if (value === null) return control.off ?? control.min;
  if (typeof value !== "number") throw new TypeError(`${control.key} is not a numeric option`);
  return value;
}

/** The `--set` override a control's value stands for (its "off" end: null). */
export function controlOverride(control: ThresholdControl, value: number): string {
  const nullable = OPTIONS[control.key]?.type.endsWith("?") ?? false;
  return `${control.key}=${nullable && control.off !== undefined && value === control.off ? "null" : value}`;
}

/**
 * A preset with control values applied, as the SQL funnel takes it; `values` maps control keys to values.
 * `stored`: the opt-in stages the stored run has (prepareQuery derived their columns); the preset's
 * other opt-in stages cannot be recomputed and do not run.
 */
export function thresholdsFor(preset: string, inputSize: number, values: Readonly<Record<string, number>> = {}, stored: readonly string[] = []): Thresholds {
  const overrides = CONTROLS.filter((c) => values[c.key] !== undefined).map((c) => controlOverride(c, values[c.key]!));
  const { stages, config } = resolveConfig(preset, { overrides });
  const recomputable = configuredStages(stored);
  return { stages: stages.filter((s) => recomputable.includes(s)), config, entityTypeThreshold: entityTypeThreshold(config["entity-type"], inputSize) };
}

/**
 * Most rows `?candidates=N` may scale the what-if table to: DuckDB-WASM holds about 1.7 KB per repeated
 * candidate (1,000,000 took 1.65 GB and a minute in Node), so 200,000 stays near 330 MB in a browser tab.
 */
export const MAX_SCALED_CANDIDATES = 200_000;

/**
 * The page's `?candidates=N` (the what-if over the crawl repeated to N rows): 0 when absent; a value that is not a
 * whole number from 1 to MAX_SCALED_CANDIDATES is ignored (0) and returned as a `problem` naming the valid range.
 */
export function scaledCandidates(search: string): { size: number; problem: string | null } {
  const raw = new URLSearchParams(search).get("candidates");
  if (raw === null || raw === "") return { size: 0, problem: null };
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (n >= 1 && n <= MAX_SCALED_CANDIDATES) return { size: n, problem: null };
  const shown = raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
  return { size: 0, problem: `?candidates=${shown} is not a whole number from 1 to ${MAX_SCALED_CANDIDATES.toLocaleString("en-US")}; the what-if runs over the stored candidates instead.` };
}
