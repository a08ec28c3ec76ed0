// The built-in synthetic crawl's image/alt-text candidates (one row per img element, with its noise class), as Arrow IPC.
import { tableFromRows, toArrowIPC } from "../lib/arrow/index.js";
import { CANDIDATE_COLUMNS, candidateRows, generateCrawl } from "../lib/synth/index.js";
import { defaultNameLists, sampleConfigFromEnv } from "../lib/synth/node-index.js";

const crawl = generateCrawl(sampleConfigFromEnv(process.env), defaultNameLists());
process.stdout.write(toArrowIPC(tableFromRows(candidateRows(crawl), CANDIDATE_COLUMNS)));
