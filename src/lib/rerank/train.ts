// Training the reranker: pairs → batches, AdamW with warm-up and cosine decay, and in-batch retrieval accuracy.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../synth/index.js";
import { AdamW } from "../tfjs/index.js";
import { contrastiveLoss, encodeImages, encodeTexts, infoNce, logitScale, sameTextMatrix, textTensors, type Reranker, type RerankerConfig } from "./model.js";

/** One image with its caption. */
export interface RerankerPair {
  /** RGB bytes [S·S·3], row-major. */
  pixels: Uint8Array;
  /** The same image after the dVAE (the decode of its tokens): what the transformer's samples look like. */
  decoded?: Uint8Array;
  /** The caption's BPE ids. */
  text: number[];
}

/** What the trainer takes: training pairs and held-out pairs for the retrieval accuracy. */
export interface RerankerTrainingSet {
  train: RerankerPair[];
  val: RerankerPair[];
}

/** Every knob of a run. */
export interface RerankerTrainOptions {
  steps: number; // total updates
  batchSize: number; // pairs per update; each is the others' negatives
  learningRate: number; // peak, after warm-up
  finalLearningRate: number; // end of the cosine decay
  warmupSteps: number; // linear warm-up from 0
  weightDecay: number; // decoupled, on matrices and kernels only (CLIP: 0.2)
  decodedShare: number; // chance that a pair shows its dVAE decode instead of the original, when it has one
  seed: number; // data order and view choice (initialisation takes its own seed)
}

export { DEFAULT_RERANKER_TRAIN } from "./settings.js";

/** Learning rate at an update: linear warm-up, then cosine decay to the final rate. */
export function learningRateAt(o: RerankerTrainOptions, step: number): number {
  if (step < o.warmupSteps) return (o.learningRate * (step + 1)) / o.warmupSteps;
  const t = Math.min(1, (step - o.warmupSteps) / Math.max(1, o.steps - o.warmupSteps));
  return o.finalLearningRate + 0.5 * (o.learningRate - o.finalLearningRate) * (1 + Math.cos(Math.PI * t));
}

/** A batch as tensors (dispose with tf.dispose(Object.values(batch))). */
export interface RerankerBatch {
  images: tf.Tensor4D; // [B, S, S, 3] in [0, 1]
  ids: tf.Tensor2D; // [B, L] int32, BPE id + 1, 0-padded
  lengths: tf.Tensor1D; // [B] int32
}

/** Stacks pairs into tensors; `decoded[i]` picks pair i's dVAE decode. Throws naming a pair of the wrong size. */
export function packBatch(config: RerankerConfig, pairs: readonly RerankerPair[], decoded?: readonly boolean[]): RerankerBatch {
  const n = config.imageSize * config.imageSize * 3;
  const data = new Float32Array(pairs.length * n);
  pairs.forEach((p, i) => {
    const pixels = decoded?.[i] ? p.decoded : p.pixels;
    if (!pixels) throw new Error(`pair ${i} has no dVAE decode`);
    if (pixels.length !== n) throw new Error(`pair ${i} has ${pixels.length} pixel bytes; the reranker takes ${config.imageSize}×${config.imageSize}×3 = ${n}`);
    for (let j = 0; j < n; j++) data[i * n + j] = pixels[j]! / 255;
  });
  const images = tf.tensor4d(data, [pairs.length, config.imageSize, config.imageSize, 3]);
  return { images, ...textTensors(config, pairs.map((p) => p.text)) };
}

/** The pairs of update `step` and which of them show their decode: a function of (seed, step) only, so resuming repeats it. */
export class BatchSampler {
  private epoch = -1;
  private order: number[] = [];
  constructor(
    private readonly pairs: readonly RerankerPair[],
    private readonly o: Pick<RerankerTrainOptions, "batchSize" | "decodedShare" | "seed">,
  ) {
    if (pairs.length === 0) throw new Error("reranker training needs at least one training pair");
  }

  at(step: number): { pairs: RerankerPair[]; decoded: boolean[] } {
    const n = this.pairs.length;
    const view = new Rng(`rerank-view-${this.o.seed}-${step}`);
    const pairs: RerankerPair[] = [];
    const decoded: boolean[] = [];
    for (let i = 0; i < this.o.batchSize; i++) {
      const k = step * this.o.batchSize + i;
      const epoch = Math.floor(k / n);
      if (epoch !== this.epoch) {
        this.epoch = epoch;
        this.order = new Rng(`rerank-order-${this.o.seed}-${epoch}`).shuffle(Array.from({ length: n }, (_, j) => j));
      }
      const pair = this.pairs[this.order[k % n]!]!;
      pairs.push(pair);
      decoded.push(pair.decoded !== undefined && view.next() < this.o.decodedShare);
    }
    return { pairs, decoded };
  }
}

/** What one update reports. */
export interface RerankerStepMetrics {
  step: number;
  loss: number;
  lr: number;
  /** The learned temperature T = 1/scale. */
  temperature: number;
}

/** AdamW over every weight; `update()` runs one step on a batch. */
export class RerankerTrainer {
  readonly optimizer: AdamW;
  constructor(
    readonly model: Reranker,
    readonly options: RerankerTrainOptions,
  ) {
    optionsCheck(options);
    this.optimizer = new AdamW([...model.params], {
      beta1: 0.9,
      beta2: 0.98, // CLIP's choice for its transformer
      eps: 1e-6,
      weightDecay: options.weightDecay,
      decays: (name) => name.endsWith(".w"), // not biases, norm gains, embeddings or the temperature
      emaDecay: 0,
    });
  }

  get step(): number {
    return this.optimizer.step;
  }

  update(batch: RerankerBatch): RerankerStepMetrics {
    const lr = learningRateAt(this.options, this.optimizer.step);
    const { value, grads } = tf.variableGrads(() => contrastiveLoss(this.model, batch.images, batch.ids, batch.lengths), this.optimizer.variables());
    this.optimizer.apply(grads, lr);
    const loss = value.dataSync()[0]!;
    tf.dispose([value, ...Object.values(grads)]);
    const scale = logitScale(this.model);
    const temperature = 1 / scale.dataSync()[0]!;
    scale.dispose();
    return { step: this.optimizer.step, loss, lr, temperature };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

function optionsCheck(o: RerankerTrainOptions): void {
  const ints: [keyof RerankerTrainOptions, number][] = [["steps", 1], ["batchSize", 2], ["warmupSteps", 0], ["seed", 0]];
  for (const [k, min] of ints) if (!Number.isInteger(o[k]) || (o[k] as number) < min) throw new Error(`reranker training ${k} must be an integer ≥ ${min}, got ${JSON.stringify(o[k])}`);
  for (const k of ["learningRate", "finalLearningRate", "weightDecay"] as const) if (!(o[k] >= 0 && Number.isFinite(o[k]))) throw new Error(`reranker training ${k} must be a finite number ≥ 0, got ${o[k]}`);
  if (!(o.decodedShare >= 0 && o.decodedShare <= 1)) throw new Error(`reranker training decodedShare must be in [0, 1], got ${o.decodedShare}`);
}

/** Retrieval within batches of held-out pairs: share of images whose most similar caption is theirs, and the reverse. */
export interface RetrievalReport {
  /** Pairs scored (whole batches only, unless there are fewer than one batch). */
  pairs: number;
  batchSize: number;
  /** Which images were scored: the originals or their dVAE decodes. */
  view: "original" | "decoded";
  /** Image → text top-1 accuracy (an equal caption elsewhere in the batch also counts as right). */
  imageToText: number;
  /** Text → image top-1 accuracy. */
  textToImage: number;
  /** What picking at random would score (more than 1/batch when captions repeat within a batch). */
  chance: number;
  /** Mean contrastive loss over the batches. */
  loss: number;
}

/** Scores consecutive batches of `pairs` (in the order given) for in-batch retrieval. */
export async function evaluateRetrieval(model: Reranker, pairs: readonly RerankerPair[], options: { batchSize?: number; view?: "original" | "decoded" } = {}): Promise<RetrievalReport> {
  const batchSize = options.batchSize ?? 32;
  const view = options.view ?? "original";
  if (view === "decoded" && pairs.some((p) => !p.decoded)) throw new Error("evaluateRetrieval: view \"decoded\" needs every pair's dVAE decode");
  const size = pairs.length < batchSize ? pairs.length : batchSize;
  const batches = size < 2 ? 0 : Math.floor(pairs.length / size);
  let i2t = 0, t2i = 0, chance = 0, loss = 0;
  for (let b = 0; b < batches; b++) {
    const chunk = pairs.slice(b * size, (b + 1) * size);
    const batch = packBatch(model.config, chunk, chunk.map(() => view === "decoded"));
    const result = tf.tidy(() => {
      const imageEmb = encodeImages(model, batch.images);
      const textEmb = encodeTexts(model, batch.ids, batch.lengths);
      const same = sameTextMatrix(batch.ids, batch.lengths); // [B, B]
      const sim = tf.matMul(imageEmb, textEmb, false, true) as tf.Tensor2D; // [B, B]
      const hit = (s: tf.Tensor2D, p: tf.Tensor2D) => tf.sum(tf.mul(tf.oneHot(tf.argMax(s, 1), size), p)); // rows whose best match is a positive
      return tf.stack([hit(sim, same), hit(tf.transpose(sim) as tf.Tensor2D, tf.transpose(same) as tf.Tensor2D), tf.div(tf.sum(same), size), infoNce(imageEmb, textEmb, logitScale(model), same)]);
    });
    const [a, t, c, l] = await result.data();
    tf.dispose([result, ...Object.values(batch)]);
    i2t += a!;
    t2i += t!;
    chance += c!;
    loss += l!;
  }
  const scored = batches * size;
  return { pairs: scored, batchSize: size, view, imageToText: i2t / Math.max(1, scored), textToImage: t2i / Math.max(1, scored), chance: chance / Math.max(1, scored), loss: loss / Math.max(1, batches) };
}
