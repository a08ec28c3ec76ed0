// `ccw pairs build|info`: its flags and help; the run is in pairs-run.ts, loaded only when it runs.
import { CLEAN_CRAWL, DEFAULT_DVAE_WEIGHTS, DEFAULT_PAGES } from "../lib/pairs/crawls.js";
import { DEFAULT_SPLIT, PAIR_SOURCES } from "../lib/pairs/index.js";
import { lazyRun, type Command } from "./command.js";
import { defineFlags, helpText } from "./flags.js";

/** Where `ccw pairs build` writes a source's set, and where the commands that train on one look for it. */
export const pairsDir = (source: string): string => `out/pairs-${source}`;

export const BUILD_FLAGS = defineFlags({
  source: { type: "enum", arg: "<name>", values: PAIR_SOURCES, default: "conceptual", doc: "where the captions come from" },
  pages: { type: "int", min: 1, max: 1_000_000, defaultDoc: `${DEFAULT_PAGES.conceptual} for conceptual, ${DEFAULT_PAGES.coco} for coco`, doc: "crawl pages" },
  seed: { type: "string", arg: "<s>", default: "1", needs: "a seed (any string)", doc: "crawl, held-out and val seed" },
  out: { type: "path", arg: "<dir>", defaultDoc: pairsDir("<source>"), doc: "output folder" },
  dvae: { type: "path", arg: "<dir>", default: DEFAULT_DVAE_WEIGHTS, doc: "dVAE weights folder, TF.js format" },
  "heldout-from": { type: "path", arg: "<dir>", doc: "use that pairs set's held-out compositions instead of choosing (so the coco and conceptual sets share one test split)" },
  "heldout-share": { type: "number", min: 0, max: 1, default: DEFAULT_SPLIT.heldoutShare, doc: "share of compositions held out" },
  "min-count": { type: "int", min: 1, max: 1_000_000, default: DEFAULT_SPLIT.minCount, doc: "captions a composition needs to be a candidate" },
});

const VERB_FLAGS = { build: BUILD_FLAGS, info: {} };
export const VERBS = Object.keys(VERB_FLAGS);
const noise = Object.entries(CLEAN_CRAWL.noiseRates ?? {}).map(([k, v]) => `${k} ${Math.round(v * 100)}%`).join(", ");

const INTRO = `Usage: ccw pairs build [options]
       ccw pairs info <dir>

  build   Builds a pairs set: captions with their images' dVAE token grids and 64×64 pixels, split into
          train / val / heldout. Writes <out>/pairs.parquet (one row per caption; schema in
          docs/schemas.md) and <out>/pairs.json (counts, held-out compositions, every crawl
          candidate's final status, crawl and split settings, build time).
  info    Prints a set's counts, held-out compositions and candidate statuses.

Sources (--source):
  conceptual   (default) the Conceptual Captions pipeline's output over the synthetic crawl: every stage
               of the cc3m preset (image format/size/aspect and NSFW, text rules, label grounding,
               hypernymization, entity-type frequency) runs over each candidate; kept candidates give
               their hypernymized caption. The crawl is a cleaner one than \`ccw synth\`'s default: its
               alt-texts are ${noise} (the other noise classes share the rest), link rot and
               lying extensions ${CLEAN_CRAWL.missingImageRate! * 100}% each; image kinds and formats stay the web's mix, so
               the image stage still rejects most candidates. All three styles, decorrelated world.
  coco         COCO-style literal captions of the COCO-like (correlated) world's photos, modern style
               only; five rows per image, one per caption (the other image kinds are counted as
               not_a_photo).

Images: the crawl's encoded bytes, decoded, centre-cropped square, resized to the dVAE's input and
encoded to tokens on the TF.js WASM backend.

Speed: every crawl image is rendered at its full size and the survivors of the header rules go through
the NSFW model, so the conceptual build is the slow one (\`ccw pairs info\` shows a set's build time). The filter
runs in this process with its models loaded once, while sharp renders the next images on its own
threads; rendering is the slower half, so a filter worker pool (which loads the models per worker)
would not make it faster.

Split: a category pair mentioned together in at least ${DEFAULT_SPLIT.minCount} captions is a composition; a seeded
${DEFAULT_SPLIT.heldoutShare * 100}% of them are held out. A row whose caption or image (mentioned categories and
ground-truth objects together) contains both categories of a held-out composition is heldout, so those
pairs never meet in train or val; val is a seeded ${DEFAULT_SPLIT.valShare * 100}% of the other images.`;

export const pairsCommand: Command = {
  name: "pairs",
  summary: "build the text–image training pairs (captions, dVAE tokens, composition split) and describe them",
  get usage() {
    return helpText(INTRO, [{ title: "Options (build):", flags: BUILD_FLAGS }]);
  },
  verbs: VERB_FLAGS,
  allowPositionals: true,
  run: lazyRun(async () => (await import("./pairs-run.js")).run),
};
