// The configured COCO captions (CCW_COCO_CAPTIONS, categories from CCW_COCO_INSTANCES) as explore rows; empty, flagged "not configured", when none is.
import { toArrowIPC } from "../lib/arrow/index.js";
import { cocoCaptionsExplore, describeSummary, readSummary } from "../lib/explore/node-index.js";
import { loadSourceConfig } from "../lib/sources/index.js";

const table = await cocoCaptionsExplore(await loadSourceConfig());
console.error(`explore ${describeSummary(readSummary(table)!)}`);
process.stdout.write(toArrowIPC(table));
