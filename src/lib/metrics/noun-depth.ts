/**
 * Noun depth for caption specificity: how far a caption noun's most frequent sense sits below
 * "entity" in WordNet. The WordNet parser and lookups live in src/lib/wordnet (one implementation).
 */
import { baseForms, NOUN_SUFFIXES, synsetDepth, VERB_SUFFIXES, type PartOfSpeech, type WordNet } from "../wordnet/index.js";
import { singularize } from "./singularize.js";

/** The first candidate form that has senses in this part of speech, with its tagged-corpus count. */
function lookupCount(wn: WordNet, forms: readonly string[], pos: PartOfSpeech): number | undefined {
  for (const form of forms) {
    const count = wn.tagCounts.get(form)?.[pos];
    if (count !== undefined) return count;
  }
  return undefined;
}

/**
 * Closed-class words that WordNet also lists as nouns ("a" = vitamin A, "in" = inch, "it" = information
 * technology) and number words: never counted as the caption's nouns.
 */
const FUNCTION_WORDS = new Set(
  ("a an the this that these those some any each every all both no another other such what which who whom whose " +
    "i me my we us our you your he him his she her it its they them their there here " +
    "in on at of to for with by from into onto over under above below up down out off near next behind beside " +
    "between through across along around about against among inside outside upon toward towards " +
    "and or but nor so yet as if than then when where while is are was were be been being am do does did " +
    "has have had will would can could may might must shall should not very too also just only " +
    "one two three four five six seven eight nine ten eleven twelve dozen several many few lot much more most " +
    "'s n't 're 'll 've 'm 'd").split(" "),
);

/** A token counted as a noun, with its WordNet lemma and depth. */
export interface NounDepth {
  word: string;
  lemma: string;
  depth: number;
}

/** Words after which the next word is read as a noun even when its verb senses are more common ("the graduates"). */
const NOUN_CONTEXT = new Set(
  "a an the this that these those some any each every all both no his her their its our my your 's of two three four five six seven eight nine ten several many few".split(" "),
);

/**
 * nounDepth(): the WordNet depth of a caption token when it is used as a noun, else undefined. Without a
 * tagger, a token counts as a noun when WordNet has it as one and its noun senses occur in WordNet's
 * tagged corpus at least as often as its adjective, adverb and verb senses: "dog" and "man" yes,
 * "sitting" (verb "sit") and "white" (adjective) no. After a determiner or number (`previous`), a verb
 * reading is ruled out ("two graduates").
 */
export function nounDepth(wn: WordNet, token: string, previous?: string): NounDepth | undefined {
  const word = token.toLowerCase();
  if (FUNCTION_WORDS.has(word) || !/^[a-z][a-z'-]*$/.test(word)) return undefined;
  const forms = [singularize(word), ...baseForms(word, NOUN_SUFFIXES)];
  const lemma = forms.find((form) => wn.nouns.has(form));
  const entry = lemma === undefined ? undefined : wn.nouns.get(lemma);
  if (lemma === undefined || !entry || entry.offsets.length === 0) return undefined;
  const count = lookupCount(wn, [lemma], "noun") ?? 0;
  const beats = (rival: number | undefined) => rival !== undefined && rival > count;
  if (beats(lookupCount(wn, [word], "adjective")) || beats(lookupCount(wn, [word], "adverb"))) return undefined;
  const afterDeterminer = previous !== undefined && NOUN_CONTEXT.has(previous.toLowerCase());
  if (!afterDeterminer && beats(lookupCount(wn, baseForms(word, VERB_SUFFIXES), "verb"))) return undefined;
  return { word, lemma, depth: synsetDepth(wn, entry.offsets[0]!) };
}
