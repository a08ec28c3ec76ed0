// Thumbnails (data URLs) of the configured COCO image folder (CCW_IMAGES) for the images the COCO captions table shows; empty when either is not configured.
import { cocoCaptionsExplore, cocoThumbnails } from "../lib/explore/node-index.js";
import { loadSourceConfig } from "../lib/sources/index.js";

const config = await loadSourceConfig();
const files = (await cocoCaptionsExplore(config)).getChild("image")?.toArray().filter((f: string | null): f is string => f !== null) ?? [];
const thumbs = await cocoThumbnails(config, files);
if (thumbs.skipped.length) console.error(`explore-coco-thumbs: ${thumbs.skipped.length} image(s) without a thumbnail, e.g. ${thumbs.skipped[0]!.file}: ${thumbs.skipped[0]!.reason}`);
process.stdout.write(JSON.stringify(thumbs));
