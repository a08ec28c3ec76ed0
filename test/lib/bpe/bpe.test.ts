import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BPE_UNK,
  BPE_UNK_ID,
  BPE_WORD_START,
  BPE_WORD_START_ID,
  bpeDecode,
  bpeEncode,
  bpeFromJson,
  bpeNormalize,
  bpeToJson,
  trainBpe,
  type Bpe,
  type BpeJson,
} from "../../../src/lib/bpe/index.js";
import { generateCrawl } from "../../../src/lib/synth/index.js";
import { defaultNameLists } from "../../../src/lib/synth/node-index.js";

const CC3M = "../shared/datasets/conceptual-captions/Validation_GCC-1.1.0-Validation.tsv";

/** Alt-texts and COCO-style captions of a small synthetic crawl. */
function synthTexts(pages: number, seed: string): string[] {
  const crawl = generateCrawl({ seed, pages }, defaultNameLists());
  return crawl.images.flatMap((im) => [im.alt.text, ...im.captions]);
}

const train = synthTexts(200, "bpe-train");
const unseen = synthTexts(60, "bpe-unseen");
const model = trainBpe(train, { vocabSize: 600 });

/** The decoded text of each token id, for readable expectations. */
const tokens = (bpe: Bpe, ids: readonly number[]): string[] => ids.map((id) => bpe.vocab[id] as string);

describe("bpeNormalize()", () => {
  it("lower-cases, applies NFKC, collapses whitespace and trims", () => {
    expect(bpeNormalize("  A  Dog\t\nRUNS ")).toBe("a dog runs");
    expect(bpeNormalize("ﬁne ℌello\u00a0café")).toBe("fine hello café"); // ligature, compatibility capital, no-break space
    expect(bpeNormalize("Cafe\u0301")).toBe("café"); // combining accent composed
  });

  it("is idempotent", () => {
    for (const text of [...train.slice(0, 50), "ℌ İstanbul ǅ ﬃ", "  ", ""]) expect(bpeNormalize(bpeNormalize(text))).toBe(bpeNormalize(text));
  });
});

describe("the tokenizer round-trips", () => {
  it("decode(encode(t)) is the normalised text for every training text", () => {
    for (const text of train) expect(bpeDecode(model, bpeEncode(model, text))).toBe(bpeNormalize(text));
  });

  it("decode(encode(t)) is the normalised text for unseen texts made of seen characters", () => {
    const alphabet = new Set(model.vocab.slice(2).filter((t) => [...t].length === 1));
    const fit = unseen.filter((t) => [...bpeNormalize(t)].every((ch) => ch === " " || alphabet.has(ch)));
    expect(fit.length).toBeGreaterThan(100);
    for (const text of [...fit, "zebra, giraffe (cat) -- dog!", "a  dog\tand A CAT"]) {
      expect(bpeEncode(model, text)).not.toContain(BPE_UNK_ID);
      expect(bpeDecode(model, bpeEncode(model, text))).toBe(bpeNormalize(text));
    }
  });

  it.skipIf(!existsSync(CC3M))("round-trips real CC3M validation captions (skipped without ../shared/datasets)", () => {
    const captions = readFileSync(CC3M, "utf8").split("\n").filter(Boolean).map((line) => line.split("\t")[0] as string);
    const bpe = trainBpe(captions.slice(0, 8000), { vocabSize: 2000 });
    let checked = 0;
    for (const caption of captions.slice(8000)) {
      const ids = bpeEncode(bpe, caption);
      if (ids.includes(BPE_UNK_ID)) continue; // a character the first 8,000 captions lack
      expect(bpeDecode(bpe, ids)).toBe(bpeNormalize(caption));
      checked++;
    }
    expect(checked).toBeGreaterThan(7000);
  });

  it("splits punctuation from words, so 'dog,' and 'dog' share the word's tokens", () => {
    const bpe = trainBpe(["dog dog dog dog, cat"], { vocabSize: 40 });
    expect(tokens(bpe, bpeEncode(bpe, "dog,"))).toEqual([`${BPE_WORD_START}dog`, ","]);
    expect(tokens(bpe, bpeEncode(bpe, "dog"))).toEqual([`${BPE_WORD_START}dog`]);
    expect(bpeDecode(bpe, bpeEncode(bpe, "dog, dog ,dog"))).toBe("dog, dog ,dog");
  });
});

describe("unknown input", () => {
  it("maps each character never seen in training to id 0, which decodes as <unk>", () => {
    const bpe = trainBpe(["a cat and a dog"], { vocabSize: 20 });
    expect(bpe.vocab[BPE_UNK_ID]).toBe(BPE_UNK);
    const ids = bpeEncode(bpe, "a 🦄 cat, qz");
    expect(ids.filter((id) => id === BPE_UNK_ID)).toHaveLength(4); // 🦄 , q z
    expect(bpeDecode(bpe, ids)).toBe("a <unk> cat<unk> <unk><unk>");
  });

  it("treats the marker character in text as unknown, not as a space", () => {
    const bpe = trainBpe([`a${BPE_WORD_START}b a b`], { vocabSize: 10 });
    expect(bpe.vocab.slice(2)).not.toContain(BPE_WORD_START);
    expect(bpeDecode(bpe, bpeEncode(bpe, `a${BPE_WORD_START}b`))).toBe("a<unk>b");
  });

  it("does not throw on empty, blank, emoji, control, lone-surrogate or 10,000-character input", () => {
    const long = "abcd".repeat(2500);
    const hostile = ["", "   \t\n ", "🦄🌈👩‍🚀", "\u0000\u0007", "\ud800x", long, "🦄".repeat(10_000), "a ".repeat(5000)];
    for (const text of hostile) {
      const ids = bpeEncode(model, text);
      expect(ids.every((id) => Number.isInteger(id) && id >= 0 && id < model.vocab.length)).toBe(true);
      expect(typeof bpeDecode(model, ids)).toBe("string");
    }
    expect(bpeEncode(model, "")).toEqual([]);
    expect(bpeEncode(model, "  ")).toEqual([]);
    expect(bpeDecode(model, bpeEncode(model, long))).toBe(long);
  });

  it("rejects ids outside the vocabulary in bpeDecode, naming the id and the valid range", () => {
    expect(() => bpeDecode(model, [1, model.vocab.length])).toThrow(`ids[1] = ${model.vocab.length} is not a token id; valid ids are the integers 0..${model.vocab.length - 1}`);
    expect(() => bpeDecode(model, [1.5])).toThrow("ids[0] = 1.5");
  });
});

describe("trainBpe()", () => {
  it("learns the hand-worked merges of a tiny corpus, most frequent pair first", () => {
    // Pieces: "▁aa" ×2, "▁ab" ×1. Pairs: ▁a 3, aa 2, ab 1 → merge ▁+a; then ▁a·a 2, ▁a·b 1 → merge ▁a+a; ▁a·b is below minPairCount 2.
    const bpe = trainBpe(["aa ab", "aa"], { vocabSize: 100 });
    expect(bpe.vocab).toEqual([BPE_UNK, BPE_WORD_START, "a", "b", "▁a", "▁aa"]);
    expect(bpe.merges).toEqual([["▁", "a"], ["▁a", "a"]]);
    const all = trainBpe(["aa ab", "aa"], { vocabSize: 100, minPairCount: 1 });
    expect(all.merges).toEqual([["▁", "a"], ["▁a", "a"], ["▁a", "b"]]);
  });

  it("breaks ties between equally frequent pairs by the lower left id, then the lower right id", () => {
    // Every pair occurs once; ids: ▁ 1, a 2, b 3, c 4, d 5, then ▁a 6, ▁c 7.
    const bpe = trainBpe(["cd", "ab"], { vocabSize: 100, minPairCount: 1 });
    expect(bpe.merges).toEqual([["▁", "a"], ["▁", "c"], ["▁a", "b"], ["▁c", "d"]]);
  });

  it("honours vocabSize exactly when the corpus has enough pairs, and lays out <unk>, the marker, the alphabet, then merges", () => {
    for (const vocabSize of [80, 300, 600]) {
      const bpe = trainBpe(train, { vocabSize });
      expect(bpe.vocab).toHaveLength(vocabSize);
      expect(bpe.vocab[0]).toBe(BPE_UNK);
      expect(bpe.vocab[BPE_WORD_START_ID]).toBe(BPE_WORD_START);
    }
    const alphabet = model.vocab.slice(2).filter((t) => [...t].length === 1);
    expect(model.vocab.slice(2, 2 + alphabet.length)).toEqual([...alphabet].sort((x, y) => (x.codePointAt(0) as number) - (y.codePointAt(0) as number)));
  });

  it("stops below vocabSize when no pair reaches minPairCount", () => {
    const bpe = trainBpe(["ab cd"], { vocabSize: 1000 });
    expect(bpe.merges).toEqual([]);
    expect(bpe.vocab).toHaveLength(6);
  });

  it("is deterministic and independent of the order of the texts", () => {
    const a = bpeToJson(trainBpe(train, { vocabSize: 400 }));
    const b = bpeToJson(trainBpe([...train].reverse(), { vocabSize: 400 }));
    expect(b).toEqual(a);
    expect(bpeToJson(trainBpe(train, { vocabSize: 400 }))).toEqual(a);
  });

  it("reports progress up to the merges made, against the merges wanted", () => {
    const calls: [number, number][] = [];
    const bpe = trainBpe(train, { vocabSize: 300, onProgress: (merges, target) => calls.push([merges, target]) });
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.at(-1)).toEqual([bpe.merges.length, 300 - (bpe.vocab.length - bpe.merges.length)]);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThan(calls[i - 1]![0]);
  });

  it("rejects bad options and empty corpora with errors naming the valid values", () => {
    expect(() => trainBpe(["a cat"], { vocabSize: 4 })).toThrow('vocabSize 4 is smaller than the base vocabulary: "<unk>", the word-start marker and the 3 characters seen in training; use at least 5');
    expect(() => trainBpe(["a cat"], { vocabSize: 10.5 })).toThrow("vocabSize must be an integer from 3 to 2097152, got 10.5");
    expect(() => trainBpe(["a cat"], { vocabSize: Number.NaN })).toThrow("vocabSize must be an integer");
    expect(() => trainBpe(["a cat"], { vocabSize: 10, minPairCount: 0 })).toThrow("minPairCount must be an integer of at least 1, got 0");
    expect(() => trainBpe([], { vocabSize: 10 })).toThrow("the corpus has no text to learn from (0 texts");
    expect(() => trainBpe(["", "  "], { vocabSize: 10 })).toThrow("(2 texts, all empty or whitespace)");
    expect(() => trainBpe(["a", 3 as unknown as string], { vocabSize: 10 })).toThrow("texts[1] must be a string, got number");
  });

  it("returns an immutable model", () => {
    expect(Object.isFrozen(model)).toBe(true);
    expect(() => (model.vocab as string[]).push("x")).toThrow();
    expect(() => ((model.merges[0] as unknown as string[])[0] = "x")).toThrow();
  });
});

describe("bpeEncode()", () => {
  /** A hand-made model: the merges b+c and a+b compete for the b in "abc". */
  const handMade = (first: [string, string], second: [string, string]): Bpe =>
    bpeFromJson({ format: "ccw-bpe", version: 1, vocab: [BPE_UNK, BPE_WORD_START, "a", "b", "c", first.join(""), second.join("")], merges: [first, second] });

  it("applies merges in rank order, not text order", () => {
    expect(tokens(handMade(["b", "c"], ["a", "b"]), bpeEncode(handMade(["b", "c"], ["a", "b"]), "abc"))).toEqual(["▁", "a", "bc"]);
    expect(tokens(handMade(["a", "b"], ["b", "c"]), bpeEncode(handMade(["a", "b"], ["b", "c"]), "abc"))).toEqual(["▁", "ab", "c"]);
  });

  it("merges the leftmost of overlapping equal-rank pairs first", () => {
    const bpe = bpeFromJson({ format: "ccw-bpe", version: 1, vocab: [BPE_UNK, BPE_WORD_START, "a", "aa"], merges: [["a", "a"]] });
    expect(tokens(bpe, bpeEncode(bpe, "aaa"))).toEqual(["▁", "aa", "a"]);
  });

  it("reproduces the training segmentation of training words", () => {
    const bpe = trainBpe(["low lower lowest", "low lower newest", "widest newest"], { vocabSize: 30 });
    expect(bpeDecode(bpe, bpeEncode(bpe, "lowest newest"))).toBe("lowest newest");
    expect(tokens(bpe, bpeEncode(bpe, "low"))).toEqual(["▁low"]);
  });
});

describe("bpeToJson() / bpeFromJson()", () => {
  it("round-trips through JSON text to a model that encodes identically", () => {
    const json = JSON.parse(JSON.stringify(bpeToJson(model))) as unknown;
    const loaded = bpeFromJson(json);
    expect(loaded.vocab).toEqual(model.vocab);
    expect(loaded.merges).toEqual(model.merges);
    for (const text of unseen.slice(0, 100)) expect(bpeEncode(loaded, text)).toEqual(bpeEncode(model, text));
  });

  const good = (): BpeJson => ({ format: "ccw-bpe", version: 1, vocab: [BPE_UNK, BPE_WORD_START, "a", "b", "ab"], merges: [["a", "b"]] });
  const bad = (patch: (j: BpeJson) => void): unknown => {
    const j = good();
    patch(j);
    return j;
  };

  it("rejects malformed models with errors naming the field and what is valid", () => {
    expect(() => bpeFromJson(good())).not.toThrow();
    expect(() => bpeFromJson(null)).toThrow('expected an object { format: "ccw-bpe", version: 1, vocab, merges }, got null');
    expect(() => bpeFromJson(bad((j) => ((j as { format: string }).format = "bpe")))).toThrow('format must be "ccw-bpe", got "bpe"');
    expect(() => bpeFromJson(bad((j) => ((j as { version: number }).version = 2)))).toThrow("version must be 1 (the only version), got 2");
    expect(() => bpeFromJson(bad((j) => ((j as { vocab: unknown }).vocab = "ab")))).toThrow("vocab must be an array of token strings");
    expect(() => bpeFromJson(bad((j) => ((j.vocab as unknown[])[3] = 7)))).toThrow("vocab[3] must be a string, got 7");
    expect(() => bpeFromJson(bad((j) => (j.vocab[0] = "?")))).toThrow('vocab[0] must be "<unk>", got "?"');
    expect(() => bpeFromJson(bad((j) => (j.vocab[1] = "_")))).toThrow("vocab[1] must be the word-start marker");
    expect(() => bpeFromJson(bad((j) => (j.vocab[3] = "a")))).toThrow('vocab[3] "a" repeats vocab[2]; tokens must be unique');
    expect(() => bpeFromJson(bad((j) => ((j.merges as unknown[])[0] = ["a"])))).toThrow('merges[0] must be a pair [left, right] of token strings, got ["a"]');
    expect(() => bpeFromJson(bad((j) => (j.merges[0] = ["a", "z"])))).toThrow('merges[0][1] "z" must be a token defined before this merge (vocab[2..3])');
    expect(() => bpeFromJson(bad((j) => (j.merges[0] = ["b", "a"])))).toThrow('merges[0] ["b","a"] produces "ba", so vocab[4] must be "ba", got "ab"');
    expect(() => bpeFromJson(bad((j) => (j.merges = [])))).toThrow('vocab[4] "ab" is produced by no merge');
    expect(() => bpeFromJson(bad((j) => j.merges.push(["a", "b"])))).toThrow("merges[1] repeats merges[0]");
    expect(() => bpeFromJson(bad((j) => j.merges.push(["a", "▁"])))).toThrow('merges[1][1] "▁" must be a token defined before this merge');
  });
});
