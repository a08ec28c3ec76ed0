/**
 * PTB-style tokenisation as the COCO caption toolkit applies it: Stanford's PTBTokenizer
 * (`-preserveLines -lowerCase`), then removal of the toolkit's punctuation tokens.
 * This is a re-implementation of the lexer's rules that matter for captions, not the Java lexer.
 */
import type { Vocabulary } from "./ngrams.js";

/** Tokens the toolkit drops after tokenising (its PUNCTUATIONS list; brackets compared lower-cased). */
export const REMOVED_TOKENS: ReadonlySet<string> = new Set([
  "''", "'", "``", "`", "-lrb-", "-rrb-", "-lcb-", "-rcb-", ".", "?", "!", ",", ":", "-", "--", "...", ";",
]);

/** PTB escapes for brackets; square brackets are not on the removal list, so they survive as -lsb-/-rsb-. */
const BRACKETS: ReadonlyMap<string, string> = new Map([
  ["(", "-lrb-"], [")", "-rrb-"], ["{", "-lcb-"], ["}", "-rcb-"], ["[", "-lsb-"], ["]", "-rsb-"],
]);

/** Words the PTB lexer splits in two even without an apostrophe (a Map: a caption may say "constructor"). */
const SPLIT_WORDS: ReadonlyMap<string, readonly string[]> = new Map([
  ["cannot", ["can", "not"]], ["gonna", ["gon", "na"]], ["gotta", ["got", "ta"]], ["wanna", ["wan", "na"]],
  ["gimme", ["gim", "me"]], ["lemme", ["lem", "me"]],
]);

/** Abbreviations the lexer keeps with their period (lower-cased). */
const ABBREVIATIONS = new Set(["mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "vs.", "etc.", "mt.", "ft.", "ave.", "inc.", "co.", "ltd.", "prof."]);

// Order matters: longer, more specific alternatives first.
const TOKEN = new RegExp(
  [
    String.raw`(?:\p{L}\.){2,}`, // initialisms: u.s., a.m.
    String.raw`\d+(?:[.,:]\d+)+`, // 1,000  3.5  12:30
    String.raw`[\p{L}\p{N}]+(?:[-'&/][\p{L}\p{N}]+)*(?:\.(?!\.))?`, // words with inner hyphens/apostrophes; a trailing period (not an ellipsis) is checked below
    String.raw`'(?:s|re|ll|ve|m|d)(?![\p{L}\p{N}])`, // clitic already separated by a space
    String.raw`\.{2,}`,
    String.raw`-{2,}`,
    String.raw`\S`,
  ].join("|"),
  "gu",
);

const CLITIC = /^(.+?)(n't|'s|'re|'ll|'ve|'m|'d)$/u;

function normalise(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/\u2026/g, "...")
    .replace(/[\u2013\u2014]/g, "--")
    .toLowerCase();
}

function splitWord(word: string, out: string[]): void {
  const split = SPLIT_WORDS.get(word);
  if (split) {
    out.push(...split);
    return;
  }
  const clitic = CLITIC.exec(word);
  if (clitic && !clitic[1]!.endsWith("'")) {
    splitWord(clitic[1]!, out);
    out.push(clitic[2]!);
    return;
  }
  out.push(word);
}

const isPlainChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);

/** Start and end of the plain-caption scan's word k at 2k and 2k + 1 (reused across captions). */
let bounds = new Int32Array(64);

/**
 * The words of a caption made only of ASCII letters, digits and spaces, with at most one period right after its last
 * word (most captions), found in one scan: their count, their bounds in `bounds`; -1 for anything else, which goes
 * through the lexer, which would give these words as tokens, lower-cased, as plainWordTokens says.
 */
function plainWords(text: string): number {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  const period = end > 0 && text.charCodeAt(end - 1) === 46;
  const last = period ? end - 1 : end;
  if (period && (last === 0 || !isPlainChar(text.charCodeAt(last - 1)))) return -1;
  let words = 0;
  let start = -1;
  for (let i = 0; i <= last; i++) {
    const c = i < last ? text.charCodeAt(i) : 32;
    if (c === 32) {
      if (start >= 0) {
        if (2 * words + 2 > bounds.length) {
          const wider = new Int32Array(bounds.length * 2);
          wider.set(bounds);
          bounds = wider;
        }
        bounds[2 * words] = start;
        bounds[2 * words + 1] = i;
        words++;
      }
      start = -1;
    } else if (isPlainChar(c)) {
      if (start < 0) start = i;
    } else return -1;
  }
  return words;
}

/** The known abbreviations without their period. */
const ABBREVIATION_WORDS = new Set([...ABBREVIATIONS].map((a) => a.slice(0, -1)));

/**
 * The tokens that plain word k (of `words`, lower-cased) becomes when not just itself: a known abbreviation keeps the
 * caption's final period ("mt."; any other final period ends the sentence and is removed), a split word splits.
 * No apostrophe, so no clitic.
 */
function plainWordTokens(word: string, text: string, k: number, words: number): readonly string[] | undefined {
  if (k === words - 1 && text.charCodeAt(bounds[2 * k + 1]!) === 46 && ABBREVIATION_WORDS.has(word)) return [`${word}.`];
  return SPLIT_WORDS.get(word);
}

/** The lexer's tokens of a plain caption (see plainWords); undefined for anything else. */
function plainCaptionTokens(text: string): string[] | undefined {
  const words = plainWords(text);
  if (words < 0) return undefined;
  const lower = text.toLowerCase(); // the same positions: the text is ASCII
  const out: string[] = [];
  for (let k = 0; k < words; k++) {
    const word = lower.slice(bounds[2 * k]!, bounds[2 * k + 1]!);
    const tokens = plainWordTokens(word, text, k, words);
    if (tokens) out.push(...tokens);
    else out.push(word);
  }
  return out;
}

/**
 * ptbTokenize's tokens as ids of `vocabulary`, appended to `out`: a plain caption's words are looked up as ranges of
 * its text, so a token becomes a string only the first time the vocabulary sees it.
 */
export function ptbTokenIds(text: string, vocabulary: Vocabulary, out: number[]): void {
  const words = plainWords(text);
  if (words < 0) {
    for (const token of ptbTokenizeLexer(text)) out.push(vocabulary.id(token));
    return;
  }
  for (let k = 0; k < words; k++) {
    const id = vocabulary.idOfRange(text, bounds[2 * k]!, bounds[2 * k + 1]!);
    const tokens = plainWordTokens(vocabulary.tokens[id]!, text, k, words);
    if (tokens) for (const token of tokens) out.push(vocabulary.id(token));
    else out.push(id);
  }
}

/** Tokenises one caption the way the toolkit does: lower-cased PTB tokens, clitics split ("child 's"), punctuation removed. */
export function ptbTokenize(text: string): string[] {
  return plainCaptionTokens(text) ?? ptbTokenizeLexer(text);
}

/** ptbTokenize by the lexer's rules alone, without the plain-caption scan (exported so tests can hold the two equal). */
export function ptbTokenizeLexer(text: string): string[] {
  const out: string[] = [];
  for (const match of normalise(text).matchAll(TOKEN)) {
    let token = match[0];
    const wordLike = /^[\p{L}\p{N}]/u.test(token);
    if (wordLike && token.endsWith(".") && !/^(?:\p{L}\.){2,}$/u.test(token) && !ABBREVIATIONS.has(token)) {
      splitWord(token.slice(0, -1), out);
      continue; // the sentence period itself is on the removal list
    }
    if (token === '"') token = "''";
    if (/^\.{2,}$/.test(token)) token = "..."; // the lexer normalises any run of dots to an ellipsis
    token = BRACKETS.get(token) ?? token;
    if (REMOVED_TOKENS.has(token)) continue;
    if (wordLike) splitWord(token, out);
    else out.push(token);
  }
  return out;
}

/** The toolkit's tokenised caption: tokens joined by single spaces, which its scorers split again. */
export function tokenizeCaption(text: string): string {
  return ptbTokenize(text).join(" ");
}

/** Splits an already tokenised caption on whitespace, as the toolkit's scorers do. */
export function splitTokens(tokenized: string): string[] {
  return tokenized.split(/\s+/).filter((t) => t.length > 0);
}
