/**
 * The labelers' settings, light enough for the CLI's help: where the committed weights live, each world's network
 * size, training defaults and decision rules. node.ts (the training and labelling code) re-exports them.
 */
import { MODEL_CATEGORIES } from "../synth/model-world.js";
import { CATEGORIES } from "../synth/vocabulary.js";
import type { CnnConfig } from "./cnn.js";

/** The committed weights, trained by `npm run train:labeler`. */
export const DEFAULT_LABELER_WEIGHTS = new URL("../../../models/synth-labeler.safetensors", import.meta.url);
/** The committed judge of model-world images and of everything the models generate, trained by `npm run train:judge`. */
export const DEFAULT_JUDGE_WEIGHTS = new URL("../../../models/judge.safetensors", import.meta.url);

/** The grounding stage's labeler: the crawl's 51 categories. */
export const DEFAULT_CNN_CONFIG: CnnConfig = { size: 64, channels: [24, 48, 64, 96], categories: CATEGORIES.map((c) => c.id) };
/** The judge: the model world's 25 categories at the models' 64 px. */
export const JUDGE_CNN_CONFIG: CnnConfig = { size: 64, channels: [32, 64, 96, 128], categories: [...MODEL_CATEGORIES] };

/** Which scenes a labeler learns from: the crawl's photos (the grounding stage) or the model world (the judge). */
export const LABELER_WORLDS = ["crawl", "model"] as const;
export type LabelerWorld = (typeof LABELER_WORLDS)[number];

export interface TrainOptions {
  /** "crawl": the grounding stage's labeler over the crawl's photos; "model": the judge over the model world. */
  world: LabelerWorld;
  /** Scenes rendered for each epoch (new ones every epoch). */
  trainImages: number;
  evalImages: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** A TF.js dVAE folder (model.json + weights.bin): every training scene is passed through it, bar `originalShare`. */
  throughDvae?: string;
  /** With `throughDvae`: share of each epoch's scenes kept as rendered (the rest are reconstructions). */
  originalShare: number;
  onProgress?: (line: string) => void;
}

/**
 * Defaults: 14 epochs of 4,000 fresh scenes each (56,000 distinct scenes), about 7 minutes on one core.
 * Through a dVAE, one scene in five stays sharp: the judge scores decodes (so reconstructions dominate)
 * but also the prompts' real images (the zero-shot test's original ceiling), which it should not find alien.
 */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { world: "crawl", trainImages: 4000, evalImages: 500, epochs: 14, batchSize: 32, learningRate: 3e-3, seed: 1, originalShare: 0.2 };

/** The judge's defaults: the model world, 1,500 held-out scenes (500 per style) for per-style macro scores, one in two training scenes kept sharp when trained through a dVAE. */
export const JUDGE_TRAIN_OPTIONS: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, world: "model", evalImages: 1500, epochs: 12, originalShare: 0.5 };

/**
 * Decision rules: "labeler" returns the categories at or above the threshold and always the top one (the
 * grounding stage's Labeler); "judge" only those at or above it (the zero-shot test's judge, cnnJudge).
 */
export const DECISION_RULES = ["labeler", "judge"] as const;
export type DecisionRule = (typeof DECISION_RULES)[number];

/** Probability at or above which a category is returned (the top one is always returned). */
export const LABEL_THRESHOLD = 0.5;
