// The configured Conceptual Captions TSV (CCW_CAPTIONS or ccw.config.json) as explore rows, sampled to CCW_SAMPLE; empty, flagged "not configured", when none is.
import { toArrowIPC } from "../lib/arrow/index.js";
import { captionsExplore, describeSummary, readSummary } from "../lib/explore/node-index.js";
import { loadSourceConfig } from "../lib/sources/index.js";

const table = await captionsExplore(await loadSourceConfig());
console.error(`explore ${describeSummary(readSummary(table)!)}`);
process.stdout.write(toArrowIPC(table));
