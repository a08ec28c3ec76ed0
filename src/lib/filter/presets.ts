/**
 * Presets as data: the paper's CC3M pipeline, CC12M's relaxation, DataComp "basic", COYO-700M,
 * and a permissive one. Values that a paper states are its Reference objects from
 * src/lib/reference (the run records their source); every plain value is ours, documented in
 * OPTIONS and the README.
 */
import {
  CC3M_RULES, CC12M_RULES, COYO, DATACOMP_BASIC, ENTITY_TYPE_MIN_COUNT, PAPERS, RELEASED_TRAIN_PAIRS, ref,
} from "../reference/index.js";
import { DEFAULT_MAX_PIXELS } from "../images/facts.js";
import { applyOverrides, FilterConfigError, IMAGE_FORMAT_NAMES, resolveSpec, type AllowedFormat, type FilterConfig, type PresetSpec } from "./config.js";
import { STAGES, type StageId } from "./reasons.js";

/** The Conceptual Captions stages (the opt-in near-duplicate stage is not one). */
const CC3M_STAGES: StageId[] = ["image", "text", "grounding", "transform", "entity-type"];

export const PRESET_NAMES = ["cc3m", "cc12m", "datacomp-basic", "coyo", "permissive"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface PresetDefinition {
  description: string;
  /** Stages the preset runs, in order. */
  stages: StageId[];
  spec: PresetSpec;
}

const CC = PAPERS.conceptualCaptions;
const ANY_FORMAT: AllowedFormat[] = [...IMAGE_FORMAT_NAMES];
const JPEG_ONLY = ref<AllowedFormat[]>(["jpeg"], "formats", CC, "§3, image-based filtering (JPEG only)");

/** Text rules switched off: the base of the recipes that only bound length and language. */
const TEXT_OFF: PresetSpec["text"] = {
  minWords: null, maxWords: null, minChars: null, maxChars: null, rejectBoilerplate: false, rejectFileNames: false,
  maxHashtags: null, seoMinSegments: null, requireEnglish: false, minEnglishShare: 0.9, requireDeterminer: false,
  requireNoun: false, requirePreposition: false, maxNounRatio: null, maxRepetition: null, requireCapitalizedFirst: false,
  maxCapitalizedRatio: null, rareWordMinCount: null, maxAbsPolarity: null, profanityMinRating: null,
};

const CC3M_TEXT: PresetSpec["text"] = {
  minWords: null, maxWords: null, minChars: null, maxChars: null,
  rejectBoilerplate: true, rejectFileNames: true, maxHashtags: 0, seoMinSegments: 4,
  requireEnglish: true, minEnglishShare: 0.9,
  requireDeterminer: true, requireNoun: true, requirePreposition: true,
  maxNounRatio: 0.6, maxRepetition: 0.2,
  requireCapitalizedFirst: true, maxCapitalizedRatio: 0.7,
  rareWordMinCount: CC3M_RULES.rareWordMinWikipediaCount,
  maxAbsPolarity: 0.3, profanityMinRating: 1,
};

const GROUNDING: PresetSpec["grounding"] = { labeler: "auto", minConfidence: 0, minMatches: 1 };
const ENTITY_TYPE: PresetSpec["entity-type"] = {
  enabled: true, referenceCount: ENTITY_TYPE_MIN_COUNT, referenceSize: RELEASED_TRAIN_PAIRS, minCount: null,
};
const ENTITY_TYPE_OFF: PresetSpec["entity-type"] = { ...ENTITY_TYPE, enabled: false };
const NO_TRANSFORM: PresetSpec["transform"] = { mode: "none", minWords: 0, maxUnresolved: null };

export const PRESETS: Record<PresetName, PresetDefinition> = {
  cc3m: {
    description: "Conceptual Captions (Sharma et al. 2018): JPEG > 400 px, aspect <= 2, NSFW; POS, capitalisation, rare-word, sentiment, boilerplate rules; label grounding; hypernymization; entity-type frequency",
    stages: CC3M_STAGES,
    spec: {
      image: {
        formats: JPEG_ONLY, minSidePx: CC3M_RULES.minSidePx, minSideInclusive: false, maxAspectRatio: CC3M_RULES.maxAspectRatio,
        minFileBytes: null, maxPixels: DEFAULT_MAX_PIXELS, nsfw: true, maxNsfwScore: 0.5,
      },
      text: CC3M_TEXT,
      grounding: GROUNDING,
      transform: { mode: "hypernymize", minWords: 3, maxUnresolved: 0 },
      "entity-type": ENTITY_TYPE,
    },
  },
  cc12m: {
    description: "Conceptual 12M (Changpinyo et al. 2021): CC3M relaxed — aspect <= 2.5, 3-256 words, no preposition/ratio/capitalisation rules, repetition <= 0.2, rare below 20, person names -> <PERSON>",
    stages: ["image", "text", "grounding", "transform"],
    spec: {
      image: {
        formats: JPEG_ONLY, minSidePx: CC12M_RULES.minSidePx, minSideInclusive: false, maxAspectRatio: CC12M_RULES.maxAspectRatio,
        minFileBytes: null, maxPixels: DEFAULT_MAX_PIXELS, nsfw: true, maxNsfwScore: 0.5,
      },
      text: {
        ...CC3M_TEXT,
        minWords: CC12M_RULES.minWords, maxWords: CC12M_RULES.maxWords,
        requirePreposition: false, maxNounRatio: null, requireCapitalizedFirst: false, maxCapitalizedRatio: null,
        maxRepetition: CC12M_RULES.maxWordRepetitionFraction, rareWordMinCount: CC12M_RULES.rareWordMinCount,
      },
      grounding: GROUNDING,
      transform: { mode: "person-only", minWords: 0, maxUnresolved: null },
      "entity-type": ENTITY_TYPE_OFF,
    },
  },
  "datacomp-basic": {
    description: "DataComp basic filtering (Gadre et al. 2023): English, more than 2 words and 5 characters, shorter side >= 200 px, aspect <= 3",
    stages: ["image", "text"],
    spec: {
      image: {
        formats: ANY_FORMAT, minSidePx: DATACOMP_BASIC.minSidePx, minSideInclusive: true, maxAspectRatio: DATACOMP_BASIC.maxAspectRatio,
        minFileBytes: null, maxPixels: DEFAULT_MAX_PIXELS, nsfw: false, maxNsfwScore: 1,
      },
      text: { ...TEXT_OFF, minWords: DATACOMP_BASIC.minWords, minChars: DATACOMP_BASIC.minChars, requireEnglish: true },
      grounding: GROUNDING,
      transform: NO_TRANSFORM,
      "entity-type": ENTITY_TYPE_OFF,
    },
  },
  coyo: {
    description: "COYO-700M (Byeon et al. 2022): any format, file >= 5 KB, shorter side >= 200, aspect <= 3, NSFW <= 0.5; English, a noun, 3-256 words, <= 1000 characters, profanity; near-duplicate images (perceptual hash) dropped",
    stages: ["image", "text", "near-duplicate"],
    spec: {
      image: {
        formats: ANY_FORMAT, minSidePx: COYO.minSidePx, minSideInclusive: true, maxAspectRatio: COYO.maxAspectRatio,
        minFileBytes: COYO.minFileBytes, maxPixels: DEFAULT_MAX_PIXELS, nsfw: true, maxNsfwScore: COYO.maxNsfwScore,
      },
      text: {
        ...TEXT_OFF, minWords: COYO.minWords, maxWords: COYO.maxWords, maxChars: COYO.maxChars, requireEnglish: true,
        requireNoun: true, profanityMinRating: 1,
      },
      grounding: GROUNDING,
      transform: NO_TRANSFORM,
      "entity-type": ENTITY_TYPE_OFF,
    },
  },
  permissive: {
    description: "Only what no dataset can use: missing or broken images, empty alt-texts, text without a word",
    stages: ["image", "text"],
    spec: {
      image: {
        formats: ANY_FORMAT, minSidePx: 0, minSideInclusive: true, maxAspectRatio: null, minFileBytes: null,
        maxPixels: DEFAULT_MAX_PIXELS, nsfw: false, maxNsfwScore: 1,
      },
      text: TEXT_OFF,
      grounding: GROUNDING,
      transform: NO_TRANSFORM,
      "entity-type": ENTITY_TYPE_OFF,
    },
  },
};

/** A resolved configuration: what a run records in funnel.json. */
export interface ResolvedConfig {
  preset: PresetName;
  stages: StageId[];
  config: FilterConfig;
  overrides: string[];
  /** "stage.option" -> the paper and section its value comes from; options not listed are ours. */
  provenance: Record<string, string>;
}

export function checkPreset(name: string): PresetName {
  if (!(PRESET_NAMES as readonly string[]).includes(name)) {
    throw new FilterConfigError(`unknown preset ${JSON.stringify(name)}; valid: ${PRESET_NAMES.join(", ")}`);
  }
  return name as PresetName;
}

export function checkStages(names: readonly string[]): StageId[] {
  const unknown = names.filter((s) => !(STAGES as readonly string[]).includes(s));
  if (unknown.length) throw new FilterConfigError(`unknown stage(s) ${unknown.join(", ")}; valid: ${STAGES.join(", ")}`);
  return STAGES.filter((s) => names.includes(s));
}

/** A preset with overrides applied; an overridden paper value loses its provenance. */
export function resolveConfig(preset: string, options: { overrides?: readonly string[]; stages?: readonly string[] } = {}): ResolvedConfig {
  const name = checkPreset(preset);
  const definition = PRESETS[name];
  const stages = options.stages ? checkStages(options.stages) : [...definition.stages];
  const { config, provenance } = resolveSpec(definition.spec, stages);
  const overrides = [...(options.overrides ?? [])];
  const applied = applyOverrides(config, overrides);
  for (const o of overrides) delete provenance[o.slice(0, o.indexOf("=")).trim()];
  return { preset: name, stages, config: applied, overrides, provenance };
}
