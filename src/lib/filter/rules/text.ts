/**
 * The text stage's rules (paper §3, text-based filtering), in the order they run: cheap structural
 * checks, then language, then the paper's rules in its order. `file_name` and the SEO list segments
 * are not stored columns: the SQL derives them from the stored text with the same patterns.
 */
import { CC3M_RULES } from "../../reference/index.js";
import { CAMERA, FILE_NAME_MAX_CHARS, FILE_NAME_MAX_WORDS, IMAGE_EXT, LIST_SEPARATOR, NUMBERED, SHORT_SEGMENT_WORDS } from "../boilerplate.js";
import type { TextFeatures } from "../text.js";
import {
  OFF, atLeast, atMost, formatValue, limit, num, on, required, ruleFor, shownOrNone, stageDecl, str, when, yesNo,
  type DerivedColumn, type StageOptions,
} from "./declare.js";

const rule = ruleFor<TextFeatures>();
const NONE = {} as const;
const HAS_LETTER = /\p{L}/u;

/** A JavaScript pattern as a DuckDB (RE2) one; the patterns used here mean the same in both. */
const re = (r: RegExp): string => str(`${r.flags.includes("i") ? "(?i)" : ""}${r.source}`);
/** Segments of the stored text as SEO-list detection splits them (trimmed, empty ones dropped). */
const SEGMENTS = `list_filter(list_transform(string_split_regex(text_clean, ${re(LIST_SEPARATOR)}), p -> trim(p)), p -> length(p) > 0)`;
/** UTF-16 length, as JavaScript counts it: astral characters count twice. */
const UTF16_LENGTH = `(length(text_clean) + length(regexp_replace(text_clean, '[^\\x{10000}-\\x{10FFFF}]', '', 'g')))`;

const DERIVED: readonly DerivedColumn[] = [
  {
    name: "file_name",
    sql: `(${UTF16_LENGTH} BETWEEN 1 AND ${FILE_NAME_MAX_CHARS} AND ((regexp_matches(text_clean, ${re(IMAGE_EXT)}) AND NOT regexp_matches(text_clean, '\\s{2,}')
      AND len(string_split_regex(text_clean, '\\s+')) <= ${FILE_NAME_MAX_WORDS}) OR regexp_matches(text_clean, ${re(CAMERA)}) OR regexp_matches(text_clean, ${re(NUMBERED)})))`,
  },
  { name: "list_segments", sql: `len(${SEGMENTS})` },
  {
    name: "short_segments",
    sql: `CASE WHEN len(${SEGMENTS}) < 2 THEN 0 ELSE len(list_filter(${SEGMENTS}, p -> len(string_split_regex(p, '\\s+')) <= ${SHORT_SEGMENT_WORDS})) END`,
  },
];

const RULES = [
  rule({
    reason: "alt_missing", description: "no alt attribute, or an empty one", options: NONE, reads: ["alt_text", "text_clean", "cropped"],
    rejects: (f) => !f.alt_present || (f.text_clean.length === 0 && f.cropped === null),
    sql: () => "(alt_text IS NULL OR (text_clean = '' AND cropped IS NULL))",
    explain: { feature: "alt attribute", value: (f) => (!f.alt_present ? "absent" : f.text_clean.length === 0 && f.cropped === null ? "empty" : "present"), threshold: () => "present, not empty" },
  }),
  rule({
    reason: "boilerplate_pattern", description: "begins or ends with a boilerplate pattern (\"profile photo\", \"embedded image permalink\")", reads: ["boilerplate"],
    options: { rejectBoilerplate: { type: "boolean", default: true, doc: "reject texts beginning or ending with a boilerplate pattern" } },
    rejects: (f, o) => o.rejectBoilerplate && f.boilerplate !== null,
    sql: (o) => when(o.rejectBoilerplate, "boilerplate IS NOT NULL"),
    explain: { feature: "boilerplate pattern", value: (f) => f.boilerplate ?? "none", threshold: (o) => required(o.rejectBoilerplate, "none") },
    // Checked second, so a text cropped to nothing is named for its pattern; listed with the length rules.
    listedAfter: "too_many_chars",
  }),
  rule({
    reason: "no_words", description: "no word with a letter in it (emoji only, punctuation, digits)", options: NONE, reads: ["text_clean"],
    rejects: (f) => !HAS_LETTER.test(f.text_clean),
    sql: () => "(NOT regexp_matches(text_clean, '\\p{L}'))",
    explain: { feature: "has a word with a letter", value: (f) => yesNo(HAS_LETTER.test(f.text_clean)), threshold: () => "yes" },
  }),
  rule({
    reason: "too_few_words", description: "fewer words than text.minWords", reads: ["words"],
    options: { minWords: { type: "integer?", min: 0, default: null, doc: "fewest words kept; null = no limit" } },
    rejects: (f, o) => on(o.minWords) && f.words < o.minWords,
    sql: (o) => limit(o.minWords, (n) => `words < ${n}`),
    explain: { feature: "words", value: (f) => formatValue(f.words), threshold: (o) => atLeast(o.minWords) },
  }),
  rule({
    reason: "too_many_words", description: "more words than text.maxWords", reads: ["words"],
    options: { maxWords: { type: "integer?", min: 0, default: null, doc: "most words kept; null = no limit" } },
    rejects: (f, o) => on(o.maxWords) && f.words > o.maxWords,
    sql: (o) => limit(o.maxWords, (n) => `words > ${n}`),
    explain: { feature: "words", value: (f) => formatValue(f.words), threshold: (o) => atMost(o.maxWords) },
  }),
  rule({
    reason: "too_few_chars", description: "fewer characters than text.minChars", reads: ["chars"],
    options: { minChars: { type: "integer?", min: 0, default: null, doc: "fewest characters kept; null = no limit" } },
    rejects: (f, o) => on(o.minChars) && f.chars < o.minChars,
    sql: (o) => limit(o.minChars, (n) => `chars < ${n}`),
    explain: { feature: "characters", value: (f) => formatValue(f.chars), threshold: (o) => atLeast(o.minChars) },
  }),
  rule({
    reason: "too_many_chars", description: "more characters than text.maxChars", reads: ["chars"],
    options: { maxChars: { type: "integer?", min: 0, default: null, doc: "most characters kept; null = no limit" } },
    rejects: (f, o) => on(o.maxChars) && f.chars > o.maxChars,
    sql: (o) => limit(o.maxChars, (n) => `chars > ${n}`),
    explain: { feature: "characters", value: (f) => formatValue(f.chars), threshold: (o) => atMost(o.maxChars) },
  }),
  rule({
    reason: "file_name", description: "the alt-text is a file name (IMG_2041.JPG)", reads: ["file_name"],
    options: { rejectFileNames: { type: "boolean", default: true, doc: "reject alt-texts that are file names" } },
    rejects: (f, o) => o.rejectFileNames && f.file_name,
    sql: (o) => when(o.rejectFileNames, "file_name"),
    explain: { feature: "is a file name", value: (f) => yesNo(f.file_name), threshold: (o) => required(o.rejectFileNames, "no") },
  }),
  rule({
    reason: "hashtags", description: "more hashtags than text.maxHashtags", reads: ["hashtags"],
    options: { maxHashtags: { type: "integer?", min: 0, default: 0, doc: "most hashtags kept; null = no limit" } },
    rejects: (f, o) => on(o.maxHashtags) && f.hashtags > o.maxHashtags,
    sql: (o) => limit(o.maxHashtags, (n) => `hashtags > ${n}`),
    explain: { feature: "hashtags", value: (f) => formatValue(f.hashtags), threshold: (o) => atMost(o.maxHashtags) },
  }),
  rule({
    reason: "seo_keywords", description: "a separator-delimited run of short keyword segments (SEO list)", reads: ["short_segments", "list_segments"],
    options: { seoMinSegments: { type: "integer?", min: 2, default: 4, doc: "short separator-delimited segments that make an SEO list; null = rule off" } },
    rejects: (f, o) => on(o.seoMinSegments) && f.short_segments >= o.seoMinSegments && f.short_segments >= 0.75 * f.list_segments,
    sql: (o) => limit(o.seoMinSegments, (n) => `short_segments >= ${n} AND short_segments >= 0.75 * list_segments`),
    explain: {
      feature: "short segments / list segments", value: (f) => `${f.short_segments} / ${f.list_segments}`,
      threshold: (o) => (o.seoMinSegments === null ? OFF : `short < ${o.seoMinSegments} or < 75% of segments`),
    },
  }),
  rule({
    reason: "not_english", description: "not English: language guess and English-word share", reads: ["language", "english_share"], shown: "english_share",
    options: {
      requireEnglish: { type: "boolean", default: true, doc: "reject texts judged not English" },
      minEnglishShare: { type: "number", min: 0, max: 1, default: 0.9, doc: "English-word share needed when the language guess is not English" },
    },
    rejects: (f, o) => o.requireEnglish && f.language !== "eng" && f.english_share < o.minEnglishShare,
    sql: (o) => when(o.requireEnglish, `language <> 'eng' AND english_share < ${num(o.minEnglishShare)}`),
    explain: {
      feature: "language guess, English-word share", value: (f) => `${f.language}, ${formatValue(f.english_share)}`,
      threshold: (o) => required(o.requireEnglish, `eng, or share ≥ ${formatValue(o.minEnglishShare)}`),
    },
  }),
  rule({
    reason: "no_determiner", description: "no determiner", reads: ["determiners"],
    options: { requireDeterminer: { type: "boolean", default: true, doc: "reject texts without a determiner" } },
    rejects: (f, o) => o.requireDeterminer && f.determiners === 0,
    sql: (o) => when(o.requireDeterminer, "determiners = 0"),
    explain: { feature: "determiners", value: (f) => shownOrNone(f.determiners), threshold: (o) => required(o.requireDeterminer, "≥ 1") },
  }),
  rule({
    reason: "no_noun", description: "no noun", reads: ["nouns"],
    options: { requireNoun: { type: "boolean", default: true, doc: "reject texts without a noun" } },
    rejects: (f, o) => o.requireNoun && f.nouns === 0,
    sql: (o) => when(o.requireNoun, "nouns = 0"),
    explain: { feature: "nouns", value: (f) => shownOrNone(f.nouns), threshold: (o) => required(o.requireNoun, "≥ 1") },
  }),
  rule({
    reason: "no_preposition", description: "no preposition", reads: ["prepositions"],
    options: { requirePreposition: { type: "boolean", default: true, doc: "reject texts without a preposition" } },
    rejects: (f, o) => o.requirePreposition && f.prepositions === 0,
    sql: (o) => when(o.requirePreposition, "prepositions = 0"),
    explain: { feature: "prepositions", value: (f) => shownOrNone(f.prepositions), threshold: (o) => required(o.requirePreposition, "≥ 1") },
  }),
  rule({
    reason: "noun_ratio", description: "share of nouns above text.maxNounRatio", reads: ["noun_ratio"],
    options: { maxNounRatio: { type: "number?", min: 0, max: 1, default: 0.6, doc: "largest share of nouns among words; null = no limit" } },
    rejects: (f, o) => on(o.maxNounRatio) && f.noun_ratio !== null && f.noun_ratio > o.maxNounRatio,
    sql: (o) => limit(o.maxNounRatio, (n) => `noun_ratio > ${n}`),
    explain: { feature: "noun ratio", value: (f) => shownOrNone(f.noun_ratio), threshold: (o) => atMost(o.maxNounRatio) },
  }),
  rule({
    reason: "repetition", description: "share of repeated content tokens above text.maxRepetition", reads: ["repetition"],
    options: { maxRepetition: { type: "number?", min: 0, max: 1, default: 0.2, doc: "largest share of tokens repeating an earlier content word; null = no limit" } },
    rejects: (f, o) => on(o.maxRepetition) && f.repetition > o.maxRepetition,
    sql: (o) => limit(o.maxRepetition, (n) => `repetition > ${n}`),
    explain: { feature: "repetition", value: (f) => formatValue(f.repetition), threshold: (o) => atMost(o.maxRepetition) },
  }),
  rule({
    reason: "first_word_lowercase", description: "first word not capitalized", reads: ["first_capitalized"],
    options: { requireCapitalizedFirst: { type: "boolean", default: true, doc: "reject texts whose first word is not capitalized" } },
    rejects: (f, o) => o.requireCapitalizedFirst && !f.first_capitalized,
    sql: (o) => when(o.requireCapitalizedFirst, "NOT first_capitalized"),
    explain: { feature: "first word capitalised", value: (f) => yesNo(f.first_capitalized), threshold: (o) => required(o.requireCapitalizedFirst, "yes") },
  }),
  rule({
    reason: "capitalized_ratio", description: "share of capitalized words above text.maxCapitalizedRatio", reads: ["capitalized_ratio"],
    options: { maxCapitalizedRatio: { type: "number?", min: 0, max: 1, default: 0.7, doc: "largest share of capitalized words; null = no limit" } },
    rejects: (f, o) => on(o.maxCapitalizedRatio) && f.capitalized_ratio > o.maxCapitalizedRatio,
    sql: (o) => limit(o.maxCapitalizedRatio, (n) => `capitalized_ratio > ${n}`),
    explain: { feature: "capitalised-word ratio", value: (f) => formatValue(f.capitalized_ratio), threshold: (o) => atMost(o.maxCapitalizedRatio) },
  }),
  rule({
    reason: "rare_word",
    description: "a word rarer than text.rareWordMinCount estimated English Wikipedia occurrences (SUBTLEX-US counts × 69; WordNet words and capitalised names from the US Census, GeoNames and WordNet instance lists ≈ 34; anything else, such as names no list has, 0)",
    reads: ["rarest_word_count"],
    options: {
      rareWordMinCount: { type: "number?", min: 0, default: CC3M_RULES.rareWordMinWikipediaCount, doc: "a word is rare below this many estimated English Wikipedia occurrences; null = rule off" },
    },
    rejects: (f, o) => on(o.rareWordMinCount) && f.rarest_word_count < o.rareWordMinCount,
    sql: (o) => limit(o.rareWordMinCount, (n) => `rarest_word_count < ${n}`),
    explain: {
      feature: "rarest word, estimated Wikipedia count",
      value: (f) => (f.rarest_word === null ? "no word" : `${f.rarest_word}: ${formatValue(f.rarest_word_count)}`),
      threshold: (o) => atLeast(o.rareWordMinCount),
    },
  }),
  rule({
    reason: "sentiment_polarity", description: "|AFINN polarity| above text.maxAbsPolarity", reads: ["polarity"],
    options: { maxAbsPolarity: { type: "number?", min: 0, max: 1, default: 0.3, doc: "largest |AFINN polarity| (sum of valences / (5 × words)); null = rule off" } },
    rejects: (f, o) => on(o.maxAbsPolarity) && Math.abs(f.polarity) > o.maxAbsPolarity,
    sql: (o) => limit(o.maxAbsPolarity, (n) => `abs(polarity) > ${n}`),
    explain: { feature: "|polarity|", value: (f) => formatValue(Math.abs(f.polarity)), threshold: (o) => atMost(o.maxAbsPolarity) },
  }),
  rule({
    reason: "profanity", description: "a word or phrase on the profanity/pornography list rated at least text.profanityMinRating", reads: ["profanity_rating"],
    options: { profanityMinRating: { type: "integer?", min: 0, max: 2, default: 1, doc: "profanity-list rating that rejects (0 maybe, 1 likely, 2 sure); null = rule off" } },
    rejects: (f, o) => on(o.profanityMinRating) && f.profanity_rating >= o.profanityMinRating,
    sql: (o) => limit(o.profanityMinRating, (n) => `profanity_rating >= ${n}`),
    explain: {
      feature: "profanity rating", value: (f) => (f.profanity_word === null ? "none" : `${f.profanity_word}: ${f.profanity_rating}`),
      threshold: (o) => (o.profanityMinRating === null ? OFF : `< ${o.profanityMinRating}`),
    },
  }),
] as const;

export type TextOptions = StageOptions<typeof NONE, typeof RULES>;
export type TextReason = (typeof RULES)[number]["reason"];
export const TEXT_RULES = RULES;

export const TEXT_DECL = stageDecl<TextFeatures, TextOptions>()({
  id: "text", description: "the alt-text's words, language, part of speech, rare words, sentiment, profanity and boilerplate", reference: "text",
  optIn: false, level: "candidate", options: NONE, rules: RULES, derived: DERIVED,
});
