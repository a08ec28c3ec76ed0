// Scene descriptions of the synthetic crawl's images (no rendering): the explorer draws its thumbnails from them, as Arrow IPC.
import { toArrowIPC } from "../lib/arrow/index.js";
import { synthScenes } from "../lib/explore/node-index.js";

process.stdout.write(toArrowIPC(synthScenes(process.env)));
