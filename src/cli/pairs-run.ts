// `ccw pairs build|info`: the text–image pairs the transformer and the captioners train on.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_SPLIT, PAIR_SOURCES, PAIR_SPLITS, type PairSetInfo, type PairSource } from "../lib/pairs/index.js";
import { buildPairs, readPairsInfo, CLEAN_CRAWL, DEFAULT_DVAE_WEIGHTS, DEFAULT_PAGES } from "../lib/pairs/node.js";
import { intOption, UsageError, type Command, type CommandIO } from "./command.js";
import { throttledProgress } from "./progress.js";

const VERBS = ["build", "info"] as const;
const noise = Object.entries(CLEAN_CRAWL.noiseRates ?? {}).map(([k, v]) => `${k} ${Math.round(v * 100)}%`).join(", ");

const USAGE = `Usage: ccw pairs build [options]
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
pairs never meet in train or val; val is a seeded ${DEFAULT_SPLIT.valShare * 100}% of the other images.

Options (build):
  --source <name>        ${PAIR_SOURCES.join(" | ")} (default: conceptual)
  --pages <n>            crawl pages (default: ${DEFAULT_PAGES.conceptual} for conceptual, ${DEFAULT_PAGES.coco} for coco)
  --seed <s>             crawl, held-out and val seed (default: 1)
  --out <dir>            output folder (default: out/pairs-<source>)
  --dvae <dir>           dVAE weights folder, TF.js format (default: ${DEFAULT_DVAE_WEIGHTS})
  --heldout-from <dir>   use that pairs set's held-out compositions instead of choosing (so the coco and
                         conceptual sets share one test split)
  --heldout-share <x>    share of compositions held out, 0 to 1 (default: ${DEFAULT_SPLIT.heldoutShare})
  --min-count <n>        captions a composition needs to be a candidate (default: ${DEFAULT_SPLIT.minCount})
  -h, --help             show this help`;

function share(raw: unknown, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw === "" || !(value >= 0 && value <= 1)) throw new UsageError(`ccw pairs: --${name} must be a number from 0 to 1, got ${JSON.stringify(raw)}`);
  return value;
}

const formatSeconds = (s: number) => (s >= 90 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

/** The lines `ccw pairs info` and the end of a build print. */
export function infoLines(info: PairSetInfo, dir: string): string[] {
  const total = PAIR_SPLITS.reduce((n, s) => n + info.counts[s], 0);
  const candidates = Object.values(info.candidates).reduce((a, b) => a + b, 0);
  return [
    `${dir}: ${info.source} pairs, seed ${info.seed}, ${info.pages} pages, built ${info.built} in ${formatSeconds(info.seconds)}`,
    `  rows ${total}: ${PAIR_SPLITS.map((s) => `${s} ${info.counts[s]} (${info.images[s]} images)`).join(", ")}`,
    `  tokens ${info.grid}×${info.grid} of ${info.vocab} codes from ${info.dvaeWeights}; pixels ${info.imageSize}×${info.imageSize}×3`,
    `  candidates ${candidates}: ${Object.entries(info.candidates).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")}`,
    `  held-out compositions (${info.heldoutCompositions.length}, ${info.heldoutFrom}): ${info.heldoutCompositions.map(([a, b]) => `${a}+${b}`).join(", ") || "none"}`,
  ];
}

async function buildVerb(values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const source = (values.source as string | undefined) ?? "conceptual";
  if (!(PAIR_SOURCES as readonly string[]).includes(source)) throw new UsageError(`ccw pairs: --source must be one of ${PAIR_SOURCES.join(", ")}, got ${JSON.stringify(source)}`);
  const src = source as PairSource;
  const pages = intOption("pairs", "pages", values.pages, DEFAULT_PAGES[src], 1, 1_000_000);
  const seed = (values.seed as string | undefined) ?? "1";
  if (seed === "") throw new UsageError("ccw pairs: --seed must not be empty");
  const minCount = intOption("pairs", "min-count", values["min-count"], DEFAULT_SPLIT.minCount, 1, 1_000_000);
  const heldoutShare = share(values["heldout-share"], "heldout-share") ?? DEFAULT_SPLIT.heldoutShare;
  let heldout: [string, string][] | undefined;
  if (values["heldout-from"] !== undefined) {
    try {
      heldout = (await readPairsInfo(resolve(String(values["heldout-from"])))).heldoutCompositions;
    } catch (error) {
      throw new UsageError(`ccw pairs: --heldout-from: ${(error as Error).message}`);
    }
  }
  const dvae = resolve((values.dvae as string | undefined) ?? DEFAULT_DVAE_WEIGHTS);
  if (!existsSync(`${dvae}/model.json`)) throw new UsageError(`ccw pairs: --dvae ${dvae} has no model.json; give a TF.js dVAE weights folder (default ${DEFAULT_DVAE_WEIGHTS}, or train one with \`ccw dvae train\`)`);
  const out = resolve((values.out as string | undefined) ?? `out/pairs-${src}`);
  const bars = new Map<string, (done: number, detail?: string) => void>();
  const started = Date.now();
  const info = await buildPairs({
    source: src, seed, pages, out, dvaeWeights: dvae, heldout, split: { minCount, heldoutShare },
    onProgress: (phase, done, total) => {
      let bar = bars.get(phase);
      if (!bar) bars.set(phase, (bar = throttledProgress(io.err, phase, total)));
      const elapsed = (Date.now() - started) / 1000;
      bar(done, `${elapsed.toFixed(0)}s`);
    },
  });
  for (const line of infoLines(info, out)) io.out(line);
  io.out(`wrote ${out}/pairs.parquet and pairs.json`);
  return 0;
}

export const pairsCommand: Command = {
  name: "pairs",
  summary: "build the text–image training pairs (captions, dVAE tokens, composition split) and describe them",
  usage: USAGE,
  options: {
    source: { type: "string" },
    pages: { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
    dvae: { type: "string" },
    "heldout-from": { type: "string" },
    "heldout-share": { type: "string" },
    "min-count": { type: "string" },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const [verb, ...args] = positionals;
    if (!verb || !(VERBS as readonly string[]).includes(verb)) {
      throw new UsageError(`ccw pairs: expected a verb, one of ${VERBS.join(", ")}; got ${verb === undefined ? "nothing" : JSON.stringify(verb)}. See \`ccw pairs --help\`.`);
    }
    if (verb === "build") {
      if (args.length) throw new UsageError(`ccw pairs build: takes no positional arguments, got ${args.join(" ")}`);
      return buildVerb(values, io);
    }
    if (args.length !== 1) throw new UsageError("ccw pairs info: give one pairs folder, e.g. `ccw pairs info out/pairs-conceptual`");
    let info: PairSetInfo;
    try {
      info = await readPairsInfo(resolve(args[0]!));
    } catch (error) {
      throw new UsageError(`ccw pairs info: ${(error as Error).message}`);
    }
    for (const line of infoLines(info, resolve(args[0]!))) io.out(line);
    return 0;
  },
};
