// The built-in synthetic crawl's drawn objects (category, WordNet sense, box), one row per object, as Arrow IPC.
import { tableFromRows, toArrowIPC } from "../lib/arrow/index.js";
import { OBJECT_COLUMNS, generateCrawl, objectRows } from "../lib/synth/index.js";
import { defaultNameLists, sampleConfigFromEnv } from "../lib/synth/node-index.js";

const crawl = generateCrawl(sampleConfigFromEnv(process.env), defaultNameLists());
process.stdout.write(toArrowIPC(tableFromRows(objectRows(crawl), OBJECT_COLUMNS)));
