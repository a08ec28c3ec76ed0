// The explorer's built-in dataset: the synthetic crawl's alt-text candidates as explore rows (src/lib/explore/schema.ts), as Arrow IPC.
import { toArrowIPC } from "../lib/arrow/index.js";
import { describeSummary, readSummary, synthExplore } from "../lib/explore/node-index.js";

const table = synthExplore(process.env);
console.error(`explore ${describeSummary(readSummary(table)!)}`);
process.stdout.write(toArrowIPC(table));
