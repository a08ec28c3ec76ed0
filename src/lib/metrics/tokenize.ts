/**
 * PTB-style tokenisation as the COCO caption toolkit applies it: Stanford's PTBTokenizer
 * (`-preserveLines -lowerCase`), then removal of the toolkit's punctuation tokens.
 * This is a re-implementation of the lexer's rules that matter for captions, not the Java lexer.
 */

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
  const clitic = SPLIT_WORDS.has(word) ? null : CLITIC.exec(word);
  if (clitic && !clitic[1]!.endsWith("'")) {
    splitWord(clitic[1]!, out);
    out.push(clitic[2]!);
    return;
  }
  splitPlainWord(word, out);
}

/** splitWord for a word without an apostrophe, which no clitic can end (the plain-caption scan's words). */
function splitPlainWord(word: string, out: string[]): void {
  const split = SPLIT_WORDS.get(word);
  if (split) out.push(...split);
  else out.push(word);
}

const isAsciiAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * The lexer's tokens of a caption made only of ASCII letters, digits and spaces, with at most one period right after
 * its last word (most captions), found in one scan; undefined for anything else, which goes through the lexer.
 */
function plainCaptionTokens(text: string): string[] | undefined {
  const lower = text.toLowerCase();
  let end = lower.length;
  while (end > 0 && lower.charCodeAt(end - 1) === 32) end--;
  const period = end > 0 && lower.charCodeAt(end - 1) === 46;
  const last = period ? end - 1 : end;
  if (period && (last === 0 || !isAsciiAlnum(lower.charCodeAt(last - 1)))) return undefined;
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < last; i++) {
    const c = lower.charCodeAt(i);
    if (c === 32) {
      if (start >= 0) splitPlainWord(lower.slice(start, i), out);
      start = -1;
    } else if (isAsciiAlnum(c)) {
      if (start < 0) start = i;
    } else return undefined;
  }
  if (start >= 0) {
    const word = lower.slice(start, last);
    // The lexer keeps a known abbreviation's period ("mt."); any other final period ends the sentence and is removed.
    if (period && ABBREVIATIONS.has(`${word}.`)) out.push(`${word}.`);
    else splitPlainWord(word, out);
  }
  return out;
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
