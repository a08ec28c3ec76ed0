// The built-in synthetic crawl's images (one row per image, scene as JSON, encoded size and hash), as Arrow IPC.
// Renders every image once (sharp); size from CCW_SYNTH_PAGES / CCW_SYNTH_SEED / CCW_SYNTH_WORLD.
import { tableFromRows, toArrowIPC } from "../lib/arrow/index.js";
import { IMAGE_COLUMNS, imageRows } from "../lib/synth/index.js";
import { buildCrawl, sampleConfigFromEnv } from "../lib/synth/node-index.js";

const { crawl, facts } = await buildCrawl(sampleConfigFromEnv(process.env));
process.stdout.write(toArrowIPC(tableFromRows(imageRows(crawl, facts), IMAGE_COLUMNS)));
