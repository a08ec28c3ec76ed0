import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { DEFAULT_TRAIN, TransformerTrainer, createTransformer, padText, sampleImages, smallConfig, trainingStepFlops } from "../src/lib/transformer/index.js";
import { useBackend } from "../src/lib/tfjs/index.js";
import { GradientReplicas } from "../src/lib/transformer/node.js";
import { threadedRow, timedInChild, type Benchmark } from "./harness.js";

/** The committed model's size: 32 text slots + 8×8 image tokens, 4 layers of width 128, 4 heads, BPE ~1k. */
const CONFIG = smallConfig({ textVocab: 1024 });
const BATCH = 32;

/** GFLOP of one step's matrix products, counted from the config (trainingStepFlops). */
const STEP_GFLOP = trainingStepFlops(CONFIG, BATCH) / 1e9;
const STEP = `one transformer training step (fwd+bwd+AdamW), 32 text + 64 image tokens, 4 layers × 128 wide, batch ${BATCH} (${STEP_GFLOP.toFixed(1)} GFLOP of matrix products counted from the config)`;

/** One training step of the benchmark's transformer on its fixed batch, on whichever backend is active. */
export function transformerStep(): () => number {
  const model = createTransformer(CONFIG, { seed: 0 });
  const trainer = new TransformerTrainer(model, { ...DEFAULT_TRAIN, steps: 1000 });
  const text = tf.tensor2d(Array.from({ length: BATCH }, (_, b) => Array.from(padText(CONFIG, [b, b + 1, b + 2]))), undefined, "int32");
  const image = tf.randomUniform([BATCH, 64], 0, 512, "int32", 1) as tf.Tensor2D;
  return () => {
    trainer.update(text, image);
    return STEP_GFLOP;
  };
}

/**
 * The same step with the batch cut across `replicas` data-parallel replicas (this thread + worker threads, each its
 * own WASM backend on one thread; GradientReplicas), on the WASM backend this process started.
 */
export async function transformerReplicaStep(replicas: number): Promise<() => Promise<number>> {
  const model = createTransformer(CONFIG, { seed: 0 });
  const trainer = new TransformerTrainer(model, { ...DEFAULT_TRAIN, steps: 1000 });
  const text = tf.tensor2d(Array.from({ length: BATCH }, (_, b) => Array.from(padText(CONFIG, [b, b + 1, b + 2]))), undefined, "int32");
  const image = tf.randomUniform([BATCH, 64], 0, 512, "int32", 1) as tf.Tensor2D;
  const pool = await GradientReplicas.start(model, { replicas, backend: "wasm", threads: 1 });
  return async () => {
    trainer.apply(await pool.gradients(model, text, image));
    return STEP_GFLOP;
  };
}

export const transformerTrainStep: Benchmark = {
  name: "transformer-train-step",
  unit: "GFLOP",
  workload: `${STEP}; TF.js WASM backend in Node (1 thread), workbench kernels`,
  async setup() {
    await useBackend("wasm");
    return transformerStep();
  },
};

/** The same step on 2 XNNPACK threads, in its own process (threads are set before the backend starts). */
export const transformerTrainStep2 = threadedRow("transformer-train-step-2thread", "GFLOP", `${STEP}; TF.js WASM backend in Node, 2 XNNPACK threads (useWasmThreads), workbench kernels`, "transformer", 2, STEP_GFLOP);

/** The step on 2 cores as the training run uses them by default: 2 data-parallel replicas of 1 thread each. */
export const transformerTrainStepReplicas2 = threadedRow(
  "transformer-train-step-2replica",
  "GFLOP",
  `${STEP}; 2 data-parallel replicas (this thread + 1 worker thread, 16 rows each, gradients summed), each its own TF.js WASM backend on 1 thread, workbench kernels`,
  "transformer-replicas",
  2,
  STEP_GFLOP,
);

/** GFLOP of the 11 products one timed run of matMulStep makes. */
const MATMUL_GFLOP = (11 * 2 * BATCH * 96 * 128 * 512) / 1e9;

/** 11 products [B·L, d] × [d, 4d] (the step's MLP input layer, its widest) read back, on whichever backend is active: returns GFLOP. */
export function matMulStep(): () => number {
  const a = tf.randomNormal([BATCH * 96, 128], 0, 1, "float32", 1);
  const b = tf.randomNormal([128, 512], 0, 1, "float32", 2);
  return () => {
    for (let i = 0; i < 10; i++) tf.matMul(a, b).dispose();
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
    return MATMUL_GFLOP;
  };
}

const MATMUL = `one 2-D matrix product [${BATCH * 96}, 128] × [128, 512] (the step's MLP input layer), read back`;

/** The backend's own rate on the step's widest product: the limit the step is measured against. */
export const wasmMatMul2d: Benchmark = {
  name: "wasm-matmul-2d",
  unit: "GFLOP",
  workload: `${MATMUL}; TF.js WASM backend in Node (1 thread, XNNPACK)`,
  async setup() {
    await useBackend("wasm");
    return matMulStep();
  },
};

export const wasmMatMul2d2 = threadedRow("wasm-matmul-2d-2thread", "GFLOP", `${MATMUL}; TF.js WASM backend in Node, 2 XNNPACK threads (useWasmThreads)`, "matmul", 2, MATMUL_GFLOP);

/** The same step in PyTorch on the same CPU (Debian's python3-torch; a benchmark-only peer). */
export const transformerTrainStepTorch1: Benchmark = {
  name: "transformer-train-step-pytorch-1thread",
  unit: "GFLOP",
  workload: `${STEP}; PyTorch CPU, 1 thread, same model and objective, causal mask in every layer (bench/torch/transformer_step.py; Debian's torch uses generic BLAS for the linear layers, so it is a weak peer for matrix products)`,
  async selfTimed() {
    const r = timedInChild("/usr/bin/python3", [join(import.meta.dirname, "torch", "transformer_step.py"), "--threads", "1", "--batch", String(BATCH)], STEP_GFLOP);
    return "failed" in r ? { skipped: `PyTorch not available (install Debian's python3-torch): ${r.failed.split("\n").at(-1)}` } : r;
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
