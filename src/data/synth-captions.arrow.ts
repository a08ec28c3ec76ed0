// The built-in synthetic crawl's COCO-style captions (five literal descriptions per image), as Arrow IPC.
import { tableFromRows, toArrowIPC } from "../lib/arrow/index.js";
import { CAPTION_COLUMNS, captionRows, generateCrawl } from "../lib/synth/index.js";
import { defaultNameLists, sampleConfigFromEnv } from "../lib/synth/node-index.js";

const crawl = generateCrawl(sampleConfigFromEnv(process.env), defaultNameLists());
process.stdout.write(toArrowIPC(tableFromRows(captionRows(crawl), CAPTION_COLUMNS)));
