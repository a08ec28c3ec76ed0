/**
 * The stages and the closed union of reasons a candidate can be rejected for. Every candidate ends
 * with exactly one status: "kept", or the first reason that rejected it. The pipeline tallies by
 * these keys, so a reason that is not listed here cannot exist.
 */

/** Pipeline stages in the order candidates meet them. */
export const STAGES = ["image", "text", "grounding", "transform", "entity-type"] as const;
export type StageId = (typeof STAGES)[number];

/** Which of the reference's attrition stages (src/lib/reference ATTRITION_STAGES) each of ours reports against. */
export const REFERENCE_STAGE: Record<StageId, "image" | "text" | "image-text" | "transformation" | "entity-type"> = {
  image: "image",
  text: "text",
  grounding: "image-text",
  transform: "transformation",
  "entity-type": "entity-type",
};

export const REASONS = [
  // image: cheap header checks first, the model last
  "image_missing", "not_an_image", "bad_image_header", "truncated_image", "too_many_pixels",
  "format_not_allowed", "file_too_small", "image_too_small", "aspect_ratio", "undecodable", "nsfw",
  // text
  "alt_missing", "no_words", "too_few_words", "too_many_words", "too_few_chars", "too_many_chars",
  "boilerplate_pattern", "file_name", "hashtags", "seo_keywords", "not_english",
  "no_determiner", "no_noun", "no_preposition", "noun_ratio", "repetition",
  "first_word_lowercase", "capitalized_ratio", "rare_word", "sentiment_polarity", "profanity",
  // grounding
  "no_labels", "no_label_match",
  // transform
  "unresolved_entity", "too_short_after_transform",
  // entity-type
  "rare_entity_type",
] as const;
export type Reason = (typeof REASONS)[number];

/** A candidate's final status. */
export type Status = "kept" | Reason;

export interface ReasonInfo {
  stage: StageId;
  /** One line: what rejected the candidate. */
  description: string;
}

export const REASON_INFO: Record<Reason, ReasonInfo> = {
  image_missing: { stage: "image", description: "no image bytes for the candidate (404, not in the crawl, unreadable)" },
  not_an_image: { stage: "image", description: "bytes are not a JPEG, PNG, GIF, WebP or BMP by magic number" },
  bad_image_header: { stage: "image", description: "image header cut off or declaring a zero size" },
  truncated_image: { stage: "image", description: "image ends before its structure does (cut-off download)" },
  too_many_pixels: { stage: "image", description: "declared width × height above image.maxPixels (never decoded)" },
  format_not_allowed: { stage: "image", description: "format (by magic number) not in image.formats" },
  file_too_small: { stage: "image", description: "file smaller than image.minFileBytes" },
  image_too_small: { stage: "image", description: "shorter side below image.minSidePx" },
  aspect_ratio: { stage: "image", description: "max(w,h)/min(w,h) above image.maxAspectRatio" },
  undecodable: { stage: "image", description: "the header looked fine but decoding failed" },
  nsfw: { stage: "image", description: "NSFW score (porn + hentai + sexy) above image.maxNsfwScore" },
  alt_missing: { stage: "text", description: "no alt attribute, or an empty one" },
  no_words: { stage: "text", description: "no word with a letter in it (emoji only, punctuation, digits)" },
  too_few_words: { stage: "text", description: "fewer words than text.minWords" },
  too_many_words: { stage: "text", description: "more words than text.maxWords" },
  too_few_chars: { stage: "text", description: "fewer characters than text.minChars" },
  too_many_chars: { stage: "text", description: "more characters than text.maxChars" },
  boilerplate_pattern: { stage: "text", description: "begins or ends with a boilerplate pattern (\"profile photo\", \"embedded image permalink\")" },
  file_name: { stage: "text", description: "the alt-text is a file name (IMG_2041.JPG)" },
  hashtags: { stage: "text", description: "more hashtags than text.maxHashtags" },
  seo_keywords: { stage: "text", description: "a separator-delimited run of short keyword segments (SEO list)" },
  not_english: { stage: "text", description: "not English: language guess and English-word share" },
  no_determiner: { stage: "text", description: "no determiner" },
  no_noun: { stage: "text", description: "no noun" },
  no_preposition: { stage: "text", description: "no preposition" },
  noun_ratio: { stage: "text", description: "share of nouns above text.maxNounRatio" },
  repetition: { stage: "text", description: "share of repeated content tokens above text.maxRepetition" },
  first_word_lowercase: { stage: "text", description: "first word not capitalized" },
  capitalized_ratio: { stage: "text", description: "share of capitalized words above text.maxCapitalizedRatio" },
  rare_word: {
    stage: "text",
    description: "a word rarer than text.rareWordMinCount estimated English Wikipedia occurrences (SUBTLEX-US counts × 69; WordNet words and capitalised names from the US Census, GeoNames and WordNet instance lists ≈ 34; anything else, such as names no list has, 0)",
  },
  sentiment_polarity: { stage: "text", description: "|AFINN polarity| above text.maxAbsPolarity" },
  profanity: { stage: "text", description: "a word or phrase on the profanity/pornography list rated at least text.profanityMinRating" },
  no_labels: { stage: "grounding", description: "the labeler gave no label for the image" },
  no_label_match: { stage: "grounding", description: "no image label matches a caption token after stemming" },
  unresolved_entity: { stage: "transform", description: "a proper noun the hypernymizer could not resolve (more than transform.maxUnresolved)" },
  too_short_after_transform: { stage: "transform", description: "fewer than transform.minWords words after hypernymization" },
  rare_entity_type: { stage: "entity-type", description: "an entity type occurring no more than the (size-scaled) entity-type threshold" },
};

/** The reasons of one stage, in the order its rules run. */
export function reasonsOf(stage: StageId): Reason[] {
  return REASONS.filter((r) => REASON_INFO[r].stage === stage);
}

/** Pure filter outcome: keep, or the first reason (and optionally every reason that applies). */
export interface Decision {
  keep: boolean;
  reason: Reason | null;
  /** Every rule of the stage that would reject, in rule order (only when asked for). */
  reasons: Reason[];
}

export const KEEP: Decision = Object.freeze({ keep: true, reason: null, reasons: [] }) as Decision;

/**
 * Runs rules in order: the first that rejects is the reason; with `all`, the rest still run
 * and every rejecting rule is listed.
 */
export function decide<F, O>(rules: readonly Rule<F, O>[], features: F, options: O, all = false): Decision {
  const reasons: Reason[] = [];
  for (const rule of rules) {
    if (rule.rejects(features, options)) {
      reasons.push(rule.reason);
      if (!all) break;
    }
  }
  return reasons.length ? { keep: false, reason: reasons[0]!, reasons } : KEEP;
}

/** One rule: a pure predicate over a stage's stored features and its options. */
export interface Rule<F, O> {
  reason: Reason;
  rejects(features: F, options: O): boolean;
}
