// Training the dVAE with the paper's recipe: AdamW, cosine schedules for lr, temperature and KL weight, EMA of weights.
import * as tf from "@tensorflow/tfjs";
import { DVAE_TRAINING } from "../reference/index.js";
import { dvaeLoss } from "./objective.js";
import type { Dvae, Params } from "./model.js";
import { AdamW, cosineSchedule } from "../tfjs/index.js";

/** Every knob of a run; defaults come from the paper, with schedule lengths scaled to the run (see scaledRecipe). */
export interface TrainConfig {
  steps: number; // total updates of the run
  batchSize: number; // images per update
  lrStart: number; // paper: 1e-4
  lrEnd: number; // paper: 1.25e-6
  tauStart: number; // paper: 1
  tauEnd: number; // paper: 1/16
  tauSteps: number; // paper: 150k of 3M updates
  betaEnd: number; // KL weight after warm-up; paper: 6.6
  betaSteps: number; // KL warm-up; paper: 5k of 3M updates
  adamBeta1: number; // paper: 0.9
  adamBeta2: number; // paper: 0.999
  adamEps: number; // paper: 1e-8
  weightDecay: number; // decoupled, on conv weights only; paper: 1e-4
  emaDecay: number; // paper: 0.999; 0 turns EMA off
  noiseWarmupSteps: number; // Gumbel noise ramps 0 → 1 over these updates; paper: 0 (full noise from the start)
  straightThrough: boolean; // decoder sees hard one-hot codes, soft gradients; paper: false (pure relaxation)
  diversityWeight: number; // weight of wav2vec 2.0's codebook diversity penalty; paper: 0 (not in DALL-E's recipe)
  seed: number; // Gumbel noise and data order
}

const PAPER_UPDATES = 3_000_000;

/** The paper's recipe with its schedule lengths scaled from 3M updates to `steps` (never shorter than one step). */
export function scaledRecipe(steps: number, overrides: Partial<TrainConfig> = {}): TrainConfig {
  const scale = (n: number) => Math.max(1, Math.round((n / PAPER_UPDATES) * steps));
  return {
    steps,
    batchSize: 16,
    lrStart: DVAE_TRAINING.learningRateStart.value,
    lrEnd: DVAE_TRAINING.learningRateEnd.value,
    tauStart: DVAE_TRAINING.temperatureStart.value,
    tauEnd: DVAE_TRAINING.temperatureEnd.value,
    tauSteps: scale(DVAE_TRAINING.temperatureUpdates.value),
    betaEnd: DVAE_TRAINING.klWeightFinal.value,
    betaSteps: scale(DVAE_TRAINING.klWarmupUpdates.value),
    adamBeta1: DVAE_TRAINING.adamBetas.value[0],
    adamBeta2: DVAE_TRAINING.adamBetas.value[1],
    adamEps: DVAE_TRAINING.adamEps.value,
    weightDecay: DVAE_TRAINING.weightDecay.value,
    emaDecay: DVAE_TRAINING.emaDecay.value,
    noiseWarmupSteps: 0,
    straightThrough: false,
    diversityWeight: 0,
    seed: 0,
    ...overrides,
  };
}

/** What one update reports (numbers, not tensors). */
export interface StepMetrics {
  step: number;
  loss: number;
  reconstruction: number;
  kl: number;
  mse: number;
  diversity: number;
  lr: number;
  tau: number;
  beta: number;
  noise: number;
}

/** Schedules at a given update. */
export function scheduleAt(cfg: TrainConfig, step: number): { lr: number; tau: number; beta: number; noise: number } {
  return {
    lr: cosineSchedule(cfg.lrStart, cfg.lrEnd, step, cfg.steps),
    tau: cosineSchedule(cfg.tauStart, cfg.tauEnd, step, cfg.tauSteps),
    beta: cosineSchedule(0, cfg.betaEnd, step, cfg.betaSteps),
    noise: cfg.noiseWarmupSteps > 0 ? Math.min(1, step / cfg.noiseWarmupSteps) : 1,
  };
}

/** AdamW + EMA state over both halves' weights; `update()` runs one update on a batch. */
export class DvaeTrainer {
  readonly dvae: Dvae;
  readonly cfg: TrainConfig;
  /** AdamW over both halves: serialize() / restoreFrom() checkpoint a run, averagedWeights() gives the EMA (keyed `encoder.<name>` / `decoder.<name>`). */
  readonly optimizer: AdamW;

  constructor(dvae: Dvae, cfg: TrainConfig) {
    this.dvae = dvae;
    this.cfg = cfg;
    const named = (half: string, p: Params) => [...p].map(([k, v]) => [`${half}.${k}`, v] as const);
    this.optimizer = new AdamW([...named("encoder", dvae.encoder), ...named("decoder", dvae.decoder)], {
      beta1: cfg.adamBeta1,
      beta2: cfg.adamBeta2,
      eps: cfg.adamEps,
      weightDecay: cfg.weightDecay,
      decays: (name) => name.endsWith(".w"), // conv weights only
      emaDecay: cfg.emaDecay,
    });
  }

  /** Updates done so far. */
  get step(): number {
    return this.optimizer.step;
  }

  /** One AdamW update on images [B, S, S, C] in [0, 1]. */
  update(images: tf.Tensor4D): StepMetrics {
    const { lr, tau, beta, noise } = scheduleAt(this.cfg, this.step);
    const { config, encoder, decoder } = this.dvae;
    let terms: { reconstruction: tf.Scalar; kl: tf.Scalar; mse: tf.Scalar; diversity: tf.Scalar } | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const t = dvaeLoss(config, encoder, decoder, images, {
        tau,
        beta,
        seed: this.cfg.seed * 1_000_003 + this.step,
        noiseScale: noise,
        straightThrough: this.cfg.straightThrough,
        diversityWeight: this.cfg.diversityWeight,
      });
      terms = { reconstruction: tf.keep(t.reconstruction), kl: tf.keep(t.kl), mse: tf.keep(t.mse), diversity: tf.keep(t.diversity) };
      return t.loss;
    }, this.optimizer.variables());
    this.optimizer.apply(grads, lr);
    const metrics: StepMetrics = {
      step: this.step,
      loss: value.dataSync()[0]!,
      reconstruction: terms!.reconstruction.dataSync()[0]!,
      kl: terms!.kl.dataSync()[0]!,
      mse: terms!.mse.dataSync()[0]!,
      diversity: terms!.diversity.dataSync()[0]!,
      lr,
      tau,
      beta,
      noise,
    };
    tf.dispose([value, ...Object.values(grads), terms!.reconstruction, terms!.kl, terms!.mse, terms!.diversity]);
    return metrics;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
