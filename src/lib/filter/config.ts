/**
 * Filter configuration: every threshold of every stage, with its type and a one-line doc, in one
 * lookup table (OPTIONS). Presets (presets.ts) are data over this table; `--set stage.option=value`
 * resolves through it, and a bad key or value is an error naming the valid ones.
 */
import type { Reference } from "../reference/index.js";
import { STAGES, type StageId } from "./reasons.js";

export const IMAGE_FORMAT_NAMES = ["jpeg", "png", "gif", "webp", "bmp"] as const;
export type AllowedFormat = (typeof IMAGE_FORMAT_NAMES)[number];

export interface ImageOptions {
  /** Formats accepted by magic number. */
  formats: AllowedFormat[];
  /** Shorter side must exceed (or reach, when minSideInclusive) this many pixels. */
  minSidePx: number;
  minSideInclusive: boolean;
  /** Largest max(w,h)/min(w,h) accepted (inclusive); null: no limit. */
  maxAspectRatio: number | null;
  /** Smallest file accepted, bytes; null: no limit. */
  minFileBytes: number | null;
  /** Largest declared width × height decoded (decompression-bomb guard). */
  maxPixels: number;
  /** Run the NSFW classifier on header survivors. */
  nsfw: boolean;
  /** Largest porn + hentai + sexy probability accepted. */
  maxNsfwScore: number;
}

export interface TextOptions {
  minWords: number | null;
  maxWords: number | null;
  minChars: number | null;
  maxChars: number | null;
  rejectBoilerplate: boolean;
  rejectFileNames: boolean;
  /** Most hashtags accepted; null: no limit. */
  maxHashtags: number | null;
  /** Separator-delimited short segments that make an SEO keyword list; null: rule off. */
  seoMinSegments: number | null;
  requireEnglish: boolean;
  /** Smallest share of words in the English vocabulary accepted when the language guess is not English. */
  minEnglishShare: number;
  requireDeterminer: boolean;
  requireNoun: boolean;
  requirePreposition: boolean;
  maxNounRatio: number | null;
  maxRepetition: number | null;
  requireCapitalizedFirst: boolean;
  maxCapitalizedRatio: number | null;
  /** A word is rare below this many estimated English Wikipedia occurrences; null: rule off. */
  rareWordMinCount: number | null;
  maxAbsPolarity: number | null;
  /** Smallest profanity-list rating (0 maybe, 1 likely, 2 sure) that rejects; null: rule off. */
  profanityMinRating: number | null;
}

export const LABELERS = ["auto", "input", "tsv", "synth-cnn"] as const;
export type LabelerChoice = (typeof LABELERS)[number];

export interface GroundingOptions {
  /** Which labeler decides: "auto" uses labels in the input, then a labels TSV, then the synthetic-world classifier. */
  labeler: LabelerChoice;
  /** Smallest label confidence used. */
  minConfidence: number;
  /** Labels (caption tokens) that must match. */
  minMatches: number;
}

export const TRANSFORM_MODES = ["hypernymize", "person-only", "none"] as const;
export type TransformMode = (typeof TRANSFORM_MODES)[number];

export interface TransformOptions {
  /** hypernymize: CC3M's full transformation; person-only: CC12M's <PERSON> substitution; none: lower-case only. */
  mode: TransformMode;
  /** Fewest words a transformed caption may keep. */
  minWords: number;
  /** Proper nouns left unresolved that are still accepted; null: no limit. */
  maxUnresolved: number | null;
}

export interface EntityTypeOptions {
  /** Apply the entity-type frequency filter at all. */
  enabled: boolean;
  /** A type must occur more than this many times in a corpus of `referenceSize` pairs. */
  referenceCount: number;
  /** Corpus size the reference count belongs to; the threshold scales by input size / referenceSize. */
  referenceSize: number;
  /** An absolute threshold (exclusive) instead of the scaled one; null: scaled. */
  minCount: number | null;
}

export interface FilterConfig {
  image: ImageOptions;
  text: TextOptions;
  grounding: GroundingOptions;
  transform: TransformOptions;
  "entity-type": EntityTypeOptions;
}

type ValueType = "number" | "number?" | "integer" | "integer?" | "boolean" | "formats" | "labeler" | "mode";

export interface OptionSpec {
  type: ValueType;
  doc: string;
  min?: number;
  max?: number;
}

/** Every option, keyed "stage.option": its type, range and one-line documentation. */
export const OPTIONS: Record<string, OptionSpec> = {
  "image.formats": { type: "formats", doc: `formats accepted by magic number, comma-separated from ${IMAGE_FORMAT_NAMES.join(", ")}` },
  "image.minSidePx": { type: "integer", min: 0, doc: "both sides must exceed this (or reach it, with minSideInclusive)" },
  "image.minSideInclusive": { type: "boolean", doc: "whether a side equal to minSidePx passes" },
  "image.maxAspectRatio": { type: "number?", min: 1, doc: "largest max(w,h)/min(w,h) kept; null = no limit" },
  "image.minFileBytes": { type: "integer?", min: 0, doc: "smallest file kept, bytes; null = no limit" },
  "image.maxPixels": { type: "integer", min: 1, doc: "largest declared width × height decoded (bomb guard)" },
  "image.nsfw": { type: "boolean", doc: "run the NSFW classifier (nsfwjs MobileNetV2) on header survivors" },
  "image.maxNsfwScore": { type: "number", min: 0, max: 1, doc: "largest P(porn) + P(hentai) + P(sexy) kept" },
  "text.minWords": { type: "integer?", min: 0, doc: "fewest words kept; null = no limit" },
  "text.maxWords": { type: "integer?", min: 0, doc: "most words kept; null = no limit" },
  "text.minChars": { type: "integer?", min: 0, doc: "fewest characters kept; null = no limit" },
  "text.maxChars": { type: "integer?", min: 0, doc: "most characters kept; null = no limit" },
  "text.rejectBoilerplate": { type: "boolean", doc: "reject texts beginning or ending with a boilerplate pattern" },
  "text.rejectFileNames": { type: "boolean", doc: "reject alt-texts that are file names" },
  "text.maxHashtags": { type: "integer?", min: 0, doc: "most hashtags kept; null = no limit" },
  "text.seoMinSegments": { type: "integer?", min: 2, doc: "short separator-delimited segments that make an SEO list; null = rule off" },
  "text.requireEnglish": { type: "boolean", doc: "reject texts judged not English" },
  "text.minEnglishShare": { type: "number", min: 0, max: 1, doc: "English-word share needed when the language guess is not English" },
  "text.requireDeterminer": { type: "boolean", doc: "reject texts without a determiner" },
  "text.requireNoun": { type: "boolean", doc: "reject texts without a noun" },
  "text.requirePreposition": { type: "boolean", doc: "reject texts without a preposition" },
  "text.maxNounRatio": { type: "number?", min: 0, max: 1, doc: "largest share of nouns among words; null = no limit" },
  "text.maxRepetition": { type: "number?", min: 0, max: 1, doc: "largest share of tokens repeating an earlier content word; null = no limit" },
  "text.requireCapitalizedFirst": { type: "boolean", doc: "reject texts whose first word is not capitalized" },
  "text.maxCapitalizedRatio": { type: "number?", min: 0, max: 1, doc: "largest share of capitalized words; null = no limit" },
  "text.rareWordMinCount": { type: "number?", min: 0, doc: "a word is rare below this many estimated English Wikipedia occurrences; null = rule off" },
  "text.maxAbsPolarity": { type: "number?", min: 0, max: 1, doc: "largest |AFINN polarity| (sum of valences / (5 × words)); null = rule off" },
  "text.profanityMinRating": { type: "integer?", min: 0, max: 2, doc: "profanity-list rating that rejects (0 maybe, 1 likely, 2 sure); null = rule off" },
  "grounding.labeler": { type: "labeler", doc: `which labeler: ${["auto", "input", "tsv", "synth-cnn"].join(", ")}` },
  "grounding.minConfidence": { type: "number", min: 0, max: 1, doc: "smallest label confidence used" },
  "grounding.minMatches": { type: "integer", min: 1, doc: "labels that must match a caption token" },
  "transform.mode": { type: "mode", doc: "hypernymize (CC3M), person-only (CC12M <PERSON>), none (lower-case only)" },
  "transform.minWords": { type: "integer", min: 0, doc: "fewest words a transformed caption keeps" },
  "transform.maxUnresolved": { type: "integer?", min: 0, doc: "unresolved proper nouns accepted; null = no limit" },
  "entity-type.enabled": { type: "boolean", doc: "apply the entity-type frequency filter" },
  "entity-type.referenceCount": { type: "number", min: 0, doc: "a type must occur more than this in a corpus of referenceSize pairs" },
  "entity-type.referenceSize": { type: "integer", min: 1, doc: "corpus size of referenceCount; threshold = referenceCount × input size / referenceSize" },
  "entity-type.minCount": { type: "number?", min: 0, doc: "absolute exclusive threshold instead of the scaled one; null = scaled" },
};

export type OptionKey = keyof typeof OPTIONS;

/** A preset value: a plain number (ours) or a paper Reference (its value is used, its source recorded). */
export type PresetValue<T> = T | Reference<T>;
export type PresetSpec = { [S in keyof FilterConfig]: { [K in keyof FilterConfig[S]]: PresetValue<FilterConfig[S][K]> } };

export class FilterConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FilterConfigError";
  }
}

function isReference(value: unknown): value is Reference<unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "source" in value && "value" in value;
}

/** Resolves a preset spec to plain values, and records where each paper value comes from. */
export function resolveSpec(spec: PresetSpec): { config: FilterConfig; provenance: Record<string, string> } {
  const provenance: Record<string, string> = {};
  const config = {} as Record<string, Record<string, unknown>>;
  for (const stage of Object.keys(spec) as (keyof FilterConfig)[]) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(spec[stage])) {
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
    out[key.slice(0, dot)]![key.slice(dot + 1)] = value;
  }
  return out as unknown as FilterConfig;
}

/** Checks a whole config against OPTIONS (types and ranges), e.g. one read back from funnel.json. */
export function validateConfig(config: FilterConfig): FilterConfig {
  for (const stage of Object.keys(config)) {
    if (!(STAGES as readonly string[]).includes(stage)) throw new FilterConfigError(`unknown stage ${JSON.stringify(stage)}; valid: ${STAGES.join(", ")}`);
  }
  for (const key of Object.keys(OPTIONS)) {
    const [stage, option] = key.split(".") as [StageId, string];
    const value = (config as unknown as Record<string, Record<string, unknown>>)[stage]?.[option];
    if (value === undefined) throw new FilterConfigError(`config lacks ${key}`);
    parseOptionValue(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  return config;
}
