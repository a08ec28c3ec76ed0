// The reranker's training step on 1 and 2 WASM threads (what `ccw rerank train`'s default thread count rests on).
import * as tf from "@tensorflow/tfjs";
import { DEFAULT_RERANKER_CONFIG, DEFAULT_RERANKER_TRAIN, RerankerTrainer, createReranker } from "../src/lib/rerank/index.js";
import { useBackend } from "../src/lib/tfjs/index.js";
import { threadedRow, type Benchmark } from "./harness.js";

const RERANK_BATCH = DEFAULT_RERANKER_TRAIN.batchSize;
const RERANK_CONFIG = { ...DEFAULT_RERANKER_CONFIG, textVocab: 1024 };
const RERANK = `one reranker training step (fwd+bwd+AdamW, symmetric InfoNCE), the default size, batch ${RERANK_BATCH} of 64×64 images and 32-token captions`;

/** One training step of the default-size reranker on a fixed random batch, on whichever backend is active. */
export function rerankStep(): () => number {
  const model = createReranker(RERANK_CONFIG, 0);
  const trainer = new RerankerTrainer(model, { ...DEFAULT_RERANKER_TRAIN, steps: 1000 });
  const batch = {
    images: tf.randomUniform([RERANK_BATCH, 64, 64, 3], 0, 1, "float32", 1) as tf.Tensor4D,
    ids: tf.randomUniform([RERANK_BATCH, RERANK_CONFIG.textLength], 1, 1024, "int32", 2) as tf.Tensor2D,
    lengths: tf.fill([RERANK_BATCH], RERANK_CONFIG.textLength, "int32") as tf.Tensor1D,
  };
  return () => {
    trainer.update(batch);
    return RERANK_BATCH;
  };
}

export const rerankTrainStep: Benchmark = {
  name: "rerank-train-step",
  unit: "pairs",
  workload: `${RERANK}; TF.js WASM backend in Node (1 thread), workbench kernels`,
  async setup() {
    await useBackend("wasm");
    return rerankStep();
  },
};

export const rerankTrainStep2 = threadedRow("rerank-train-step-2thread", "pairs", `${RERANK}; TF.js WASM backend in Node, 2 XNNPACK threads (useWasmThreads), workbench kernels`, "rerank", 2, RERANK_BATCH);
