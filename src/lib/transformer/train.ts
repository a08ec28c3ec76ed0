// Training the transformer: AdamW, linear warm-up then cosine decay of the learning rate, weighted token losses.
import * as tf from "@tensorflow/tfjs";
import { AdamW, cosineSchedule } from "../tfjs/index.js";
import type { TransformerTrainConfig } from "./config.js";
import { transformerLoss, type Transformer } from "./model.js";

export { DEFAULT_TRAIN, type TransformerTrainConfig } from "./config.js";

export function learningRateAt(cfg: TransformerTrainConfig, step: number): number {
  if (step < cfg.warmupSteps) return (cfg.lr * (step + 1)) / cfg.warmupSteps;
  return cosineSchedule(cfg.lr, cfg.lrEnd, step - cfg.warmupSteps, cfg.steps - cfg.warmupSteps);
}

export interface TransformerStepMetrics {
  step: number;
  loss: number;
  text: number; // mean text cross-entropy, nats
  image: number; // mean image cross-entropy, nats
  lr: number;
}

/** A batch's mean losses (nats per token) and the loss's gradient for every weight of the model, by name. */
export interface StepGradients {
  loss: number;
  text: number;
  image: number;
  grads: tf.NamedTensorMap;
}

/** The loss of one batch and its gradients, on this thread: text [B, T] slot ids, image [B, N] code ids. */
export function lossAndGradients(model: Transformer, text: tf.Tensor2D, image: tf.Tensor2D): StepGradients {
  let parts: { text: tf.Scalar; image: tf.Scalar } | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const t = transformerLoss(model, text, image);
    parts = { text: tf.keep(t.text), image: tf.keep(t.image) };
    return t.loss;
  }, [...model.params.values()]);
  const out = { loss: value.dataSync()[0]!, text: parts!.text.dataSync()[0]!, image: parts!.image.dataSync()[0]!, grads };
  tf.dispose([value, parts!.text, parts!.image]);
  return out;
}

/** One model, its optimizer and step count; update() runs one step on a batch of (text slots, image tokens). */
export class TransformerTrainer {
  /** AdamW over the model's weights: its state() / restore() checkpoint a run, averagedWeights() gives the EMA. */
  readonly optimizer: AdamW;

  constructor(
    readonly model: Transformer,
    readonly cfg: TransformerTrainConfig,
  ) {
    this.optimizer = new AdamW([...model.params], {
      beta1: cfg.beta1,
      beta2: cfg.beta2,
      eps: 1e-8,
      weightDecay: cfg.weightDecay,
      decays: (name) => name.endsWith(".w"),
      emaDecay: cfg.emaDecay,
    });
  }

  get step(): number {
    return this.optimizer.step;
  }

  /** One step on a batch computed here: text [B, T] slot ids (padText), image [B, N] code ids. */
  update(text: tf.Tensor2D, image: tf.Tensor2D): TransformerStepMetrics {
    return this.apply(lossAndGradients(this.model, text, image));
  }

  /** One step with gradients computed elsewhere (e.g. by data-parallel replicas: GradientReplicas); disposes them. */
  apply(g: StepGradients): TransformerStepMetrics {
    const lr = learningRateAt(this.cfg, this.step);
    this.optimizer.apply(g.grads, lr);
    tf.dispose(Object.values(g.grads));
    return { step: this.step, loss: g.loss, text: g.text, image: g.image, lr };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Mean losses over a dataset without updating (validation), in batches. */
export function evaluateLoss(model: Transformer, batches: Iterable<{ text: tf.Tensor2D; image: tf.Tensor2D }>): { loss: number; text: number; image: number } {
  let n = 0;
  const sum = { loss: 0, text: 0, image: 0 };
  for (const { text, image } of batches) {
    const t = transformerLoss(model, text, image);
    const B = text.shape[0];
    sum.loss += t.loss.dataSync()[0]! * B;
    sum.text += t.text.dataSync()[0]! * B;
    sum.image += t.image.dataSync()[0]! * B;
    n += B;
    tf.dispose([t.loss, t.text, t.image]);
  }
  return { loss: sum.loss / n, text: sum.text / n, image: sum.image / n };
}
