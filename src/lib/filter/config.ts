/**
 * Filter configuration over the option table (OPTIONS, generated from the rules' and stages'
 * declarations in rules/): presets (presets.ts) are data over it, `--set stage.option=value`
 * resolves through it, and a bad key or value is an error naming the valid ones.
 */
import type { Reference } from "../reference/index.js";
import {
  DECLARATION, IMAGE_FORMAT_NAMES, LABELERS, OPTIONS, STAGES, TRANSFORM_MODES, configuredStages, stageDefaults,
  type FilterConfig, type PresetValue, type StageId,
} from "./rules/index.js";

export {
  IMAGE_FORMAT_NAMES, LABELERS, OPTIONS, TRANSFORM_MODES,
  type AllowedFormat, type LabelerChoice, type TransformMode, type FilterConfig, type OptionSpec, type OptionKey, type PresetValue,
  type ImageOptions, type TextOptions, type GroundingOptions, type TransformOptions, type EntityTypeOptions, type NearDuplicateOptions,
} from "./rules/index.js";

/** A preset's values per stage; an option it leaves out takes its declared default. */
export type PresetSpec = { [S in keyof FilterConfig]: { [K in keyof NonNullable<FilterConfig[S]>]?: PresetValue<NonNullable<FilterConfig[S]>[K]> } };

export class FilterConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FilterConfigError";
  }
}

function isReference(value: unknown): value is Reference<unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "source" in value && "value" in value;
}

/**
 * Resolves a preset spec to plain values for the stages a run with `stages` configures (options the
 * spec leaves out take their declared defaults), and records where each paper value comes from.
 */
export function resolveSpec(spec: PresetSpec, stages: readonly string[] = STAGES): { config: FilterConfig; provenance: Record<string, string> } {
  const provenance: Record<string, string> = {};
  const config = {} as Record<string, Record<string, unknown>>;
  const given = spec as unknown as Partial<Record<StageId, Record<string, unknown>>>;
  const wanted = configuredStages(stages);
  // The spec's order first (what funnel.json has always recorded), then stages it leaves out.
  const order = [...(Object.keys(spec) as StageId[]).filter((s) => wanted.includes(s)), ...wanted.filter((s) => !(s in spec))];
  for (const stage of order) {
    const out: Record<string, unknown> = {};
    const defaults = stageDefaults(stage);
    const values = { ...given[stage] };
    for (const key of Object.keys(defaults)) if (!(key in values)) values[key] = defaults[key];
    for (const [key, value] of Object.entries(values)) {
      if (isReference(value)) {
        out[key] = Array.isArray(value.value) ? [...value.value] : value.value;
        provenance[`${stage}.${key}`] = `${value.source.paper}, ${value.source.where}`;
      } else out[key] = Array.isArray(value) ? [...value] : value;
    }
    config[stage] = out;
  }
  return { config: config as unknown as FilterConfig, provenance };
}

/** Parses one `--set` value for an option; throws naming the option, the bad value and what is valid. */
export function parseOptionValue(key: string, raw: string): unknown {
  const spec = OPTIONS[key];
  if (!spec) throw new FilterConfigError(`unknown option ${JSON.stringify(key)}; valid: ${Object.keys(OPTIONS).join(", ")}`);
  const bad = (what: string) => new FilterConfigError(`${key}=${JSON.stringify(raw)}: expected ${what}`);
  const text = raw.trim();
  const nullable = spec.type.endsWith("?");
  if (nullable && (text === "null" || text === "none" || text === "")) return null;
  switch (spec.type) {
    case "boolean":
      if (text === "true" || text === "1" || text === "yes") return true;
      if (text === "false" || text === "0" || text === "no") return false;
      throw bad("true or false");
    case "formats": {
      const list = text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
      const unknown = list.filter((f) => !(IMAGE_FORMAT_NAMES as readonly string[]).includes(f));
      if (unknown.length || list.length === 0) throw bad(`a comma-separated list from ${IMAGE_FORMAT_NAMES.join(", ")}`);
      return list;
    }
    case "labeler":
      if (!(LABELERS as readonly string[]).includes(text)) throw bad(`one of ${LABELERS.join(", ")}`);
      return text;
    case "mode":
      if (!(TRANSFORM_MODES as readonly string[]).includes(text)) throw bad(`one of ${TRANSFORM_MODES.join(", ")}`);
      return text;
    default: {
      const value = Number(text);
      const integer = spec.type.startsWith("integer");
      const range = `${spec.min ?? "-∞"} to ${spec.max ?? "∞"}`;
      if (text === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) throw bad(`${integer ? "an integer" : "a number"} from ${range}${nullable ? ", or null" : ""}`);
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) throw bad(`a value from ${range}`);
      return value;
    }
  }
}

/** Applies `stage.option=value` overrides to a config (a copy); each override is validated. */
export function applyOverrides(config: FilterConfig, overrides: readonly string[]): FilterConfig {
  const out = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const item of overrides) {
    const at = item.indexOf("=");
    if (at < 1) throw new FilterConfigError(`override ${JSON.stringify(item)} is not stage.option=value (e.g. text.maxNounRatio=0.7)`);
    const key = item.slice(0, at).trim();
    const value = parseOptionValue(key, item.slice(at + 1));
    const dot = key.indexOf(".");
    const stage = key.slice(0, dot) as StageId;
    // Setting an option of an opt-in stage the preset leaves out configures that stage.
    out[stage] ??= resolveSpec({} as PresetSpec, [stage]).config[stage as keyof FilterConfig] as unknown as Record<string, unknown>;
    out[stage]![key.slice(dot + 1)] = value;
  }
  return out as unknown as FilterConfig;
}

/** Checks a whole config against OPTIONS (types and ranges), e.g. one read back from funnel.json: every stage but an absent opt-in one. */
export function validateConfig(config: FilterConfig): FilterConfig {
  for (const stage of Object.keys(config)) {
    if (!(STAGES as readonly string[]).includes(stage)) throw new FilterConfigError(`unknown stage ${JSON.stringify(stage)}; valid: ${STAGES.join(", ")}`);
  }
  for (const key of Object.keys(OPTIONS)) {
    const [stage, option] = key.split(".") as [StageId, string];
    const options = (config as unknown as Record<string, Record<string, unknown> | undefined>)[stage];
    if (options === undefined && DECLARATION[stage].optIn) continue;
    const value = options?.[option];
    if (value === undefined) throw new FilterConfigError(`config lacks ${key}`);
    parseOptionValue(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  return config;
}
