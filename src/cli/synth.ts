// `ccw synth`: its flags and help; the run is in synth-run.ts, loaded only when it runs.
import { NOISE_CLASSES } from "../lib/synth/alt-text.js";
import { STYLES } from "../lib/synth/vocabulary.js";
import { WORLDS } from "../lib/synth/world.js";
import { lazyRun, type Command } from "./command.js";

export const DEFAULT_PAGES = 200;

export const synthCommand: Command = {
  name: "synth",
  summary: "write the built-in synthetic web crawl (WARC + ground-truth tables)",
  usage: `Usage: ccw synth --out <dir> [options]

Generates a deterministic synthetic web crawl of emoji scenes with realistic alt-text:
the same seed and options give byte-identical files.

Writes into <dir>:
  crawl.warc.gz        HTML pages and image responses (request + response records)
  images.arrow         one row per image: scene, style, context, format, size, bytes
  objects.arrow        one row per drawn object: category, WordNet sense, box
  candidates.arrow     one row per <img>: alt-text, noise class, entities
  captions.arrow       five COCO-style captions per image
  images.parquet, objects.parquet, candidates.parquet, captions.parquet
                       the same four tables as Parquet
  coco-captions.json   the captions in COCO's captions format
  coco-instances.json  the objects in COCO's instances format (boxes)
  summary.json         the resolved options and counts

Options:
  --out <dir>           output folder (required; created if missing)
  --seed <s>            seed, any string (default: 1)
  --pages <n>           number of pages, 1 to 1000000 (default: ${DEFAULT_PAGES})
  --world <w>           co-occurrences: ${WORLDS.join(" | ")} (default: decorrelated)
  --styles <list>       comma-separated subset of ${STYLES.join(",")} (default: all)
  --noise <list>        noise-class rates, class=rate,... (others scale to fill the rest);
                        classes: ${NOISE_CLASSES.join(", ")}
  --missing-rate <r>    share of image URLs that answer 404 (default: 0.03)
  --plain-warc          write an uncompressed crawl.warc instead of crawl.warc.gz
  --images              also write every image file to <dir>/images/
  --concurrency <n>     images rendered at once (default: number of cores)
  -h, --help            show this help`,
  options: {
    out: { type: "string" },
    seed: { type: "string" },
    pages: { type: "string" },
    world: { type: "string" },
    styles: { type: "string" },
    noise: { type: "string" },
    "missing-rate": { type: "string" },
    "plain-warc": { type: "boolean" },
    images: { type: "boolean" },
    concurrency: { type: "string" },
  },
  run: lazyRun(async () => (await import("./synth-run.js")).run),
};
