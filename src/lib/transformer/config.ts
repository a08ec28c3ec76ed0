// The transformer's configuration: DALL-E's layout at a size this machine trains, every field documented.
import { checkConfigFields, type ConfigField } from "../safetensors/index.js";

/** Which sequence the model continues: captions → image tokens (DALL-E), or image tokens → caption ("reverse DALL-E", the captioners). */
export type Direction = "text-to-image" | "image-to-text";
export const DIRECTIONS: readonly Direction[] = ["text-to-image", "image-to-text"];

/** Attention pattern of one layer among image tokens (text is always causal and dense; image tokens always see all text). */
export type AttentionKind = "dense" | "row" | "column" | "conv";
export const ATTENTION_KINDS: readonly AttentionKind[] = ["dense", "row", "column", "conv"];

export interface TransformerConfig {
  direction: Direction; // text-to-image (DALL-E) or image-to-text (a captioner from the same code)
  textLength: number; // text slots, each padded with its own learned pad token; paper: 256
  textVocab: number; // BPE vocabulary size (without pads); paper: 16,384
  imageVocab: number; // dVAE codebook size; paper: 8192
  grid: number; // image tokens per side (dVAE output grid); paper: 32
  dModel: number; // residual width; paper: 3968
  nLayers: number; // transformer blocks; paper: 64
  nHeads: number; // attention heads (dModel divisible by nHeads); paper: 62
  ffMult: number; // MLP hidden width = ffMult × dModel; paper: 4
  attention: AttentionKind[]; // per layer (length nLayers); paper: row, column, row, row repeating, conv in the last layer
  convKernel: number; // side of the conv pattern's window (odd); paper: 11 on a 32×32 grid
  textLossWeight: number; // paper: 1/8 (text-to-image)
  imageLossWeight: number; // paper: 7/8 (text-to-image)
}

/** DALL-E's layer pattern over n layers: row, column, row, row repeating, the last layer convolutional. */
export function dallePattern(nLayers: number): AttentionKind[] {
  const cycle: AttentionKind[] = ["row", "column", "row", "row"];
  return Array.from({ length: nLayers }, (_, i) => (i === nLayers - 1 ? "conv" : cycle[i % 4]!));
}

/** The workbench's small model: 8×8 image tokens of the small dVAE, 32 text slots, 4 layers of width 128. */
export function smallConfig(overrides: Partial<TransformerConfig> & Pick<TransformerConfig, "textVocab">): TransformerConfig {
  const nLayers = overrides.nLayers ?? 4;
  const direction = overrides.direction ?? "text-to-image";
  const textFirst = direction === "text-to-image";
  return {
    direction,
    textLength: 32,
    imageVocab: 512,
    grid: 8,
    dModel: 128,
    nHeads: 4,
    ffMult: 4,
    convKernel: 5,
    // The generated half carries the 7/8 weight: the image in DALL-E, the caption in the reverse model.
    textLossWeight: textFirst ? 1 / 8 : 7 / 8,
    imageLossWeight: textFirst ? 7 / 8 : 1 / 8,
    ...overrides,
    nLayers,
    attention: overrides.attention ?? dallePattern(nLayers),
  };
}

/**
 * Every field's valid values. The paper's own sizes bound the sequence (textLength ≤ 256 text slots, grid ≤ 32
 * tokens a side), so a config read from a file cannot ask for attention over more positions than DALL-E's.
 */
export const TRANSFORMER_CONFIG_FIELDS = {
  direction: { kind: "enum", values: DIRECTIONS },
  textLength: { kind: "int", min: 1, max: 256 },
  textVocab: { kind: "int", min: 1, max: 1_000_000 },
  imageVocab: { kind: "int", min: 2, max: 65536 },
  grid: { kind: "int", min: 1, max: 32 },
  dModel: { kind: "int", min: 1, max: 4096 },
  nLayers: { kind: "int", min: 1, max: 128 },
  nHeads: { kind: "int", min: 1, max: 256 },
  ffMult: { kind: "int", min: 1, max: 16 },
  attention: { kind: "enums", values: ATTENTION_KINDS, minLength: 1, maxLength: 128 },
  convKernel: { kind: "int", min: 1, max: 63 },
  textLossWeight: { kind: "number", min: 0, max: 1000 },
  imageLossWeight: { kind: "number", min: 0, max: 1000 },
} as const satisfies Record<keyof TransformerConfig, ConfigField>;

/** Validates a config (from code, a file's metadata or the command line); the error names the field and what would be valid. */
export function checkConfig(c: TransformerConfig): TransformerConfig {
  checkConfigFields<TransformerConfig>("transformer config", c, TRANSFORMER_CONFIG_FIELDS);
  if (c.dModel % c.nHeads !== 0) throw new Error(`transformer config: dModel (${c.dModel}) must be divisible by nHeads (${c.nHeads})`);
  if (c.convKernel % 2 !== 1) throw new Error(`transformer config: convKernel must be odd, got ${c.convKernel}`);
  if (c.attention.length !== c.nLayers) throw new Error(`transformer config: attention lists ${c.attention.length} layers, nLayers is ${c.nLayers}`);
  return c;
}

/** The training recipe (train.ts runs it). */
export interface TransformerTrainConfig {
  steps: number; // total updates
  batchSize: number; // sequences per update
  lr: number; // peak learning rate (after warm-up)
  lrEnd: number; // learning rate at the end of the cosine decay
  warmupSteps: number; // linear warm-up from 0
  beta1: number; // AdamW
  beta2: number; // AdamW (0.95, GPT-style)
  weightDecay: number; // decoupled, on matrices only (not embeddings, gains, biases)
  emaDecay: number; // saved weight average; 0 = save the last weights
  seed: number; // initialisation and data order
}

export const DEFAULT_TRAIN: TransformerTrainConfig = {
  steps: 3000,
  batchSize: 32,
  lr: 1e-3,
  lrEnd: 1e-4,
  warmupSteps: 100,
  beta1: 0.9,
  beta2: 0.95,
  weightDecay: 0.01,
  emaDecay: 0,
  seed: 0,
};

/** Sampling when not asked otherwise: the paper's temperature 1, top-k and top-p off, seed 0. */
export const DEFAULT_SAMPLING = { temperature: 1, topK: 0, topP: 1, seed: 0 } as const;

/** The workbench's dVAE, whose tokens a newly trained transformer learns. */
export const DEFAULT_DVAE_DIR = "models/dvae-small";
