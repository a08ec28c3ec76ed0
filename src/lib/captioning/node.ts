/**
 * Node-only side of the captioner comparison: the shared tokenizer of both training sets, the test images (the
 * conceptual set's val and held-out images with their scenes' COCO-style references, regenerated from the crawl),
 * greedy captions from a trained captioner, and the evaluation file the page reads.
 */
import { bpeDecode, trainBpe, type Bpe } from "../bpe/index.js";
import { crawlOfSet, readPairs, type Pair, type PairSet } from "../pairs/node.js";
import { cocoImageId, describeScene } from "../synth/index.js";
import { sampleCaptions, type Transformer } from "../transformer/index.js";
import type { TestImage } from "./evaluate.js";

export * from "./index.js";

/** Where `npm run train:captioners` writes. */
export const CAPTIONER_DIRS = { coco: "models/captioner-coco", conceptual: "models/captioner-conceptual" } as const;
export const CAPTIONERS_BPE = "models/captioners-bpe.json";
export const CAPTIONERS_EVAL = "models/captioners-eval.json";
export const TEST_SPLITS = ["val", "heldout"] as const;

/** One BPE over both sets' training captions, so the two captioners speak the same token vocabulary. */
export function sharedBpe(sets: readonly PairSet[], vocabSize: number): Bpe {
  const captions = sets.flatMap((s) => s.pairs.filter((p) => p.split === "train").map((p) => p.caption));
  if (captions.length === 0) throw new Error("sharedBpe: the pairs sets have no training captions");
  return trainBpe(captions, { vocabSize });
}

/** A test image with what the captioners read (its token grid) and what the page draws (its pixels). */
export interface TestImageData extends TestImage {
  tokens: Int32Array;
  pixels: Uint8Array;
}

/**
 * The test set: distinct images of the set's val and held-out splits (all styles, the decorrelated world), each with
 * its ground-truth objects, its scene's literal description and five COCO-style references from the regenerated crawl.
 */
export async function testImages(dir: string, options: { limit?: number } = {}): Promise<{ images: TestImageData[]; set: PairSet }> {
  const set = await readPairs(dir);
  const seen = new Set<string>();
  const rows: Pair[] = set.pairs.filter((p) => (TEST_SPLITS as readonly string[]).includes(p.split) && !seen.has(p.imageId) && seen.add(p.imageId));
  if (rows.length === 0) throw new Error(`${dir} has no val or held-out images to test on; rebuild it with \`ccw pairs build\``);
  const chosen = options.limit ? rows.slice(0, options.limit) : rows;
  const crawl = crawlOfSet(set.info);
  const byId = new Map(crawl.images.map((im) => [im.id, im]));
  const images = chosen.map((p): TestImageData => {
    const im = byId.get(p.imageId);
    if (!im) throw new Error(`${dir}: image ${p.imageId} is not in the crawl regenerated from seed ${set.info.seed} and ${set.info.pages} pages; the set and the crawl code disagree, rebuild the set`);
    const sceneObjects = [...new Set(im.scene.objects.map((o) => o.category))].sort();
    if (sceneObjects.join() !== p.objects.join()) throw new Error(`${dir}: image ${p.imageId} has objects ${p.objects.join(", ")} in the set but ${sceneObjects.join(", ")} in the regenerated crawl; rebuild the set`);
    return {
      imageId: p.imageId, cocoId: cocoImageId(im), style: p.style, split: p.split, objects: p.objects,
      description: describeScene(im.scene), references: im.captions, tokens: p.tokens, pixels: p.pixels,
    };
  });
  return { images, set };
}

/** Greedy captions (temperature 0) of token grids, `batch` at a time, decoded with the model's BPE. */
export async function captionGrids(model: Transformer, bpe: Bpe, grids: readonly Int32Array[], options: { batch?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<string[]> {
  const batch = options.batch ?? 64;
  const out: string[] = [];
  for (let start = 0; start < grids.length; start += batch) {
    const ids = await sampleCaptions(model, grids.slice(start, start + batch), { temperature: 0 });
    out.push(...ids.map((row) => bpeDecode(bpe, row)));
    options.onProgress?.(out.length, grids.length);
  }
  return out;
}
