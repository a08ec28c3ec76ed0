// The text stage's lexicon (SUBTLEX-US counts, WordNet 3.1 lemmas and instance chains, the rare-word name tokens, AFINN-165, cuss) packed for the browser, as JSON (src/lib/filter/lexicon-pack.ts).
import { packLexicon } from "../lib/filter/index.js";
import { loadLexicon } from "../lib/filter/node.js";

process.stdout.write(JSON.stringify(packLexicon(await loadLexicon())));
