/** Shared fixtures for the filter tests: the real lexicon (packages + WordNet), and feature records built around a rule's threshold. */
import { filterCandidate, resolveConfig, type CandidateResult, type TextFeatures, type TextOptions } from "../../../src/lib/filter/index.js";
import { loadLexicon } from "../../../src/lib/filter/node.js";

export const lexicon = () => loadLexicon();

export const cc3mText = (): TextOptions => resolveConfig("cc3m").config.text;

/** Text features of a clean sentence that every CC3M text rule keeps; tests change one field at a time. */
export function passingText(overrides: Partial<TextFeatures> = {}): TextFeatures {
  return {
    alt_present: true, text_clean: "A dog on the beach", cropped: null, words: 5, chars: 18, boilerplate: null, file_name: false,
    hashtags: 0, list_segments: 1, short_segments: 0, language: "eng", english_share: 1, determiners: 2, nouns: 2, prepositions: 1,
    proper_nouns: 0, noun_ratio: 0.4, repetition: 0, first_capitalized: true, capitalized_ratio: 0.2, rarest_word_count: 1e5,
    rarest_word: "beach", polarity: 0, profanity_rating: -1, profanity_word: null, ...overrides,
  };
}

/**
 * The pipeline's own verdict on one alt-text: filterCandidate with the preset's text and transform
 * stages only, every rule recorded (what the hypernymization page's text box must agree with).
 */
export async function pipelineTextVerdict(alt: string | null, preset = "cc3m"): Promise<CandidateResult> {
  const lex = await loadLexicon();
  const resolved = resolveConfig(preset, { stages: ["text", "transform"] });
  return filterCandidate({ id: "typed", alt, url: null }, {
    resolved, skipped: {}, lexicon: lex, wordnet: lex.wordnet, models: { nsfw: null, labelers: [] }, allReasons: true,
  });
}
