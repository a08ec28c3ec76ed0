// Text → images end to end, as DALL-E does it: sample N token grids, decode them with the dVAE, rerank with a
// contrastive model. Pure (pages, CLI and tests share it).
import * as tf from "@tensorflow/tfjs";
import { bpeEncode, type Bpe } from "../bpe/index.js";
import type { Dvae } from "../dvae/index.js";
import { rankImages, type Reranker } from "../rerank/index.js";
import type { Transformer } from "./model.js";
import { sampleImages, type SampleOptions } from "./sample.js";

export interface Generator {
  transformer: Transformer; // text-to-image
  bpe: Bpe; // the transformer's tokenizer
  dvae: Dvae; // decodes the grids; its codebook must match the transformer's image vocabulary
  reranker?: { model: Reranker; bpe: Bpe }; // optional CLIP-like reranker with its own tokenizer
}

export interface GeneratedImage {
  sample: number; // index in sampling order
  tokens: Int32Array; // grid², row-major
  pixels: Float32Array; // [S, S, 3] in [0, 1]
  score: number | null; // reranker similarity (cosine), null without reranking
  rank: number; // 0 = best by the reranker (sampling order without one)
}

export interface GenerateResult {
  prompt: string;
  textIds: number[]; // BPE ids of the prompt (after truncation to the text slots)
  unknownTokens: number; // ids that are <unk>: characters the tokenizer never saw
  droppedTokens: number; // prompt tokens beyond the text slots (not seen by the model)
  images: GeneratedImage[]; // best first when reranked
  size: number; // image side in pixels
  seconds: { sample: number; decode: number; rerank: number };
}

/** Checks that the three models fit together; the error names the mismatch. */
export function checkGenerator(g: Generator): void {
  const t = g.transformer.config;
  if (t.direction !== "text-to-image") throw new Error(`the generator needs a text-to-image transformer; this one is ${t.direction}`);
  if (t.imageVocab !== g.dvae.config.vocabSize) throw new Error(`the transformer draws ${t.imageVocab} image codes but the dVAE has ${g.dvae.config.vocabSize}`);
  const grid = g.dvae.config.inputSize / 2 ** (g.dvae.config.groupCount - 1);
  if (t.grid !== grid) throw new Error(`the transformer draws a ${t.grid}×${t.grid} grid but the dVAE decodes ${grid}×${grid}`);
  if (g.reranker && g.reranker.model.config.imageSize !== g.dvae.config.inputSize) throw new Error(`the reranker reads ${g.reranker.model.config.imageSize}px images but the dVAE decodes ${g.dvae.config.inputSize}px`);
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** Generates `n` images for a prompt; with a reranker they come back best first with their scores. */
export async function generate(g: Generator, prompt: string, n: number, options: SampleOptions & { rerank?: boolean; prime?: readonly number[] } = {}): Promise<GenerateResult> {
  checkGenerator(g);
  const t0 = now();
  const all = bpeEncode(g.bpe, prompt);
  const textIds = all.slice(0, g.transformer.config.textLength);
  const grids = await sampleImages(g.transformer, textIds, n, options);
  const t1 = now();
  const S = g.dvae.config.inputSize;
  const decoded = tf.tidy(() => g.dvae.decode(tf.tensor3d(Int32Array.from(grids.flatMap((x) => Array.from(x))), [n, g.transformer.config.grid, g.transformer.config.grid], "int32")));
  const pixels = (await decoded.data()) as Float32Array;
  const t2 = now();
  let ranking: { index: number; score: number }[] | null = null;
  if (options.rerank !== false && g.reranker) ranking = await rankImages(g.reranker.model, decoded, bpeEncode(g.reranker.bpe, prompt));
  decoded.dispose();
  const t3 = now();
  const images: GeneratedImage[] = grids.map((tokens, i) => ({ sample: i, tokens, pixels: pixels.slice(i * S * S * 3, (i + 1) * S * S * 3), score: null, rank: i }));
  if (ranking) ranking.forEach(({ index, score }, rank) => Object.assign(images[index]!, { score, rank }));
  images.sort((a, b) => a.rank - b.rank);
  return {
    prompt,
    textIds,
    unknownTokens: all.filter((id) => id === 0).length,
    droppedTokens: all.length - textIds.length,
    images,
    size: S,
    seconds: { sample: (t1 - t0) / 1000, decode: (t2 - t1) / 1000, rerank: (t3 - t2) / 1000 },
  };
}
