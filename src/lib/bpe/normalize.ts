/** Caption normalisation and the pre-tokenizer: text → pieces that BPE merges never cross. */

/** The start-of-word marker (SentencePiece's U+2581): a piece that followed a space starts with it, so decoding restores spaces. */
export const BPE_WORD_START = "\u2581";

/** Lower-case, NFKC, whitespace runs collapsed to one space, trimmed. Idempotent. */
export function bpeNormalize(text: string): string {
  // NFKC before lower-casing (compatibility forms such as "ℌ" become capitals) and after (lower-casing can un-normalise).
  return text.normalize("NFKC").toLowerCase().normalize("NFKC").replace(/\s+/gu, " ").trim();
}

/** A run of letters, marks and digits, or any other single code point (so "dog," and "dog" share "dog"). */
const PIECE = /[\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}]/gu;

/**
 * Splits normalised text into pieces: words at spaces, then punctuation split from letters. The first piece of each
 * space-separated word starts with a space (pieces contain no other space), so joining the pieces and dropping the
 * leading space gives the text back. The vocabulary spells that space BPE_WORD_START.
 */
export function splitPieces(normalized: string): string[] {
  const pieces: string[] = [];
  if (normalized === "") return pieces;
  for (const word of normalized.split(" ")) {
    let first = true;
    for (const match of word.matchAll(PIECE)) {
      pieces.push(first ? " " + match[0] : match[0]);
      first = false;
    }
  }
  return pieces;
}
