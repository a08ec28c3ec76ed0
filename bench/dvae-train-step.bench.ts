import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { DvaeTrainer, createDvae, dvaeLoss, scaledRecipe, type DvaeConfig } from "../src/lib/dvae/index.js";
import { useBackend } from "../src/lib/tfjs/index.js";
import { threadedRow, timedInChild, type Benchmark } from "./harness.js";

/** The configuration the prototype measured: 64×64 input, n_hid 32, vocab 512, batch 16, one thread. */
export const CONFIG: Partial<DvaeConfig> = { groupCount: 4, nHid: 32, nBlkPerGroup: 1, vocabSize: 512, nInit: 32, inputSize: 64 };
export const BATCH = 16;
const WORKLOAD = `one dVAE training step (fwd+bwd+AdamW), 64×64 input, n_hid 32, vocab 512, batch ${BATCH}`;

export const dvaeTrainStepTfjs: Benchmark = {
  name: "dvae-train-step-tfjs-wasm",
  unit: "images",
  workload: `${WORKLOAD}; TF.js WASM backend in Node (1 thread), workbench kernels`,
  async setup() {
    await useBackend("wasm");
    return trainStep();
  },
};

/** The benchmark's dVAE (seed 0) and its fixed random batch, on whichever backend is active. */
function modelAndBatch(): { dvae: ReturnType<typeof createDvae>; images: tf.Tensor4D } {
  return { dvae: createDvae(CONFIG, { seed: 0 }), images: tf.randomUniform([BATCH, 64, 64, 3], 0, 1, "float32", 1) as tf.Tensor4D };
}

/** One training step of the benchmark's dVAE on its fixed batch, on whichever backend is active. */
export function trainStep(): () => number {
  const { dvae, images } = modelAndBatch();
  const trainer = new DvaeTrainer(dvae, scaledRecipe(1000, { batchSize: BATCH }));
  return () => {
    trainer.update(images);
    return BATCH;
  };
}

/**
 * The step's forward pass alone (encoder, Gumbel softmax, decoder, loss; no gradients): the convolutions are TF.js's
 * own (XNNPACK), the data movement (Transpose, Slice, GatherV2) the workbench's; its ratio to PyTorch's forward is
 * the floor the whole step's ratio sits on.
 */
export const dvaeForwardTfjs: Benchmark = {
  name: "dvae-forward-tfjs-wasm",
  unit: "images",
  workload: `the same dVAE's forward pass and loss without gradients, 64×64 input, n_hid 32, vocab 512, batch ${BATCH}; TF.js WASM backend in Node (1 thread), workbench kernels`,
  async setup() {
    await useBackend("wasm");
    const { dvae, images } = modelAndBatch();
    return () => {
      const terms = dvaeLoss(dvae.config, dvae.encoder, dvae.decoder, images, { tau: 1, beta: 0.1, seed: 1 });
      terms.loss.dataSync();
      tf.dispose(Object.values(terms));
      return BATCH;
    };
  },
};

/** The same step with the WASM backend on 2 threads (`useWasmThreads`), in its own process: threads must be set before the backend starts. */
export const dvaeTrainStepTfjs2 = threadedRow("dvae-train-step-tfjs-wasm-2thread", "images", `${WORKLOAD}; TF.js WASM backend in Node, 2 XNNPACK threads (useWasmThreads), workbench kernels`, "dvae", 2, BATCH);

/** The same step (or its forward pass alone) in PyTorch on the same CPU (Debian's python3-torch; a benchmark-only peer). */
function torchPeer(threads: number, forwardOnly = false): Benchmark {
  return {
    name: `dvae-${forwardOnly ? "forward" : "train-step"}-pytorch-${threads}thread`,
    unit: "images",
    workload: forwardOnly
      ? `the same dVAE's forward pass and loss without gradients, batch ${BATCH}; PyTorch CPU, ${threads} thread(s), torch.no_grad (bench/torch/dvae_step.py --forward-only)`
      : `${WORKLOAD}; PyTorch CPU, ${threads} thread(s), same architecture and objective (bench/torch/dvae_step.py)`,
    async selfTimed() {
      const script = join(import.meta.dirname, "torch", "dvae_step.py");
      const r = timedInChild("/usr/bin/python3", [script, "--threads", String(threads), "--batch", String(BATCH), ...(forwardOnly ? ["--forward-only"] : [])], BATCH);
      return "failed" in r ? { skipped: `PyTorch not available (install Debian's python3-torch): ${r.failed.split("\n").at(-1)}` } : r;
    },
  };
}

export const dvaeTrainStepTorch1 = torchPeer(1);
export const dvaeTrainStepTorch2 = torchPeer(2);
export const dvaeForwardTorch1 = torchPeer(1, true);
