import { PAPERS, ref, type Reference } from "./source.js";

const CC = PAPERS.conceptualCaptions;
const CC12M = PAPERS.cc12m;

/** The stages of the Conceptual Captions pipeline, in the order candidates meet them. */
export type CcStageId = "image" | "text" | "image-text" | "transformation" | "entity-type";

export interface AttritionStage {
  id: CcStageId;
  label: string;
  /** Fraction of the candidates entering this stage that leave it kept. */
  passRate: Reference;
  /** The paper's own wording, so a reader can see how loose the figure is. */
  statement: string;
}

/**
 * Per-stage attrition as the paper states it (section 3). The rates are
 * approximate and do not multiply to the stated overall yield: see OVERALL_YIELD.
 */
export const ATTRITION_STAGES: readonly AttritionStage[] = [
  {
    id: "image",
    label: "Image-based filtering",
    passRate: ref(0.35, "fraction kept", CC, "§3, image-based filtering", {
      approximate: true,
      note: "the paper says the image filters remove more than 65% of candidates",
    }),
    statement: "removes more than 65% of the candidates",
  },
  {
    id: "text",
    label: "Text-based filtering",
    passRate: ref(0.03, "fraction kept", CC, "§3, text-based filtering", {
      approximate: true,
      note: "about 3% of the alt-texts that reach this stage pass it",
    }),
    statement: "passes about 3% of incoming candidates",
  },
  {
    id: "image-text",
    label: "Image-text grounding",
    passRate: ref(0.4, "fraction kept", CC, "§3, image&text-based filtering", {
      approximate: true,
      note: "the label/token match removes about 60% of incoming candidates",
    }),
    statement: "removes about 60% of incoming candidates",
  },
  {
    id: "transformation",
    label: "Text transformation (hypernymization)",
    passRate: ref(0.8, "fraction kept", CC, "§3, text transformation with hypernymization", {
      approximate: true,
      note: "about 20% of samples are dropped as too short or inconsistent",
    }),
    statement: "drops about 20% of samples",
  },
  {
    id: "entity-type",
    label: "Entity-type frequency filter",
    passRate: ref(0.55, "fraction kept", CC, "§3, text transformation (entity-type counts)", {
      approximate: true,
      note: "keeps a pair only when each of its entity types occurs more than 100 times",
    }),
    statement: "keeps about 55% of samples",
  },
] as const;

/** Overall yield of stages 1–3 as stated; the per-stage rates give 0.35 × 0.03 × 0.40 = 0.42% instead. */
export const OVERALL_YIELD: Reference = ref(0.002, "fraction kept", CC, "§3, pipeline overview", {
  approximate: true,
  note: "about 0.2% of image/alt-text pairs pass stages 1–3; the stage rates do not multiply exactly to this",
});

export const INPUT_IMAGES: Reference = ref(5e9, "images", CC, "§3, pipeline overview", {
  approximate: true,
  note: "about 5 billion images",
});

export const INPUT_PAGES: Reference = ref(1e9, "English web pages", CC, "§3, pipeline overview", {
  approximate: true,
  note: "about 1 billion English web pages",
});

export const RELEASED_TRAIN_PAIRS: Reference = ref(3_318_333, "image/caption pairs", CC, "released training split");

export const VALIDATION_PAIRS: Reference = ref(15_840, "image/caption pairs", CC, "public release, validation split");

export const HUMAN_GOOD_RATE: Reference = ref(0.9, "fraction of pairs", CC, "§3, dataset quality (4,000-pair human evaluation)", {
  approximate: true,
  note: "over 90% of a 4,000-pair sample got a majority of GOOD ratings from 3 raters",
});

export const ENTITY_TYPES_REMAINING: Reference = ref(16_000, "entity types", CC, "§3, text transformation", { approximate: true });

export const ENTITY_TYPE_MIN_COUNT: Reference = ref(100, "occurrences (exclusive)", CC, "§3, text transformation", {
  note: "applies to the full 3.3M-scale corpus; scale it with the input size",
});

/** The thresholds the CC3M paper states as numbers; the rest are ours (documented per option). */
export const CC3M_RULES = {
  minSidePx: ref(400, "px (exclusive)", CC, "§3, image-based filtering", { note: "both width and height must exceed it" }),
  maxAspectRatio: ref(2, "max(w,h)/min(w,h)", CC, "§3, image-based filtering"),
  rareWordMinWikipediaCount: ref(5, "occurrences in English Wikipedia", CC, "§3, text-based filtering"),
  imageLabelsPerImage: ref([5, 20] as const, "labels (typical range)", CC, "§3, image&text-based filtering", { approximate: true }),
  cloudVisionVocabulary: ref(1e5, "labels", CC, "§3, image&text-based filtering", { approximate: true }),
  transformationDropRate: ref(0.2, "fraction dropped", CC, "§3, text transformation", { approximate: true }),
} as const;

/** What Conceptual 12M relaxed relative to CC3M (its dataset-construction section). */
export const CC12M_RULES = {
  minSidePx: ref(400, "px (exclusive)", CC12M, "dataset construction (relaxed CC3M filters)"),
  maxAspectRatio: ref(2.5, "max(w,h)/min(w,h)", CC12M, "dataset construction (relaxed CC3M filters)"),
  minWords: ref(3, "words", CC12M, "dataset construction (relaxed CC3M filters)"),
  maxWords: ref(256, "words", CC12M, "dataset construction (relaxed CC3M filters)"),
  maxWordRepetitionFraction: ref(0.2, "fraction of tokens", CC12M, "dataset construction (relaxed CC3M filters)"),
  rareWordMinCount: ref(20, "occurrences", CC12M, "dataset construction (relaxed CC3M filters)"),
  personNameReplacedShare: ref(0.25, "fraction of alt-texts", CC12M, "dataset construction (relaxed CC3M filters)", { approximate: true }),
  releasedPairs: ref(12_423_374, "image/caption pairs", CC12M, "released dataset size"),
} as const;
