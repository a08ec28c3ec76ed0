/**
 * Node-only door of src/lib/pairs: builds a pairs set from a synthetic crawl and reads one back.
 *
 * conceptual: a cleaner crawl (CLEAN_CRAWL: mostly descriptive alt-texts, little link rot) rendered
 * image by image and streamed through the whole cc3m filter pipeline (image with NSFW, text,
 * grounding, transform, then the corpus-level entity-type stage); every kept candidate becomes a row
 * with its hypernymized caption. coco: the COCO-like world's photos, `modern` style only, five rows
 * per image (its five COCO-style captions). Both: the crawl's encoded image bytes decoded, centre-
 * cropped square and resized to the dVAE's input, encoded to tokens in batches on the WASM backend.
 * Writes <out>/pairs.parquet (PAIR_COLUMNS) and <out>/pairs.json (PairSetInfo).
 */
import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { createParquetWriter, fromParquet, tableFromRows } from "../arrow/index.js";
import { loadDvae } from "../dvae/node.js";
import { tokenGridSize, type Dvae } from "../dvae/index.js";
import { applyEntityTypeFilter, filterCandidate, funnelOf, resolveConfig, type CandidateResult } from "../filter/index.js";
import { createContext, planRun, synthCandidate } from "../filter/node.js";
import { labelerWeightsExist } from "../labeler/node.js";
import { generateCrawl, mentionedCategories, type Crawl, type CrawlImage, type Scene } from "../synth/index.js";
import { defaultNameLists, encodeCrawl, renderRaw } from "../synth/node-index.js";
import { useBackend } from "../tfjs/index.js";
import {
  CLEAN_CRAWL, COCO_CRAWL, DEFAULT_DVAE_WEIGHTS, PAIR_COLUMNS, PAIR_SOURCES, checkCompositions, chooseHeldoutCompositions, pairFromRow, pairRow, resolveSplitOptions, sortedUnique, splitCounts, splitOf,
  type Pair, type PairRow, type PairSet, type PairSetInfo, type PairSource, type SplitOptions,
} from "./index.js";
import { writeAtomic } from "../files/index.js";

export * from "./index.js";

/** The crawl a set is built from, regenerated deterministically from its source, seed and pages (e.g. for its images' scenes). */
export function crawlOfSet(info: Pick<PairSetInfo, "source" | "seed" | "pages">): Crawl {
  const options = info.source === "conceptual" ? CLEAN_CRAWL : info.source === "coco" ? COCO_CRAWL : undefined;
  if (!options) throw new RangeError(`unknown pairs source ${JSON.stringify(info.source)}; valid: ${PAIR_SOURCES.join(", ")}`);
  return generateCrawl({ ...options, seed: info.seed, pages: info.pages }, defaultNameLists());
}

/** Images per dVAE encoder call. */
const ENCODE_BATCH = 64;

export interface BuildPairsOptions {
  source: PairSource;
  seed: string;
  pages: number;
  /** Output folder (created). */
  out: string;
  /** A TF.js dVAE weights folder (model.json + weights.bin); default models/dvae-small. */
  dvaeWeights?: string;
  /** Held-out compositions to use instead of choosing them (another set's, so both see the same test split). */
  heldout?: readonly (readonly [string, string])[];
  split?: Partial<SplitOptions>;
  /** Images rendered at once while the filter runs (default 2: rendering overlaps the filter in sharp's threads). */
  renderConcurrency?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** A row before its split and tokens. */
type Draft = Omit<Pair, "split" | "tokens">;

/**
 * What the models see of a crawl image: its scene's frame (the model world's central square, every object inside
 * it) rendered directly at size × size from the scene description, as RGB bytes. Never a crop of the served bytes.
 */
export async function framePixels(scene: Scene, size: number): Promise<Uint8Array> {
  const raw = await renderRaw(scene, { width: size, height: size, frame: true });
  if (raw.channels !== 3 || raw.data.length !== size * size * 3) throw new Error(`rendered ${raw.width}×${raw.height}×${raw.channels}, expected ${size}×${size}×3`);
  return new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
}

/** Token grids of size × size RGB images, ENCODE_BATCH at a time. */
export async function encodePixels(dvae: Dvae, images: readonly Uint8Array[], onProgress?: (done: number, total: number) => void): Promise<Int32Array[]> {
  const S = dvae.config.inputSize;
  const out: Int32Array[] = [];
  for (let start = 0; start < images.length; start += ENCODE_BATCH) {
    const chunk = images.slice(start, start + ENCODE_BATCH);
    const bytes = new Uint8Array(chunk.length * S * S * 3);
    chunk.forEach((px, i) => bytes.set(px, i * S * S * 3));
    const tokens = tf.tidy(() => dvae.encode(tf.tensor4d(bytes, [chunk.length, S, S, 3], "int32").toFloat().div(255) as tf.Tensor4D)); // [B, t, t]
    const data = (await tokens.data()) as Int32Array;
    tokens.dispose();
    const n = data.length / chunk.length;
    for (let i = 0; i < chunk.length; i++) out.push(Int32Array.from(data.subarray(i * n, (i + 1) * n)));
    onProgress?.(out.length, images.length);
  }
  return out;
}

const objectsOf = (im: CrawlImage): string[] => sortedUnique(im.scene.objects.map((o) => o.category));

interface Drafted {
  crawl: Crawl;
  drafts: Draft[];
  candidates: Record<string, number>;
  filter: PairSetInfo["filter"];
}

/** conceptual: the crawl through the cc3m pipeline, one context in this thread, images rendered a few at a time. */
async function conceptualDrafts(options: BuildPairsOptions, size: number): Promise<Drafted> {
  const crawl = crawlOfSet({ source: "conceptual", seed: options.seed, pages: options.pages });
  const resolved = resolveConfig("cc3m");
  const plan = planRun(resolved, { captionOnly: false, hasLabels: false, cnnAvailable: labelerWeightsExist() });
  const skipped = Object.entries(plan.skipped);
  if (skipped.length) throw new Error(`the pairs need every cc3m stage, but ${skipped.map(([s, why]) => `${s} is skipped (${why})`).join("; ")}`);
  const ctx = await createContext(plan);
  const results: CandidateResult[] = [];
  const pixels = new Map<string, Uint8Array>();
  const total = crawl.images.length;
  try {
    for await (const { image, bytes } of encodeCrawl(crawl, { concurrency: options.renderConcurrency ?? 2 })) {
      const result = await filterCandidate(synthCandidate(image, bytes), ctx);
      results.push(result);
      // Only shard-stage survivors are decoded; the entity-type stage below may still reject some.
      if (result.status === "kept" && bytes) pixels.set(result.id, await framePixels(image.scene, size));
      options.onProgress?.("render+filter", results.length, total);
    }
  } finally {
    ctx.dispose();
  }
  applyEntityTypeFilter(results, resolved);
  const funnel = funnelOf(results, resolved.stages, plan.skipped);
  const candidates: Record<string, number> = {};
  const drafts: Draft[] = [];
  results.forEach((r, i) => {
    candidates[r.status] = (candidates[r.status] ?? 0) + 1;
    if (r.status !== "kept") return;
    const im = crawl.images[i]!;
    const caption = r.caption_out ?? "";
    drafts.push({
      id: r.id, imageId: im.id, caption, altText: r.alt_text ?? "", style: im.scene.style,
      objects: objectsOf(im), mentioned: sortedUnique(mentionedCategories(caption)), pixels: pixels.get(r.id)!,
    });
  });
  return { crawl, drafts, candidates, filter: { preset: resolved.preset, funnel } };
}

/** coco: the COCO-like world's photos with their five COCO-style captions each. */
async function cocoDrafts(options: BuildPairsOptions, size: number): Promise<Drafted> {
  const crawl = crawlOfSet({ source: "coco", seed: options.seed, pages: options.pages });
  const candidates: Record<string, number> = {};
  const count = (status: string) => (candidates[status] = (candidates[status] ?? 0) + 1);
  // COCO's images are photographs: icons, thumbnails and banners are counted, not used.
  const photos = crawl.images.filter((im) => im.kind === "photo");
  if (crawl.images.length > photos.length) candidates.not_a_photo = crawl.images.length - photos.length;
  const drafts: Draft[] = [];
  let done = 0;
  for await (const { image, bytes } of encodeCrawl({ ...crawl, images: photos }, { concurrency: options.renderConcurrency ?? 2 })) {
    options.onProgress?.("render", ++done, photos.length);
    if (!bytes) {
      count("image_missing");
      continue;
    }
    count("kept");
    const px = await framePixels(image.scene, size);
    image.captions.forEach((caption, k) => {
      drafts.push({
        id: `${image.id}#${k}`, imageId: image.id, caption, altText: caption, style: image.scene.style,
        objects: objectsOf(image), mentioned: sortedUnique(mentionedCategories(caption)), pixels: px,
      });
    });
  }
  return { crawl, drafts, candidates, filter: null };
}

/** Rows per Parquet row group and per written batch: pixels make rows ~12 KB, so groups stay ~25 MB. */
const ROWS_PER_GROUP = 2048;

async function writePairsParquet(path: string, pairs: readonly Pair[]): Promise<void> {
  const file = await open(`${path}.tmp`, "w");
  try {
    const writer = await createParquetWriter(async (chunk) => void (await file.write(chunk)), { rowGroupSize: ROWS_PER_GROUP });
    // An empty set still gets a file with the schema.
    for (let start = 0; start === 0 || start < pairs.length; start += ROWS_PER_GROUP) {
      await writer.write(tableFromRows(pairs.slice(start, start + ROWS_PER_GROUP).map(pairRow), PAIR_COLUMNS));
    }
    await writer.close();
  } finally {
    await file.close();
  }
  await rename(`${path}.tmp`, path);
}

/** Builds a pairs set into options.out and returns its info (also written to pairs.json). */
export async function buildPairs(options: BuildPairsOptions): Promise<PairSetInfo> {
  const started = performance.now();
  if (!(PAIR_SOURCES as readonly string[]).includes(options.source)) throw new RangeError(`unknown pairs source ${JSON.stringify(options.source)}; valid: ${PAIR_SOURCES.join(", ")}`);
  if (!Number.isInteger(options.pages) || options.pages < 1 || options.pages > 1_000_000) throw new RangeError(`pages must be an integer from 1 to 1000000, got ${options.pages}`);
  if (typeof options.seed !== "string" || options.seed === "") throw new RangeError(`seed must be a non-empty string, got ${JSON.stringify(options.seed)}`);
  const split = resolveSplitOptions(options.split);
  const given = options.heldout ? checkCompositions(options.heldout) : null;
  // Weights first: a bad folder fails now, not after the crawl.
  await useBackend("wasm");
  const dvaeWeights = resolve(options.dvaeWeights ?? DEFAULT_DVAE_WEIGHTS);
  const dvae = await loadDvae(dvaeWeights);
  try {
    const size = dvae.config.inputSize;
    const drafted = options.source === "conceptual" ? await conceptualDrafts(options, size) : await cocoDrafts(options, size);
    const heldoutCompositions = given ?? chooseHeldoutCompositions(drafted.drafts, { share: split.heldoutShare, seed: options.seed, minCount: split.minCount });
    // The split is per image: coco's captions of one image go together, judged on all of them.
    const byImage = new Map<string, { mentioned: string[]; objects: string[] }>();
    for (const d of drafted.drafts) {
      const seen = byImage.get(d.imageId);
      byImage.set(d.imageId, { mentioned: seen ? sortedUnique([...seen.mentioned, ...d.mentioned]) : d.mentioned, objects: d.objects });
    }
    const splits = new Map([...byImage].map(([imageId, row]) => [imageId, splitOf({ imageId, ...row }, heldoutCompositions, { valShare: split.valShare, seed: options.seed })]));
    // One encoding per image (coco rows share theirs).
    const images = [...new Map(drafted.drafts.map((d) => [d.imageId, d.pixels]))];
    const tokenList = await encodePixels(dvae, images.map(([, px]) => px), (done, total) => options.onProgress?.("encode", done, total));
    const tokens = new Map(images.map(([id], i) => [id, tokenList[i]!]));
    const pairs: Pair[] = drafted.drafts.map((d) => ({ ...d, tokens: tokens.get(d.imageId)!, split: splits.get(d.imageId)! }));
    await mkdir(options.out, { recursive: true });
    options.onProgress?.("write", 0, 1);
    await writePairsParquet(join(options.out, "pairs.parquet"), pairs);
    const { counts, images: imageCounts } = splitCounts(pairs);
    const info: PairSetInfo = {
      source: options.source,
      seed: options.seed,
      pages: options.pages,
      grid: tokenGridSize(dvae.config),
      vocab: dvae.config.vocabSize,
      imageSize: size,
      dvaeWeights,
      heldoutCompositions,
      heldoutFrom: given ? "given" : "chosen",
      split,
      counts,
      images: imageCounts,
      candidates: drafted.candidates,
      crawl: { ...drafted.crawl.options },
      filter: drafted.filter,
      built: new Date().toISOString(),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    await writeAtomic(join(options.out, "pairs.json"), `${JSON.stringify(info, null, 2)}\n`);
    options.onProgress?.("write", 1, 1);
    return info;
  } finally {
    dvae.dispose();
  }
}

/** Reads just a set's info (pairs.json). */
export async function readPairsInfo(dir: string): Promise<PairSetInfo> {
  const path = join(dir, "pairs.json");
  if (!existsSync(path)) throw new Error(`no pairs set in ${dir}: ${path} is missing; build one with \`ccw pairs build\``);
  return JSON.parse(await readFile(path, "utf-8")) as PairSetInfo;
}

/** Reads a set written by buildPairs (<dir>/pairs.json + <dir>/pairs.parquet); rows of one image share their pixel and token arrays. */
export async function readPairs(dir: string): Promise<PairSet> {
  const info = await readPairsInfo(dir);
  const path = join(dir, "pairs.parquet");
  if (!existsSync(path)) throw new Error(`${dir} has pairs.json but no pairs.parquet; rebuild it with \`ccw pairs build\``);
  const table = await fromParquet(await readFile(path));
  const columns = PAIR_COLUMNS.map((c) => [c.name, table.getChild(c.name)] as const);
  for (const [name, vector] of columns) if (!vector) throw new Error(`${path} lacks column ${JSON.stringify(name)}; rebuild it with \`ccw pairs build\``);
  const shared = new Map<string, { pixels: Uint8Array; tokens: Int32Array }>();
  const pairs: Pair[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const [name, vector] of columns) {
      const v = vector!.get(i) as unknown;
      row[name] = v instanceof Uint8Array ? v : v !== null && typeof v === "object" && "toArray" in (v as object) ? Array.from((v as { toArray(): ArrayLike<unknown> }).toArray()) : v;
    }
    const pair = pairFromRow(row as unknown as PairRow);
    const seen = shared.get(pair.imageId);
    if (seen) Object.assign(pair, seen);
    else {
      pair.pixels = Uint8Array.from(pair.pixels); // its own buffer, not a view that keeps the whole table alive
      shared.set(pair.imageId, { pixels: pair.pixels, tokens: pair.tokens });
    }
    pairs.push(pair);
  }
  const expected = info.counts.train + info.counts.val + info.counts.heldout;
  if (pairs.length !== expected) throw new Error(`${path} has ${pairs.length} rows but pairs.json counts ${expected}; the folder is inconsistent, rebuild it`);
  return { info, pairs };
}
