/**
 * Byte-pair encoding for captions, trained by the project: normalisation (lower-case, NFKC, whitespace), word and
 * punctuation pieces with a word-start marker, merges by rank, `<unk>` (id 0) for characters never seen in training,
 * and a validated JSON form saved with a model. Pure: runs in Node and the browser.
 */
export { BPE_UNK, BPE_UNK_ID, BPE_WORD_START_ID, bpeEncode, bpeDecode, type Bpe } from "./model.js";
export { BPE_WORD_START, bpeNormalize } from "./normalize.js";
export { trainBpe, type TrainBpeOptions } from "./train.js";
export { bpeToJson, bpeFromJson, type BpeJson } from "./json.js";
