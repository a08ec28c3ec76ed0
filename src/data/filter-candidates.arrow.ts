// The built-in synthetic crawl through the cc3m filter (every rule recorded): one row per candidate with its features, statuses and transformed caption, as Arrow IPC.
import { tableFromRows, toArrowIPC } from "../lib/arrow/index.js";
import { resolveConfig, resultColumns } from "../lib/filter/index.js";
import { filterRows } from "../lib/filter/node.js";
import { sampleConfigFromEnv } from "../lib/synth/node-index.js";

// The same seed as the other synth loaders; fewer pages by default, because every image is rendered and classified.
const { seed, pages } = sampleConfigFromEnv({ CCW_SYNTH_PAGES: "120", ...process.env });
const resolved = resolveConfig("cc3m");
const { rows } = await filterRows({ inputs: [`synth:${pages}:${seed}`], resolved, allReasons: true, workers: 1 });
process.stdout.write(toArrowIPC(tableFromRows(rows, resultColumns(resolved.stages))));
