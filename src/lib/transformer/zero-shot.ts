// Zero-shot composition: does a generated image show every object its prompt names? Judged by the project's
// image classifier on seen and held-out (never trained together) compositions, with and without reranking,
// beside the same judge on the prompts' real images and their dVAE reconstructions (the judge's ceiling).
import * as tf from "@tensorflow/tfjs";
import { cnnPredict, type Cnn } from "../labeler/cnn.js";
import { DEFAULT_SAMPLING } from "./config.js";
import { generate, type Generator } from "./generate.js";
import type { SampleOptions } from "./sample.js";

/** Names the categories it sees in images [B, S, S, 3] in [0, 1]. */
export interface Judge {
  name: string;
  detect(images: tf.Tensor4D): Promise<string[][]>;
}

/**
 * The prompt of `group` whose samples show the largest share of the objects it names (by the report's judge; the
 * first such prompt on a tie), or null when the group has none: the transformer page's default prompt.
 */
export function bestDrawnPrompt(prompts: readonly Pick<PromptOutcome, "caption" | "group" | "mentioned" | "sampleFound">[], group: CompositionGroup): string | null {
  let best: { caption: string; share: number } | null = null;
  for (const p of prompts) {
    if (p.group !== group || p.mentioned.length === 0 || p.sampleFound.length === 0) continue;
    const share = p.sampleFound.reduce((sum, found) => sum + found.filter((c) => p.mentioned.includes(c)).length / p.mentioned.length, 0) / p.sampleFound.length;
    if (best === null || share > best.share) best = { caption: p.caption, share };
  }
  return best?.caption ?? null;
}

/**
 * The synthetic-world classifier (labeler) as a judge: a category is found when its probability is at least
 * `threshold`, or (with `top` > 0) when it is among the `top` most probable — a ranking rule for blurry decodes,
 * where the classifier's probabilities rarely reach the threshold but its ranking still carries the content.
 */
export function cnnJudge(cnn: Cnn, options: { threshold: number; top?: number; name?: string }): Judge {
  const top = options.top ?? 0;
  return {
    name: `${options.name ?? "synth-cnn"} (p ≥ ${options.threshold}${top > 0 ? ` or among the top ${top}` : ""})`,
    async detect(images) {
      const probs = await cnnPredict(cnn, images);
      return probs.map((row) => {
        const ranked = row.map((p, k) => [p, k] as const).sort((a, b) => b[0] - a[0]);
        return ranked.flatMap(([p, k], rank) => (p >= options.threshold || rank < top ? [cnn.config.categories[k]!] : []));
      });
    },
  };
}

export type CompositionGroup = "seen" | "unseen";

export interface ZeroShotPrompt {
  caption: string;
  mentioned: string[]; // categories the prompt names (what the judge must find)
  group: CompositionGroup; // unseen: contains a held-out pair of categories
  pixels: Uint8Array; // the prompt's real image (S·S·3), for the ceiling
  tokens: Int32Array; // its dVAE tokens, for the reconstruction ceiling
}

export interface PromptOutcome {
  caption: string;
  group: CompositionGroup;
  mentioned: string[];
  sampleFound: string[][]; // per sample (sampling order): mentioned categories the judge found
  rerankedSample: number | null; // index of the reranker's choice
  originalFound: string[];
  reconstructionFound: string[];
}

export interface GroupScores {
  prompts: number;
  accuracy: number; // share of samples showing every mentioned category (no reranking)
  accuracyReranked: number | null; // share of prompts whose top-reranked sample shows every mentioned category
  objectRecall: number; // share of mentioned categories found, over samples
  objectRecallReranked: number | null;
  ceilingOriginal: number; // accuracy of the judge on the prompts' real images
  ceilingReconstruction: number; // … on their dVAE reconstructions
}

export interface ZeroShotReport {
  judge: string;
  samples: number;
  options: { temperature: number; topK: number; topP: number; seed: number | string };
  groups: Record<CompositionGroup, GroupScores>;
  prompts: PromptOutcome[];
  seconds: number;
}

const allFound = (mentioned: readonly string[], found: readonly string[]) => mentioned.every((c) => found.includes(c));
const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Runs the test: `samples` images per prompt from the generator, each judged; the reranker's pick judged too. */
export async function zeroShot(
  g: Generator,
  judge: Judge,
  prompts: readonly ZeroShotPrompt[],
  options: SampleOptions & { samples: number; onPrompt?: (done: number, total: number) => void },
): Promise<ZeroShotReport> {
  const started = Date.now();
  const S = g.dvae.config.inputSize;
  const grid = g.transformer.config.grid;
  const outcomes: PromptOutcome[] = [];
  for (const [i, prompt] of prompts.entries()) {
    const result = await generate(g, prompt.caption, options.samples, { ...options, seed: `${options.seed ?? DEFAULT_SAMPLING.seed}-${i}`, onToken: undefined });
    const bySample = [...result.images].sort((a, b) => a.sample - b.sample);
    const generated = tf.tensor4d(Float32Array.from(bySample.flatMap((im) => Array.from(im.pixels))), [bySample.length, S, S, 3]);
    const sampleFound = (await judge.detect(generated)).map((found) => prompt.mentioned.filter((c) => found.includes(c)));
    generated.dispose();
    const real = tf.tidy(() => tf.div(tf.tensor4d(Int32Array.from(prompt.pixels), [1, S, S, 3], "int32").toFloat(), 255) as tf.Tensor4D);
    const recon = tf.tidy(() => g.dvae.decode(tf.tensor3d(prompt.tokens, [1, grid, grid], "int32")));
    const [originalFound] = await judge.detect(real);
    const [reconstructionFound] = await judge.detect(recon);
    tf.dispose([real, recon]);
    outcomes.push({
      caption: prompt.caption,
      group: prompt.group,
      mentioned: prompt.mentioned,
      sampleFound,
      rerankedSample: g.reranker ? result.images[0]!.sample : null,
      originalFound: prompt.mentioned.filter((c) => originalFound!.includes(c)),
      reconstructionFound: prompt.mentioned.filter((c) => reconstructionFound!.includes(c)),
    });
    options.onPrompt?.(i + 1, prompts.length);
  }
  const score = (group: CompositionGroup): GroupScores => {
    const rows = outcomes.filter((o) => o.group === group);
    const reranked = rows.filter((o) => o.rerankedSample !== null);
    return {
      prompts: rows.length,
      accuracy: mean(rows.flatMap((o) => o.sampleFound.map((f) => (allFound(o.mentioned, f) ? 1 : 0)))),
      accuracyReranked: reranked.length ? mean(reranked.map((o) => (allFound(o.mentioned, o.sampleFound[o.rerankedSample!]!) ? 1 : 0))) : null,
      objectRecall: mean(rows.flatMap((o) => o.sampleFound.map((f) => f.length / o.mentioned.length))),
      objectRecallReranked: reranked.length ? mean(reranked.map((o) => o.sampleFound[o.rerankedSample!]!.length / o.mentioned.length)) : null,
      ceilingOriginal: mean(rows.map((o) => (allFound(o.mentioned, o.originalFound) ? 1 : 0))),
      ceilingReconstruction: mean(rows.map((o) => (allFound(o.mentioned, o.reconstructionFound) ? 1 : 0))),
    };
  };
  const d = DEFAULT_SAMPLING;
  return {
    judge: judge.name,
    samples: options.samples,
    options: { temperature: options.temperature ?? d.temperature, topK: options.topK ?? d.topK, topP: options.topP ?? d.topP, seed: options.seed ?? d.seed },
    groups: { seen: score("seen"), unseen: score("unseen") },
    prompts: outcomes,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}
