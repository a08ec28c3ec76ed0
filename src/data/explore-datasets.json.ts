// Which of the explorer's file-backed datasets are configured, and from where (the configuration only; no data is read).
import { exploreManifest } from "../lib/explore/node-index.js";
import { loadSourceConfig } from "../lib/sources/index.js";

process.stdout.write(JSON.stringify(exploreManifest(await loadSourceConfig()), null, 2));
