/** Lookups over a parsed WordNet: base forms (morphy's detachment rules), noun senses, instance classes, hypernym chains. */
import type { PartOfSpeech, WordNet } from "./parse.js";

export const NOUN_SUFFIXES = [["s", ""], ["ses", "s"], ["xes", "x"], ["zes", "z"], ["ches", "ch"], ["shes", "sh"], ["men", "man"], ["ies", "y"]] as const;
export const VERB_SUFFIXES = [["s", ""], ["ies", "y"], ["es", "e"], ["es", ""], ["ed", "e"], ["ed", ""], ["ing", "e"], ["ing", ""]] as const;
export const ADJECTIVE_SUFFIXES = [["er", ""], ["est", ""], ["er", "e"], ["est", "e"]] as const;

/** Candidate base forms of an inflected word: the word itself, then WordNet morphy detachments plus undoubling ("sitting"). */
export function baseForms(word: string, suffixes: readonly (readonly [string, string])[]): string[] {
  const forms = [word];
  for (const [suffix, ending] of suffixes) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    if ((stem + ending).length < 2) continue; // "is" is not a form of "i"
    forms.push(stem + ending);
    if (ending === "" && /([b-df-hj-np-tv-z])\1$/.test(stem)) forms.push(stem.slice(0, -1));
  }
  return forms;
}

const SUFFIXES: Record<PartOfSpeech, readonly (readonly [string, string])[]> = {
  noun: NOUN_SUFFIXES, verb: VERB_SUFFIXES, adjective: ADJECTIVE_SUFFIXES, adverb: [],
};

/** WordNet's key for a phrase: lower case, spaces as underscores ("Los Angeles" -> "los_angeles"). */
export function lemmaKey(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, "_");
}

/** The first base form of `word` that WordNet lists as a noun, or undefined. */
export function nounLemma(wn: WordNet, word: string): string | undefined {
  return baseForms(lemmaKey(word), SUFFIXES.noun).find((form) => wn.nouns.has(form));
}

/** Whether WordNet knows `word` (any part of speech the files held), directly or through a base form. */
export function isKnownWord(wn: WordNet, word: string): boolean {
  const key = lemmaKey(word);
  if (wn.lemmas.has(key)) return true;
  for (const pos of ["noun", "verb", "adjective"] as const) if (baseForms(key, SUFFIXES[pos]).some((f) => wn.lemmas.has(f))) return true;
  return false;
}

/** Noun synsets of a word or phrase, most frequent sense first (empty when WordNet has none). */
export function nounSynsets(wn: WordNet, word: string): readonly number[] {
  const lemma = nounLemma(wn, word);
  return lemma === undefined ? [] : (wn.nouns.get(lemma)?.offsets ?? []);
}

/** The synset's first lemma, readable: underscores as spaces, case as WordNet writes it. */
export function synsetName(wn: WordNet, offset: number): string {
  return (wn.synsetWords.get(offset)?.[0] ?? String(offset)).replace(/_/g, " ");
}

/**
 * The classes a name is an instance of, from the first of its senses that is an instance
 * ("Paris" -> national capital, "Ohio" -> American state); empty when no sense is.
 */
export function instanceClasses(wn: WordNet, name: string): readonly number[] {
  const senses = wn.nouns.get(lemmaKey(name))?.offsets ?? [];
  for (const offset of senses) {
    const classes = wn.instanceOf.get(offset);
    if (classes?.length) return classes;
  }
  return [];
}

/** Hypernym chain from a synset to its root along the first pointer, the synset itself first. Cycles are cut. */
export function hypernymChain(wn: WordNet, offset: number): number[] {
  const chain: number[] = [];
  const seen = new Set<number>();
  for (let at: number | undefined = offset; at !== undefined && !seen.has(at); at = wn.hypernyms.get(at)?.[0]) {
    seen.add(at);
    chain.push(at);
  }
  return chain;
}

/** The lemmas of every instance synset ("Henry_Moore", "Hollywood", "Paris"): WordNet's named people, places, organisations and works. */
export function instanceLemmas(wn: WordNet): string[] {
  const out: string[] = [];
  for (const offset of wn.instanceOf.keys()) out.push(...(wn.synsetWords.get(offset) ?? []));
  return out;
}
