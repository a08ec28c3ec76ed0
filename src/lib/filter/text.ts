/**
 * Stage 2, text-based filtering of the alt-text (paper §3). Two steps, kept apart so stored
 * features can be re-thresholded without re-running the NLP: `textFeatures()` (normalise, crop
 * boilerplate, part-of-speech with compromise, language with franc, counts against the lexicon)
 * and `textDecision()` (the pure rules declared below, in TEXT_RULES order: cheap structural checks, then
 * language, then the paper's rules in its order); `textStage()` runs them as the pipeline does, tagging only
 * the texts that the rules before part of speech keep.
 *
 * Bounded work: part-of-speech and lexicon counts look at the first MAX_ANALYZED_WORDS words, so a
 * 10,000-word alt-text costs what a 256-word one does; word and character counts cover all of it.
 * `file_name` and the SEO list segments are not stored columns: the SQL derives them from the stored
 * text with the same patterns.
 */
import { CC3M_RULES } from "../reference/index.js";
import {
  CAMERA, FILE_NAME_MAX_CHARS, FILE_NAME_MAX_WORDS, IMAGE_EXT, LIST_SEPARATOR, NUMBERED, SHORT_SEGMENT_WORDS, boilerplateMatch, countHashtags, cropBoilerplate, isFileName, listSegments,
} from "./boilerplate.js";
import { francLanguage } from "./franc-fast.js";
import { estimatedCount, vocabularyTokens, type Lexicon } from "./lexicon.js";
import { normalizeAltText } from "./normalize.js";
import { KEEP, decide, type Decision } from "./reasons.js";
import {
  OFF, atLeast, atMost, formatValue, limit, num, on, required, ruleFor, shownOrNone, stageDecl, str, when, yesNo,
  type DerivedColumn, type StageOptions,
} from "./rules/declare.js";
import { col, type StageOf } from "./stage.js";
import { tagMany, tagTerms } from "./tagging.js";

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

/** Words given to the part-of-speech tagger and the lexicon (the rest are only counted). */
export const MAX_ANALYZED_WORDS = 256;

export interface TextFeatures {
  /** Whether the candidate had an alt attribute at all. */
  alt_present: boolean;
  /** The normalised text after boilerplate cropping: what the rules judge and the transform rewrites. */
  text_clean: string;
  /** What the boilerplate crop removed, or null. */
  cropped: string | null;
  words: number;
  chars: number;
  /** The reject pattern the text begins or ends with, or null. */
  boilerplate: string | null;
  file_name: boolean;
  hashtags: number;
  list_segments: number;
  short_segments: number;
  /** franc's ISO 639-3 guess ("eng", "spa", ...; "und" when too short to tell). */
  language: string;
  /** Share of lower-case words the vocabulary knows (all words when fewer than two are lower case). */
  english_share: number;
  /**
   * Part-of-speech counts (compromise), over the analysed words. Null where the pipeline did not tag the text: a rule
   * before the part-of-speech rules rejected it and only the first reason was asked (textStage).
   */
  determiners: number | null;
  nouns: number | null;
  prepositions: number | null;
  proper_nouns: number | null;
  /** nouns / analysed words. */
  noun_ratio: number | null;
  /** Tokens repeating an earlier content word / analysed words. */
  repetition: number;
  first_capitalized: boolean;
  /** Words starting with a capital / words with a letter. */
  capitalized_ratio: number;
  /** Smallest estimated English Wikipedia count among the words (lexicon.ts says how it is estimated; 1e12 when there are none). */
  rarest_word_count: number;
  rarest_word: string | null;
  /** Sum of AFINN valences / (5 × words), in [-1, 1]. */
  polarity: number;
  /** Highest profanity rating found (-1: none). */
  profanity_rating: number;
  profanity_word: string | null;
}

/** Function words: never counted as content-word repetition. */
const FUNCTION_WORDS = new Set(
  ("a an the this that these those some any each every all both no another other and or but nor so yet as if than of in on at to for with by from " +
    "into onto over under above below up down out off near behind beside between through across along around about against among " +
    "is are was were be been being am do does did has have had will would can could may might must it its he she they them his her their " +
    "we our you your i me my there here what which who whom whose when where while very too also just not").split(" "),
);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;
const ALNUM = /[\p{L}\p{N}]/u;
const NO_COUNT = 1e12;

/** Each table's phrases of two or three words by their first word (a phrase is looked up only where its first word is). */
const phraseStarts = new WeakMap<object, Set<string>>();

function startsOf(table: Readonly<Record<string, number>>): Set<string> {
  let starts = phraseStarts.get(table);
  if (starts === undefined) {
    starts = new Set(Object.keys(table).filter((k) => k.includes(" ")).map((k) => k.slice(0, k.indexOf(" "))));
    phraseStarts.set(table, starts);
  }
  return starts;
}

/** The highest-rated (by `pick`) phrase of one to three words, shortest phrases first, earliest first among equals. */
function maxRatedPhrase(words: readonly string[], table: Readonly<Record<string, number>>, pick: (a: number, b: number) => boolean): { value: number; phrase: string | null } {
  let best: { value: number; phrase: string | null } = { value: Number.NaN, phrase: null };
  const starts = startsOf(table);
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= words.length; i++) {
      if (n > 1 && !starts.has(words[i]!)) continue;
      const phrase = n === 1 ? words[i]! : words.slice(i, i + n).join(" ");
      const v = Object.hasOwn(table, phrase) ? table[phrase] : undefined;
      if (v !== undefined && (best.phrase === null || pick(v, best.value))) best = { value: v, phrase };
    }
  }
  return best;
}

/** What the features are computed from: the alt-text normalised and cropped, its words, and what the tagger reads. */
interface TextInput {
  present: boolean;
  text: string;
  cropped: string | null;
  allWords: string[];
  analyzed: string[];
  /** The analysed words as the tagger and franc read them (the text itself when it has no more words). */
  analyzedText: string;
  lettered: string[];
}

function textInput(alt: string | null | undefined): TextInput {
  const normal = normalizeAltText(alt ?? "");
  const { text, cropped } = cropBoilerplate(normal);
  const allWords = text.match(WORD) ?? [];
  const analyzed = allWords.slice(0, MAX_ANALYZED_WORDS);
  const analyzedText = analyzed.length < allWords.length ? analyzed.join(" ") : text;
  const lettered = analyzed.filter((w) => HAS_LETTER.test(w));
  return { present: alt !== null && alt !== undefined, text, cropped, allWords, analyzed, analyzedText, lettered };
}

/** Computes the text features of one alt-text (null or "" for a missing one), every one of them. Never throws. */
export function textFeatures(alt: string | null | undefined, lexicon: Lexicon, cache?: Map<string, number>): TextFeatures {
  const input = textInput(alt);
  return withPartsOfSpeech(featuresOf(input, lexicon, cache), input);
}

/** The features only the part-of-speech tagger gives: the costly part of the stage. */
const POS_FEATURES: readonly (keyof TextFeatures)[] = ["determiners", "nouns", "prepositions", "proper_nouns", "noun_ratio"];
/** The rules that run before the first one reading a part-of-speech feature. */
const BEFORE_POS = TEXT_RULES.slice(0, TEXT_RULES.findIndex((r) => r.reads.some((c) => (POS_FEATURES as readonly string[]).includes(c))));

/** One candidate's text features and the stage's decision on them. */
export interface TextVerdict {
  features: TextFeatures;
  decision: Decision;
}

/**
 * The text stage over several alt-texts, as the pipeline runs it, a batch at a time. Cheap rules first: a text that a
 * rule before the part-of-speech rules rejects is not tagged, and its part-of-speech features are null (unless `all`,
 * every rule's verdict, is asked: then every text is tagged). The others are tagged as one compromise document
 * (tagging.ts tagMany). Every decision, and every feature but those nulls, is what textFeatures() and textDecision() give.
 */
export function textStage(alts: readonly (string | null | undefined)[], lexicon: Lexicon, options: TextOptions, all = false, cache?: Map<string, number>): TextVerdict[] {
  const inputs = alts.map(textInput);
  const partial = inputs.map((i) => featuresOf(i, lexicon, cache));
  const early = partial.map((f) => (all ? KEEP : decide(BEFORE_POS, f, options)));
  tagMany(inputs.filter((i, k) => early[k]!.keep && i.lettered.length > 0).map((i) => i.analyzedText));
  return partial.map((f, k) => {
    if (!early[k]!.keep) return { features: f, decision: early[k]! };
    const features = withPartsOfSpeech(f, inputs[k]!);
    return { features, decision: textDecision(features, options, all) };
  });
}

/** The part-of-speech features, counted over the terms with a letter or digit in one pass. */
function withPartsOfSpeech(f: TextFeatures, input: TextInput): TextFeatures {
  let determiners = 0, nouns = 0, prepositions = 0, properNouns = 0;
  for (const t of input.lettered.length ? tagTerms(input.analyzedText) : []) {
    if (!ALNUM.test(t.text)) continue;
    const tags = t.tags;
    if (tags.includes("Determiner")) determiners++;
    if (tags.includes("Noun") && !tags.includes("Pronoun")) nouns++;
    if (tags.includes("Preposition")) prepositions++;
    if (tags.includes("ProperNoun")) properNouns++;
  }
  return { ...f, determiners, nouns, prepositions, proper_nouns: properNouns, noun_ratio: nouns / Math.max(1, input.analyzed.length) };
}

/** Every feature but the part-of-speech ones (null here). */
function featuresOf(input: TextInput, lexicon: Lexicon, cache?: Map<string, number>): TextFeatures {
  const { present, text, cropped, allWords, analyzed, analyzedText, lettered } = input;
  const lower = lettered.map((w) => w.toLowerCase().replace(/’/g, "'"));

  const words = allWords.length;
  const denominator = Math.max(1, analyzed.length);

  const content = lower.filter((w) => !FUNCTION_WORDS.has(w));
  const repetition = (content.length - new Set(content).size) / denominator;
  const capitals = lettered.filter((w) => /^\p{Lu}/u.test(w)).length;

  // The rare-word rule: the rarest token's estimated Wikipedia count (lexicon.ts: SUBTLEX-US, WordNet,
  // and name lists for capitalised words, so "Calista Flockhart" is attested and "calista" is not).
  let rarest = NO_COUNT;
  let rarestWord: string | null = null;
  for (const part of lettered.flatMap(vocabularyTokens)) {
    const count = estimatedCount(lexicon, part, cache);
    if (count < rarest) [rarest, rarestWord] = [count, part.toLowerCase()];
  }
  const lowerCaseWords = lettered.filter((w) => !/^\p{Lu}/u.test(w)).map((w) => w.toLowerCase());
  const shareOf = lowerCaseWords.length >= 2 ? lowerCaseWords : lower;
  const known = shareOf.filter((w) => estimatedCount(lexicon, w.replace(/’/g, "'"), cache) > 0).length;
  // Own keys only: an alt-text may say "constructor", which every object inherits (it made polarity NaN).
  const valenceSum = lower.reduce((s, w) => s + (Object.hasOwn(lexicon.valence, w) ? lexicon.valence[w]! : 0), 0);
  const profane = maxRatedPhrase(lower, lexicon.profanity, (a, b) => a > b);
  const segments = listSegments(text);

  return {
    alt_present: present,
    text_clean: text,
    cropped,
    words,
    chars: [...text].length,
    boilerplate: boilerplateMatch(text) ?? (cropped !== null && text.length === 0 ? cropped.toLowerCase() : null),
    file_name: isFileName(text),
    hashtags: countHashtags(text),
    list_segments: segments.segments,
    short_segments: segments.short,
    language: lettered.length ? francLanguage(analyzedText, 10) : "und",
    english_share: shareOf.length ? known / shareOf.length : 0,
    determiners: null,
    nouns: null,
    prepositions: null,
    proper_nouns: null,
    noun_ratio: null,
    repetition,
    first_capitalized: lettered.length > 0 && /^\p{Lu}/u.test(lettered[0]!),
    capitalized_ratio: lettered.length ? capitals / lettered.length : 0,
    rarest_word_count: rarest,
    rarest_word: rarestWord,
    polarity: Math.max(-1, Math.min(1, valenceSum / (5 * denominator))),
    profanity_rating: profane.phrase === null ? -1 : profane.value,
    profanity_word: profane.phrase,
  };
}


/** The text decision: first rejecting rule (every one with `all`). */
export function textDecision(features: TextFeatures, options: TextOptions, all = false): Decision {
  return decide(TEXT_RULES, features, options, all);
}

/** The text stage: features of the alt-text (the stored ones below; file name and list segments the SQL re-derives), then the rules. */
export const TEXT_STAGE: StageOf<typeof TEXT_DECL> = {
  decl: TEXT_DECL,
  resources: ["lexicon", "wordnet"],
  columns: [
    col("text_clean", "utf8", "alt-text normalised and boilerplate-cropped"),
    col("cropped", "utf8", "what the boilerplate crop removed"),
    col("words", "int32", "words in the text"),
    col("chars", "int32", "characters in the text"),
    col("boilerplate", "utf8", "boilerplate pattern the text begins or ends with"),
    col("hashtags", "int32", "hashtags"),
    col("language", "utf8", "franc language guess (ISO 639-3; und = too short)"),
    col("english_share", "float64", "share of words in the English vocabulary"),
    col("determiners", "int32", "determiners (compromise POS; null: not tagged, an earlier text rule rejected the text and the run was without --all-reasons)"),
    col("nouns", "int32", "nouns (compromise POS; null as determiners)"),
    col("prepositions", "int32", "prepositions (compromise POS; null as determiners)"),
    col("noun_ratio", "float64", "nouns / words (null as determiners)"),
    col("repetition", "float64", "repeated content tokens / words"),
    col("first_capitalized", "bool", "first word starts with a capital"),
    col("capitalized_ratio", "float64", "capitalized words / words"),
    col("rarest_word", "utf8", "the text's rarest word"),
    col("rarest_word_count", "float64", "its estimated English Wikipedia count (1e12: no word)"),
    col("polarity", "float64", "AFINN-165 valence sum / (5 × words)"),
    col("profanity_rating", "int32", "highest profanity-list rating found (-1 none)"),
  ],
  runBatch(candidates, rows, ctx) {
    if (!ctx.lexicon) throw new Error("filterCandidate: the text stage runs but the context has no lexicon");
    return textStage(candidates.map((c) => c.alt), ctx.lexicon, ctx.resolved.config.text, ctx.allReasons, ctx.cache).map(({ features, decision }, i) => {
      for (const { name } of TEXT_STAGE.columns) (rows[i] as unknown as Record<string, unknown>)[name] = features[name as keyof TextFeatures];
      return [decision];
    });
  },
};
