/**
 * Every text and transform rule's verdict on one alt-text, with the feature value it read and the
 * threshold it compared against, for a reader to see why (the hypernymization page's text box).
 * Verdicts come from the rules themselves (TEXT_RULES, TRANSFORM_RULES); this module only words
 * their inputs. The stages run as filterCandidate runs them: the text stage on the alt-text, the
 * transform on the text stage's cleaned text, both always (as with allReasons).
 */
import type { FilterConfig, TextOptions, TransformOptions } from "./config.js";
import type { Lexicon } from "./lexicon.js";
import type { Reason, Rule, Status } from "./reasons.js";
import { TEXT_RULES, textFeatures, type TextFeatures } from "./text.js";
import { TRANSFORM_RULES, transformCaption, type TransformFeatures } from "./transform.js";

export interface RuleVerdict {
  stage: "text" | "transform";
  reason: Reason;
  rejects: boolean;
  /** What the rule reads ("noun ratio"). */
  feature: string;
  /** Its value for this alt-text, as shown. */
  value: string;
  /** What passes under the options ("≤ 0.6"), or "off" when the options switch the rule off. */
  threshold: string;
}

interface Wording<F, O> {
  feature: string;
  value(f: F): string;
  threshold(o: O): string;
}

const OFF = "off";
/** A number as shown: whole numbers as they are, large ones rounded, others to 3 significant digits. */
export function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 1000) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}
const atLeast = (n: number | null) => (n === null ? OFF : `≥ ${formatValue(n)}`);
const atMost = (n: number | null) => (n === null ? OFF : `≤ ${formatValue(n)}`);
const required = (on: boolean, what: string) => (on ? what : OFF);
const yesNo = (b: boolean) => (b ? "yes" : "no");

const TEXT_WORDING: Readonly<Partial<Record<Reason, Wording<TextFeatures, TextOptions>>>> = {
  alt_missing: { feature: "alt attribute", value: (f) => (!f.alt_present ? "absent" : f.text_clean.length === 0 && f.cropped === null ? "empty" : "present"), threshold: () => "present, not empty" },
  boilerplate_pattern: { feature: "boilerplate pattern", value: (f) => f.boilerplate ?? "none", threshold: (o) => required(o.rejectBoilerplate, "none") },
  no_words: { feature: "has a word with a letter", value: (f) => yesNo(/\p{L}/u.test(f.text_clean)), threshold: () => "yes" },
  too_few_words: { feature: "words", value: (f) => formatValue(f.words), threshold: (o) => atLeast(o.minWords) },
  too_many_words: { feature: "words", value: (f) => formatValue(f.words), threshold: (o) => atMost(o.maxWords) },
  too_few_chars: { feature: "characters", value: (f) => formatValue(f.chars), threshold: (o) => atLeast(o.minChars) },
  too_many_chars: { feature: "characters", value: (f) => formatValue(f.chars), threshold: (o) => atMost(o.maxChars) },
  file_name: { feature: "is a file name", value: (f) => yesNo(f.file_name), threshold: (o) => required(o.rejectFileNames, "no") },
  hashtags: { feature: "hashtags", value: (f) => formatValue(f.hashtags), threshold: (o) => atMost(o.maxHashtags) },
  seo_keywords: {
    feature: "short segments / list segments",
    value: (f) => `${f.short_segments} / ${f.list_segments}`,
    threshold: (o) => (o.seoMinSegments === null ? OFF : `short < ${o.seoMinSegments} or < 75% of segments`),
  },
  not_english: {
    feature: "language guess, English-word share",
    value: (f) => `${f.language}, ${formatValue(f.english_share)}`,
    threshold: (o) => required(o.requireEnglish, `eng, or share ≥ ${formatValue(o.minEnglishShare)}`),
  },
  no_determiner: { feature: "determiners", value: (f) => formatValue(f.determiners), threshold: (o) => required(o.requireDeterminer, "≥ 1") },
  no_noun: { feature: "nouns", value: (f) => formatValue(f.nouns), threshold: (o) => required(o.requireNoun, "≥ 1") },
  no_preposition: { feature: "prepositions", value: (f) => formatValue(f.prepositions), threshold: (o) => required(o.requirePreposition, "≥ 1") },
  noun_ratio: { feature: "noun ratio", value: (f) => formatValue(f.noun_ratio), threshold: (o) => atMost(o.maxNounRatio) },
  repetition: { feature: "repetition", value: (f) => formatValue(f.repetition), threshold: (o) => atMost(o.maxRepetition) },
  first_word_lowercase: { feature: "first word capitalised", value: (f) => yesNo(f.first_capitalized), threshold: (o) => required(o.requireCapitalizedFirst, "yes") },
  capitalized_ratio: { feature: "capitalised-word ratio", value: (f) => formatValue(f.capitalized_ratio), threshold: (o) => atMost(o.maxCapitalizedRatio) },
  rare_word: {
    feature: "rarest word, estimated Wikipedia count",
    value: (f) => (f.rarest_word === null ? "no word" : `${f.rarest_word}: ${formatValue(f.rarest_word_count)}`),
    threshold: (o) => atLeast(o.rareWordMinCount),
  },
  sentiment_polarity: { feature: "|polarity|", value: (f) => formatValue(Math.abs(f.polarity)), threshold: (o) => atMost(o.maxAbsPolarity) },
  profanity: {
    feature: "profanity rating",
    value: (f) => (f.profanity_word === null ? "none" : `${f.profanity_word}: ${f.profanity_rating}`),
    threshold: (o) => (o.profanityMinRating === null ? OFF : `< ${o.profanityMinRating}`),
  },
};

const TRANSFORM_WORDING: Readonly<Partial<Record<Reason, Wording<TransformFeatures, TransformOptions>>>> = {
  unresolved_entity: { feature: "unresolved proper nouns", value: (f) => formatValue(f.unresolved), threshold: (o) => atMost(o.maxUnresolved) },
  too_short_after_transform: { feature: "words after the transform", value: (f) => formatValue(f.out_words), threshold: (o) => `≥ ${o.minWords}` },
};

/** Every rule's verdict in rule order; throws when a rule has no wording (a new rule must be worded here). */
export function explainRules<F, O>(stage: RuleVerdict["stage"], rules: readonly Rule<F, O>[], wording: Readonly<Partial<Record<Reason, Wording<F, O>>>>, features: F, options: O): RuleVerdict[] {
  return rules.map((rule) => {
    const w = wording[rule.reason];
    if (!w) throw new Error(`explainRules: the ${stage} rule ${rule.reason} has no wording in explain.ts`);
    return { stage, reason: rule.reason, rejects: rule.rejects(features, options), feature: w.feature, value: w.value(features), threshold: w.threshold(options) };
  });
}

export const explainText = (f: TextFeatures, o: TextOptions): RuleVerdict[] => explainRules("text", TEXT_RULES, TEXT_WORDING, f, o);
export const explainTransform = (f: TransformFeatures, o: TransformOptions): RuleVerdict[] => explainRules("transform", TRANSFORM_RULES, TRANSFORM_WORDING, f, o);

export interface AltTextCheck {
  text: TextFeatures;
  transform: TransformFeatures;
  /** Text rules, then transform rules, each with its verdict. */
  rules: RuleVerdict[];
  /** "kept", or the first rejecting rule over the two stages (image and grounding need the image: not judged). */
  status: Status;
}

/** The text stage and the transform on one alt-text, every rule judged; `cache` memoises vocabulary lookups. */
export function checkAltText(alt: string | null, lexicon: Lexicon, config: Pick<FilterConfig, "text" | "transform">, cache?: Map<string, number>): AltTextCheck {
  const text = textFeatures(alt, lexicon, cache);
  const transform = transformCaption(text.text_clean, config.transform.mode, lexicon.wordnet);
  const rules = [...explainText(text, config.text), ...explainTransform(transform, config.transform)];
  return { text, transform, rules, status: rules.find((r) => r.rejects)?.reason ?? "kept" };
}
