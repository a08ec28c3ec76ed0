// `ccw synth`: its flags and help; the run is in synth-run.ts, loaded only when it runs.
import { NOISE_CLASSES } from "../lib/synth/alt-text.js";
import { resolveCrawlOptions } from "../lib/synth/crawl.js";
import { WORLDS } from "../lib/synth/world.js";
import { lazyRun, type Command } from "./command.js";
import { defineFlags, helpText } from "./flags.js";

/** The library's crawl defaults (world, styles, rates), shown in the help and passed on as they are. */
const CRAWL = resolveCrawlOptions({ seed: "", pages: 1 });

export const FLAGS = defineFlags({
  out: { type: "path", arg: "<dir>", needs: "the folder to write the crawl into", doc: "output folder (required; created if missing)" },
  seed: { type: "string", arg: "<s>", default: "1", doc: "seed, any string" },
  pages: { type: "int", min: 1, max: 1_000_000, default: 200, doc: "number of pages" },
  // The library checks worlds, styles and noise classes, naming the valid ones.
  world: { type: "string", arg: "<w>", default: CRAWL.world, doc: `co-occurrences: ${WORLDS.join(" | ")}` },
  styles: { type: "list", default: CRAWL.styles, doc: "comma-separated styles" },
  noise: { type: "string", arg: "<list>", doc: `noise-class rates, class=rate,... (others scale to fill the rest); classes: ${NOISE_CLASSES.join(", ")}` },
  "missing-rate": { type: "number", arg: "<r>", min: 0, max: 1, default: CRAWL.missingImageRate, doc: "share of image URLs that answer 404" },
  "plain-warc": { type: "boolean", doc: "write an uncompressed crawl.warc instead of crawl.warc.gz" },
  images: { type: "boolean", doc: "also write every image file to <dir>/images/" },
  concurrency: { type: "int", min: 1, max: 64, defaultDoc: "number of cores", doc: "images rendered at once" },
});

export const synthCommand: Command = {
  name: "synth",
  summary: "write the built-in synthetic web crawl (WARC + ground-truth tables)",
  get usage() {
    return helpText(
      `Usage: ccw synth --out <dir> [options]

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
  summary.json         the resolved options and counts`,
      [{ title: "Options:", flags: FLAGS }],
    );
  },
  flags: FLAGS,
  run: lazyRun(async () => (await import("./synth-run.js")).run),
};
