import { describe, expect, it } from "vitest";
import { ptbTokenize, splitTokens, tokenizeCaption } from "../../../src/lib/metrics/index.js";
import { Vocabulary } from "../../../src/lib/metrics/ngrams.js";
import { ptbTokenIds, ptbTokenizeLexer } from "../../../src/lib/metrics/tokenize.js";

describe("ptbTokenize()", () => {
  it("lower-cases and removes the toolkit's punctuation tokens", () => {
    expect(ptbTokenize("A Dog, running; fast: really?! Yes... -- ok - fine.")).toEqual(["a", "dog", "running", "fast", "really", "yes", "ok", "fine"]);
  });

  it("splits clitics off and keeps them (\"child 's\", \"do n't\")", () => {
    expect(ptbTokenize("A child's toy isn't here; they're sure I'd go, we'll see, you've won, I'm in")).toEqual(
      ["a", "child", "'s", "toy", "is", "n't", "here", "they", "'re", "sure", "i", "'d", "go", "we", "'ll", "see", "you", "'ve", "won", "i", "'m", "in"],
    );
    expect(ptbTokenize("can't won't cannot")).toEqual(["ca", "n't", "wo", "n't", "can", "not"]);
  });

  it("drops quotes of every kind and a plural possessive's apostrophe", () => {
    expect(ptbTokenize("The \"big\" dogs' bowl ‘said’ “hi” `x`")).toEqual(["the", "big", "dogs", "bowl", "said", "hi", "x"]);
    expect(ptbTokenize("the dog’s ball")).toEqual(["the", "dog", "'s", "ball"]);
  });

  it("keeps hyphenated words, numbers with separators, initialisms and known abbreviations whole", () => {
    expect(ptbTokenize("A t-shirt costs 1,000.50 at 12:30 p.m. in the U.S. near Mt. Hood.")).toEqual(
      ["a", "t-shirt", "costs", "1,000.50", "at", "12:30", "p.m.", "in", "the", "u.s.", "near", "mt.", "hood"],
    );
  });

  it("splits symbols off words and removes round and curly brackets but keeps square ones as -lsb-/-rsb-", () => {
    expect(ptbTokenize("$5 (or 50%) {x} [y] #1 & more")).toEqual(["$", "5", "or", "50", "%", "x", "-lsb-", "y", "-rsb-", "#", "1", "&", "more"]);
  });

  it("treats a line break as a space and returns nothing for punctuation-only text", () => {
    expect(ptbTokenize("two\nlines")).toEqual(["two", "lines"]);
    expect(ptbTokenize(" ... !? ")).toEqual([]);
    expect(ptbTokenize("condiments.. and more....")).toEqual(["condiments", "and", "more"]);
  });

  it("is idempotent on its own output, so pre-tokenised text can be re-tokenised", () => {
    const once = tokenizeCaption("A man's hat, isn't it?");
    expect(tokenizeCaption(once)).toBe(once);
    expect(splitTokens(once)).toEqual(ptbTokenize("A man's hat, isn't it?"));
  });
});

describe("ptbTokenize()'s plain-caption scan", () => {
  it("gives the lexer's tokens on plain captions and on near-misses that must fall back to the lexer", () => {
    const pieces = ["A", "man", "cannot", "gonna", "Mt", "etc", "3", "12", "u", "s", "x1", " ", "  ", ".", "..", ",", "'s", "-", "é", "\t", "1,000", "Dr"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const texts = ["a man riding a horse.", "Two dogs play in the snow ", "climbing Mt.", "and so on etc.", "at 3.", ".", " . ", "a .", "a.", ""];
    for (let i = 0; i < 3000; i++) {
      const words = Array.from({ length: 1 + (next() % 8) }, () => pieces[next() % pieces.length]!);
      texts.push(words.join(next() % 3 === 0 ? "" : " "));
    }
    for (const text of texts) expect(ptbTokenize(text), JSON.stringify(text)).toEqual(ptbTokenizeLexer(text));
  });
});

describe("ptbTokenIds()", () => {
  it("gives ptbTokenize's tokens as ids of one vocabulary, equal tokens equal ids, whatever their case", () => {
    const pieces = ["A", "man", "MAN", "Man", "cannot", "Cannot", "gonna", "Mt", "MT", "etc", "3", "x1", " ", ".", "..", ",", "'s", "é", "\u212a", "Dr", "constructor"];
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const texts = ["A man riding a horse.", "a MAN riding a Horse", "Climbing Mt.", "climbing mt.", "and so on ETC.", "I cannot.", ".", ""];
    for (let i = 0; i < 3000; i++) texts.push(Array.from({ length: 1 + (next() % 8) }, () => pieces[next() % pieces.length]!).join(next() % 3 === 0 ? "" : " "));
    const vocabulary = new Vocabulary();
    for (const text of texts) {
      const ids: number[] = [];
      ptbTokenIds(text, vocabulary, ids);
      expect(ids.map((id) => vocabulary.tokens[id]), JSON.stringify(text)).toEqual(ptbTokenize(text));
      expect(ids, JSON.stringify(text)).toEqual(ptbTokenize(text).map((t) => vocabulary.id(t)));
    }
  });
});

describe("ptbTokenize() on words every object inherits", () => {
  it("tokenises \"constructor\", \"toString\" and \"__proto__\" as words (they once crashed the scorer)", () => {
    expect(ptbTokenize("The constructor of toString, valueOf.")).toEqual(["the", "constructor", "of", "tostring", "valueof"]);
    expect(ptbTokenizeLexer("a constructor (hasOwnProperty)")).toEqual(["a", "constructor", "hasownproperty"]);
  });
});
