/**
 * The reranker's defaults, light enough for the CLI's help: its size, its training recipe, and where its weights
 * go. model.ts, train.ts and node.ts re-export them.
 */
import type { RerankerConfig } from "./model.js";
import type { RerankerTrainOptions } from "./train.js";

/** Where `ccw rerank train` writes by default, and where its weights file sits in that folder. */
export const DEFAULT_RERANKER_DIR = "models/reranker-small";
export const RERANKER_WEIGHTS_FILE = "reranker.safetensors";

export const DEFAULT_RERANKER_CONFIG: Omit<RerankerConfig, "textVocab"> = {
  imageSize: 64, // the dVAE's input size, so generated images need no resizing
  textLength: 32, // synthetic captions run to about 20 BPE tokens
  embedDim: 64, // shared embedding width
  imageChannels: [24, 48, 64, 96], // 64 px → 32 → 16 → 8 → 4×4×96, the labeler's widths
  imageHidden: 256, // MLP width over the 1,536 flattened features
  textWidth: 64, // token embedding width
  textLayers: 1, // one block is enough for short template-like captions
  textHeads: 4, // 16 dimensions per head
  initTemperature: 0.07, // CLIP's initial temperature
  maxLogitScale: 100, // CLIP clips 1/T at 100
};

export const DEFAULT_RERANKER_TRAIN: RerankerTrainOptions = {
  steps: 3000, // ~6 epochs of 32k pairs at batch 64
  batchSize: 64, // 63 negatives per pair
  learningRate: 1e-3, // small model, Adam
  finalLearningRate: 5e-5, // a twentieth of the peak
  warmupSteps: 100, // lets Adam's moments settle
  weightDecay: 0.05, // light: the model is small and the data plentiful
  decodedShare: 0.5, // half originals, half dVAE decodes: the reranker sees generated images' blur
  seed: 0, // data order
};
