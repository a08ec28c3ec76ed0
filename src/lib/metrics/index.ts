/** Caption metrics as the COCO toolkit defines them (BLEU, ROUGE-L, CIDEr-D), CHAIR hallucination, specificity. Pure: WordNet files load through node.ts (src/lib/wordnet). */
export { ptbTokenize, tokenizeCaption, splitTokens, REMOVED_TOKENS } from "./tokenize.js";
export { bleu, type BleuResult, type TokenizedPair } from "./bleu.js";
export { rougeL, rougeLImage, lcsLength, MAX_ROUGE_TOKENS, type RougeResult } from "./rouge.js";
export { ciderD, type CiderOptions, type CiderResult } from "./cider.js";
export {
  buildObjectTable, findObjects, chair, chairCaption, summarizeChair, COCO_OBJECTS,
  type ObjectTable, type ObjectTableOptions, type ObjectMention, type ChairTruth, type ChairCaption, type ChairResult,
} from "./chair.js";
export { COCO_OBJECT_SYNONYMS, COCO_IGNORED_PHRASES } from "./coco-objects.js";
export { singularize } from "./singularize.js";
export { nounDepth, type NounDepth } from "./noun-depth.js";
/** WordNet itself lives in src/lib/wordnet; re-exported here for the metrics' callers. */
export {
  parseWordNet, parseIndex, parseTagCounts, parseNounHypernyms, synsetDepth,
  type WordNet, type WordNetFiles, type IndexEntry, type PartOfSpeech, type TagCounts,
} from "../wordnet/index.js";
export { specificity, captionNouns, type SpecificityOptions, type SpecificityResult, type CaptionSpecificity } from "./specificity.js";
export { evaluateCaptions, type CaptionRecord, type EvaluateOptions, type Evaluation, type ImageScores, type CorpusScores } from "./evaluate.js";
export { mean } from "./stats.js";
