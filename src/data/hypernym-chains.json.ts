// Every entity type the hypernymizer assigns on the built-in synthetic crawl (the crawl filter-candidates.arrow runs), with its WordNet hypernym chain, as JSON.
import { cropBoilerplate, normalizeAltText, transformCaption } from "../lib/filter/index.js";
import { candidateRows, generateCrawl } from "../lib/synth/index.js";
import { defaultNameLists, sampleConfigFromEnv } from "../lib/synth/node-index.js";
import { hypernymChain, nounLemma, synsetName } from "../lib/wordnet/index.js";
import { loadWordNet } from "../lib/wordnet/node.js";

// The same pages as filter-candidates.arrow.ts, so every type that page shows has its chain here.
const crawl = generateCrawl(sampleConfigFromEnv({ CCW_SYNTH_PAGES: "120", ...process.env }), defaultNameLists());
const wn = await loadWordNet();
const types = new Set<string>();
for (const row of candidateRows(crawl)) {
  if (!row.alt_present) continue;
  for (const t of transformCaption(cropBoilerplate(normalizeAltText(row.alt_text)).text, "hypernymize", wn).entity_types) types.add(t);
}
const chains = [...types].sort().map((type) => {
  const lemma = nounLemma(wn, type);
  const offset = lemma === undefined ? undefined : wn.nouns.get(lemma)?.offsets[0];
  return { type, chain: offset === undefined ? [] : hypernymChain(wn, offset).map((o) => synsetName(wn, o)) };
});
process.stdout.write(JSON.stringify(chains));
