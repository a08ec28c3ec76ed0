/**
 * Node-only door of src/lib/rerank: captioned images (rendered synthetic scenes, or the pairs dataset), their dVAE
 * decodes, tokenised into RerankerPairs (a RerankerTrainingSet's rows), the weights file with its BPE vocabulary, and
 * the training run (./run.ts).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { writeAtomic } from "../files/index.js";
import * as tf from "@tensorflow/tfjs";
import { bpeEncode, type Bpe } from "../bpe/index.js";
import type { Dvae } from "../dvae/index.js";
import { readPairs, type PairSetInfo } from "../pairs/node.js";
import { describeScene, generateCrawl, type Scene } from "../synth/index.js";
import { defaultNameLists, renderRaw } from "../synth/node-index.js";
import { rerankerWithBpeFromSafetensors, rerankerWithBpeToSafetensors } from "./weights.js";
import type { Reranker } from "./model.js";
import type { RerankerPair } from "./train.js";

export { DEFAULT_RERANKER_DIR, RERANKER_WEIGHTS_FILE } from "./settings.js";

/** An image with its caption, before tokenisation. */
export interface CaptionedImage {
  caption: string;
  /** RGB bytes [S·S·3], row-major. */
  pixels: Uint8Array;
  /** The image's dVAE token grid, row-major, when the dataset has it (decoded instead of re-encoding the pixels). */
  tokens?: ArrayLike<number>;
  /** The dataset split it belongs to ("train", "val", or a held-out split). */
  split: string;
}

/** Renders `count` scenes of the synthetic crawl (seed `seed`) at size × size, each captioned with describeScene(). */
export async function syntheticCaptioned(options: { seed: string; count: number; size: number; split: string; onProgress?: (done: number, total: number) => void }): Promise<CaptionedImage[]> {
  const { seed, count, size, split } = options;
  const scenes: Scene[] = [];
  for (let pages = Math.ceil(count / 1.5); scenes.length < count; pages *= 2) {
    scenes.length = 0;
    for (const im of generateCrawl({ seed, pages }, defaultNameLists()).images) if (scenes.length < count) scenes.push(im.scene);
  }
  const out: CaptionedImage[] = [];
  const CONCURRENT = 8;
  for (let start = 0; start < count; start += CONCURRENT) {
    const batch = scenes.slice(start, start + CONCURRENT);
    const raws = await Promise.all(batch.map((s) => renderRaw(s, { width: size, height: size })));
    raws.forEach((raw, j) => {
      const pixels = new Uint8Array(size * size * 3);
      for (let p = 0; p < size * size; p++) for (let ch = 0; ch < 3; ch++) pixels[p * 3 + ch] = raw.data[p * raw.channels + ch]!;
      out.push({ caption: describeScene(batch[j]!), pixels, split });
    });
    options.onProgress?.(out.length, count);
  }
  return out;
}

/** Reads a dVAE saved as a TF.js weights folder (its home is src/lib/dvae/node.ts). */
export { loadDvae } from "../dvae/node.js";

/**
 * What the transformer's samples look like: each image after the dVAE, as RGB bytes. Images with tokens are decoded
 * from them; the others are encoded first (decode(encode(pixels))). Items sharing one pixel array (several captions
 * of one image) are decoded once and share the result.
 */
export async function dvaeDecodes(dvae: Dvae, items: readonly CaptionedImage[], onProgress?: (done: number, total: number) => void): Promise<Uint8Array[]> {
  const S = dvae.config.inputSize;
  const grid = S / 2 ** (dvae.config.groupCount - 1);
  const slot = new Map<Uint8Array, number>(); // pixel array → index into `unique`
  const unique: CaptionedImage[] = [];
  items.forEach((item, i) => {
    if (item.pixels.length !== S * S * 3) throw new Error(`image ${i} has ${item.pixels.length} pixel bytes; the dVAE takes ${S}×${S}×3`);
    if (item.tokens && item.tokens.length !== grid * grid) throw new Error(`image ${i} has ${item.tokens.length} dVAE tokens; this dVAE's grid is ${grid}×${grid}`);
    if (!slot.has(item.pixels)) {
      slot.set(item.pixels, unique.length);
      unique.push(item);
    }
  });
  const decodedUnique: Uint8Array[] = [];
  const BATCH = 32;
  for (let start = 0; start < unique.length; start += BATCH) {
    const chunk = unique.slice(start, start + BATCH);
    const decoded = tf.tidy(() => {
      if (chunk.every((i) => i.tokens)) {
        const ids = new Int32Array(chunk.length * grid * grid);
        chunk.forEach((i, k) => ids.set(Array.from(i.tokens!), k * grid * grid));
        return dvae.decode(tf.tensor3d(ids, [chunk.length, grid, grid], "int32"));
      }
      const pixels = new Float32Array(chunk.length * S * S * 3);
      chunk.forEach((i, k) => {
        for (let p = 0; p < S * S * 3; p++) pixels[k * S * S * 3 + p] = i.pixels[p]! / 255;
      });
      return dvae.reconstruct(tf.tensor4d(pixels, [chunk.length, S, S, 3]));
    });
    const values = await decoded.data();
    decoded.dispose();
    chunk.forEach((_, k) => decodedUnique.push(Uint8Array.from(values.subarray(k * S * S * 3, (k + 1) * S * S * 3), (v) => Math.round(v * 255))));
    onProgress?.(decodedUnique.length, unique.length);
  }
  return items.map((item) => decodedUnique[slot.get(item.pixels)!]!);
}

/**
 * A pairs set (`ccw pairs build`) as captioned images by split ("train", "val", "heldout"). Rows of one image share
 * its pixel array. `withTokens: false` drops the stored dVAE tokens (when decoding with another dVAE than made them).
 */
export async function captionedFromPairs(dir: string, options: { withTokens?: boolean } = {}): Promise<{ info: PairSetInfo; splits: Map<string, CaptionedImage[]> }> {
  const { info, pairs } = await readPairs(dir);
  const splits = new Map<string, CaptionedImage[]>();
  for (const p of pairs) {
    let list = splits.get(p.split);
    if (!list) splits.set(p.split, (list = []));
    list.push({ caption: p.caption, pixels: p.pixels, ...(options.withTokens === false ? {} : { tokens: p.tokens }), split: p.split });
  }
  return { info, splits };
}

/** Captions tokenised with `bpe`; `decoded[i]`, when given, is image i's dVAE decode. */
export function toPairs(bpe: Bpe, items: readonly CaptionedImage[], decoded?: readonly Uint8Array[]): RerankerPair[] {
  return items.map((item, i) => ({ pixels: item.pixels, text: bpeEncode(bpe, item.caption), ...(decoded ? { decoded: decoded[i]! } : {}) }));
}

/** Writes the model with its BPE vocabulary and `info` in the safetensors metadata. */
export async function saveReranker(path: string, model: Reranker, bpe: Bpe, info: Record<string, unknown>): Promise<number> {
  const bytes = rerankerWithBpeToSafetensors(model, bpe, info);
  await writeAtomic(path, bytes);
  return bytes.byteLength;
}

/** Reads what saveReranker wrote: the model, its tokenizer, and the rest of the info. Throws naming the path. */
export async function loadReranker(path: string): Promise<{ model: Reranker; bpe: Bpe; info: Record<string, unknown> }> {
  if (!existsSync(path)) throw new Error(`no reranker weights at ${path}; train them with \`npm run train:reranker\``);
  try {
    return rerankerWithBpeFromSafetensors(await readFile(path));
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export { trainRerankerRun, scoreBoth, type RerankerRunOptions, type RerankerRunSummary } from "./run.js";
