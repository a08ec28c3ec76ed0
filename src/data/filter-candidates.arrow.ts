// The built-in synthetic crawl through the cc3m filter (every rule recorded): one row per candidate with its features, statuses and transformed caption, as Arrow IPC.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConfig } from "../lib/filter/index.js";
import { runFilter } from "../lib/filter/node.js";
import { sampleConfigFromEnv } from "../lib/synth/node-index.js";

// The same seed as the other synth loaders; fewer pages by default, because every image is rendered and classified.
const { seed, pages } = sampleConfigFromEnv({ CCW_SYNTH_PAGES: "120", ...process.env });
const out = await mkdtemp(join(tmpdir(), "ccw-filter-loader-"));
try {
  await runFilter({ inputs: [`synth:${pages}:${seed}`], resolved: resolveConfig("cc3m"), out, allReasons: true, workers: 1 });
  process.stdout.write(await readFile(join(out, "candidates.arrow")));
} finally {
  await rm(out, { recursive: true, force: true });
}
