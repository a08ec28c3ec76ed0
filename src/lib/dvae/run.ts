// Node-only: one dVAE training run on the model world (data, loop, log, checkpoints, resume, EMA swap, final
// evaluation, saved folder). `ccw dvae train` only parses its flags into DvaeRunOptions.
import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { keepLogUpTo, writeAtomic } from "../files/index.js";
import { Rng } from "../synth/index.js";
import type { DvaeConfig } from "./config.js";
import { evaluateReconstruction, type ReconstructionReport } from "./evaluate.js";
import { createDvae, type Dvae } from "./model.js";
import { batchTensor, loadDvae, synthPixels, type Pixels } from "./node.js";
import { DvaeTrainer, type StepMetrics, type TrainConfig } from "./train.js";
import { dvaeToTfjs } from "./weights.js";

export interface DvaeRunOptions {
  out: string; // output folder: model.json + weights.bin, train-log.jsonl, eval.json, checkpoint/
  config: DvaeConfig; // architecture
  recipe: TrainConfig; // optimizer, schedules, seed (steps and batch size included)
  trainImages: number; // rendered model-world training scenes, cycled in seeded epochs
  heldoutImages: number; // rendered held-out scenes (another stream) for the final evaluation
  checkpointEvery: number; // updates between checkpoints (written atomically)
  logEvery: number; // updates between log lines with held-out PSNR and codebook use (64 scenes)
  resume: boolean; // continue from <out>/checkpoint when present
  threads: number; // WASM threads the backend runs on (recorded in eval.json; the caller starts the backend)
  onLog?: (line: string) => void;
  onStep?: (m: StepMetrics, secondsPerStep: number) => void;
}

export interface DvaeRunSummary {
  steps: number;
  seconds: number;
  /** Last (non-averaged) weights on the held-out scenes. */
  last: Pick<ReconstructionReport, "images" | "psnrMean" | "usage">;
  /** The saved EMA weights on the held-out scenes. */
  ema: Pick<ReconstructionReport, "images" | "psnrMean" | "usage">;
}

const summaryOf = (r: ReconstructionReport) => ({ psnrMean: r.psnrMean, codesUsed: r.usage.used, usedFraction: r.usage.usedFraction, perplexity: r.usage.perplexity });

/** Writes a dVAE as a TF.js weights folder (model.json + weights.bin), each file atomically. */
export async function saveDvaeFolder(dir: string, dvae: Dvae, info: Record<string, unknown>): Promise<void> {
  const { manifest, bin } = await dvaeToTfjs(dvae, info);
  await mkdir(dir, { recursive: true });
  await writeAtomic(join(dir, "weights.bin"), bin);
  await writeAtomic(join(dir, "model.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A seeded permutation of 0..n-1, reshuffled per epoch (the synthetic world's PRNG). */
function shuffled(n: number, seed: number, epoch: number): number[] {
  return new Rng(`dvae-order-${seed}-${epoch}`).shuffle(Array.from({ length: n }, (_, i) => i));
}

/** Trains a dVAE on rendered model-world scenes, resumably; writes the EMA weights, eval.json and the log into `out`. */
export async function trainDvaeRun(o: DvaeRunOptions): Promise<DvaeRunSummary> {
  const { config, recipe } = o;
  const say = o.onLog ?? (() => {});
  say(`rendering ${o.trainImages} training and ${o.heldoutImages} held-out model-world scenes at ${config.inputSize}px …`);
  const train = await synthPixels(o.trainImages, config.inputSize, recipe.seed, "train");
  const heldout = batchTensor(await synthPixels(o.heldoutImages, config.inputSize, recipe.seed, "heldout"), config.inputSize);

  const dvae = createDvae(config, { seed: recipe.seed });
  const trainer = new DvaeTrainer(dvae, recipe);
  const checkpointDir = join(o.out, "checkpoint");
  const logPath = join(o.out, "train-log.jsonl");
  await mkdir(o.out, { recursive: true });
  if (o.resume && existsSync(join(checkpointDir, "model.json"))) {
    const saved = await loadDvae(checkpointDir);
    for (const [half, params] of [["encoder", dvae.encoder], ["decoder", dvae.decoder]] as const) {
      for (const [k, v] of params) v.assign((half === "encoder" ? saved.encoder : saved.decoder).get(k)!);
    }
    saved.dispose();
    trainer.optimizer.restoreFrom(await readFile(join(checkpointDir, "optimizer.safetensors")));
    await keepLogUpTo(logPath, trainer.step);
    say(`resumed at step ${trainer.step}`);
  } else {
    await rm(logPath, { force: true });
  }

  const { steps, batchSize, seed } = recipe;
  const started = Date.now();
  const startStep = trainer.step;
  // The data order is a function of the step, so a resumed run sees the batches an uninterrupted one would.
  const perEpoch = Math.max(1, Math.floor(train.length / batchSize));
  while (trainer.step < steps) {
    const epoch = Math.floor(trainer.step / perEpoch);
    const order = shuffled(train.length, seed, epoch);
    const within = (trainer.step % perEpoch) * batchSize;
    const picked: Pixels[] = Array.from({ length: batchSize }, (_, i) => train[order[(within + i) % train.length]!]!);
    const images = batchTensor(picked, config.inputSize);
    const last = trainer.update(images);
    images.dispose();
    const elapsed = (Date.now() - started) / 1000;
    o.onStep?.(last, elapsed / (trainer.step - startStep));
    if (trainer.step % o.logEvery === 0 || trainer.step === steps) {
      const evalBatch = tf.slice(heldout, [0, 0, 0, 0], [Math.min(64, o.heldoutImages), -1, -1, -1]) as tf.Tensor4D;
      const report = evaluateReconstruction(dvae, evalBatch);
      evalBatch.dispose();
      await appendFile(logPath, `${JSON.stringify({ ...last, seconds: Math.round(elapsed), heldoutPsnr: report.psnrMean, codesUsed: report.usage.used, perplexity: report.usage.perplexity })}\n`);
    }
    if (trainer.step % o.checkpointEvery === 0 && trainer.step < steps) {
      await saveDvaeFolder(checkpointDir, dvae, { step: trainer.step });
      await writeAtomic(join(checkpointDir, "optimizer.safetensors"), trainer.optimizer.serialize());
    }
  }

  const lastReport = evaluateReconstruction(dvae, heldout);
  const seconds = Math.round((Date.now() - started) / 1000);
  // The saved model is the EMA average, as in the paper's recipe.
  const ema = trainer.optimizer.averagedWeights();
  for (const [half, params] of [["encoder", dvae.encoder], ["decoder", dvae.decoder]] as const) {
    for (const [k, v] of params) {
      const average = ema.get(`${half}.${k}`)!;
      if (average !== v) v.assign(average); // with EMA off the "average" is the live weight itself
    }
  }
  const emaReport = evaluateReconstruction(dvae, heldout);
  await saveDvaeFolder(o.out, dvae, { steps, trainSeconds: seconds, recipe, world: "model", heldoutPsnr: emaReport.psnrMean, codesUsed: emaReport.usage.used, perplexity: emaReport.usage.perplexity });
  const evalRecord = {
    world: "model",
    heldout: { images: lastReport.images, ...summaryOf(lastReport) },
    heldoutEma: summaryOf(emaReport),
    trainSeconds: seconds,
    threads: o.threads,
    steps,
    recipe,
    config,
  };
  await writeAtomic(join(o.out, "eval.json"), `${JSON.stringify(evalRecord, null, 2)}\n`);
  await rm(checkpointDir, { recursive: true, force: true });
  trainer.dispose();
  heldout.dispose();
  dvae.dispose();
  const pick = (r: ReconstructionReport) => ({ images: r.images, psnrMean: r.psnrMean, usage: r.usage });
  return { steps, seconds, last: pick(lastReport), ema: pick(emaReport) };
}
