/** A toy WordNet in the dict-file format, written in code for the WordNet and noun-depth tests. */
import type { WordNetFiles } from "../../../src/lib/wordnet/index.js";

const HEADER = "  1 This software and database is being provided to you, the LICENSEE, by  \n";
const off = (n: number) => String(n).padStart(8, "0");
const index = (lemma: string, ...offsets: number[]) => `${lemma} n ${offsets.length} 1 @ ${offsets.length} 0 ${offsets.map(off).join(" ")}  `;
/** An index.sense line: `lemma%ss_type:lex_filenum:lex_id:: offset sense_number tag_cnt`. */
const sense = (lemma: string, ssType: number, tagCount: number) => `${lemma}%${ssType}:05:00:: 00000001 1 ${tagCount}`;
const synset = (offset: number, word: string, ...hypernyms: [string, number][]) =>
  `${off(offset)} 05 n 01 ${word} 0 ${String(hypernyms.length + 1).padStart(3, "0")} ${hypernyms.map(([sym, h]) => `${sym} ${off(h)} n 0000`).join(" ")} ~ ${off(999)} n 0000 | gloss of ${word}`;

/** A toy WordNet: entity > animal > dog > poodle; "rex" an instance of dog; "mutt" under dog and (shorter) animal. */
export function toy(): WordNetFiles {
  return {
    "index.noun": HEADER + [
      index("entity", 100), index("animal", 200), index("dog", 300, 200), index("poodle", 400), index("rex", 500),
      index("mutt", 600), index("sitting", 700), index("white", 800), index("graduate", 900), index("man", 300),
    ].join("\n"),
    "index.sense": [
      sense("dog", 1, 42), sense("dog", 2, 2), sense("sitting", 1, 2), sense("sit", 2, 185), sense("white", 1, 16),
      sense("white", 3, 70), sense("white", 5, 6), sense("graduate", 1, 6), sense("graduate", 2, 10), sense("man", 1, 900),
    ].join("\n"),
    "data.noun": HEADER + [
      synset(100, "entity"), synset(200, "animal", ["@", 100]), synset(300, "dog", ["@", 200]), synset(400, "poodle", ["@", 300]),
      synset(500, "Rex", ["@i", 300]), synset(600, "mutt", ["@", 300], ["@", 200]), synset(700, "sitting", ["@", 100]),
      synset(800, "white", ["@", 100]), synset(900, "graduate", ["@", 200]),
    ].join("\n"),
  };
}
