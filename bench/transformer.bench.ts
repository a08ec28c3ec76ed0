import * as tf from "@tensorflow/tfjs";
import { DEFAULT_TRAIN, TransformerTrainer, createTransformer, padText, sampleImages, smallConfig } from "../src/lib/transformer/index.js";
import { useBackend } from "../src/lib/tfjs/index.js";
import type { Benchmark } from "./harness.js";

/** The committed model's size: 32 text slots + 8×8 image tokens, 4 layers of width 128, 4 heads, BPE ~1k. */
const CONFIG = smallConfig({ textVocab: 1024 });
const BATCH = 32;

export const transformerTrainStep: Benchmark = {
  name: "transformer-train-step",
  unit: "sequences",
  workload: `one transformer training step (fwd+bwd+AdamW), 32 text + 64 image tokens, 4 layers × 128 wide, batch ${BATCH}; TF.js WASM backend in Node (1 thread)`,
  async setup() {
    await useBackend("wasm");
    const model = createTransformer(CONFIG, { seed: 0 });
    const trainer = new TransformerTrainer(model, { ...DEFAULT_TRAIN, steps: 1000 });
    const text = tf.tensor2d(Array.from({ length: BATCH }, (_, b) => Array.from(padText(CONFIG, [b, b + 1, b + 2]))), undefined, "int32");
    const image = tf.randomUniform([BATCH, 64], 0, 512, "int32", 1) as tf.Tensor2D;
    return () => {
      trainer.update(text, image);
      return BATCH;
    };
  },
};

export const transformerSampleNode: Benchmark = {
  name: "transformer-sample-node",
  unit: "tokens",
  workload: "8 image-token grids (8×8) sampled for one prompt with the key/value cache (top-k 64); TF.js WASM backend in Node (1 thread)",
  async setup() {
    await useBackend("wasm");
    const model = createTransformer(CONFIG, { seed: 0 });
    let seed = 0;
    return async () => {
      await sampleImages(model, [5, 17, 40], 8, { seed: seed++, topK: 64 });
      return 8 * 64;
    };
  },
};
