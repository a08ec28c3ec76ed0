// Node-only: one reranker training run (tokenizer, dVAE decodes, loop, log, checkpoints, resume, final scores,
// saved weights). `ccw rerank train` only parses its flags and picks the data.
import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { trainBpe, type Bpe } from "../bpe/index.js";
import { loadDvae } from "../dvae/node.js";
import { keepLogUpTo, writeAtomic } from "../files/index.js";
import { createReranker, packTexts, rerankerParameterCount, resolveRerankerConfig, type Reranker, type RerankerConfig } from "./model.js";
import { dvaeDecodes, loadReranker, RERANKER_WEIGHTS_FILE, saveReranker, toPairs, type CaptionedImage } from "./node.js";
import { BatchSampler, evaluateRetrieval, packBatch, RerankerTrainer, type RerankerPair, type RerankerStepMetrics, type RerankerTrainOptions, type RetrievalReport } from "./train.js";

export interface RerankerRunOptions {
  out: string; // output folder: reranker.safetensors, train-log.jsonl, eval.json, checkpoint/
  source: string; // what the data is, recorded in the weights and eval.json
  train: CaptionedImage[]; // training pairs
  val: CaptionedImage[]; // held-out pairs scored in the log and at the end
  valName: string; // their split's name ("val", or another held-out split)
  imageSize: number; // side of the images
  dvae: string | null; // dVAE folder whose decodes are shown (options.decodedShare > 0) and scored; null: originals only
  options: RerankerTrainOptions; // optimizer, schedule, decoded share, seed
  bpe: Bpe | { vocabSize: number }; // a tokenizer, or the size of one trained on the training captions
  textLength: number; // caption tokens kept
  embedDim: number; // shared embedding width
  logEvery: number; // updates between log lines
  evalEvery: number; // updates between held-out retrieval scores in the log
  evalPairs: number; // held-out pairs scored during training (the end scores all)
  checkpointEvery: number; // updates between checkpoints (written atomically)
  resume: boolean; // continue from <out>/checkpoint when present (same data and options)
  onLog?: (line: string) => void;
  onStep?: (m: RerankerStepMetrics, secondsPerStep: number) => void;
  onProgress?: (what: string, done: number, total: number) => void;
}

export interface RerankerRunSummary {
  steps: number;
  seconds: number;
  bytes: number;
  final: { original: RetrievalReport; decoded?: RetrievalReport };
}

/** In-batch retrieval on the originals, and on the dVAE decodes when every pair has one. */
export async function scoreBoth(model: Reranker, pairs: RerankerPair[], batchSize: number): Promise<{ original: RetrievalReport; decoded?: RetrievalReport }> {
  const original = await evaluateRetrieval(model, pairs, { batchSize });
  const decoded = pairs.length && pairs.every((p) => p.decoded) ? await evaluateRetrieval(model, pairs, { batchSize, view: "decoded" }) : undefined;
  return decoded ? { original, decoded } : { original };
}

/** Trains the reranker, resumably; writes the weights with their BPE, eval.json and the log into `out`. */
export async function trainRerankerRun(o: RerankerRunOptions): Promise<RerankerRunSummary> {
  const say = o.onLog ?? (() => {});
  const { options } = o;
  const started = Date.now();
  const checkpointDir = join(o.out, "checkpoint");
  const resuming = o.resume && existsSync(join(checkpointDir, "model.safetensors"));

  // The tokenizer: the checkpoint's when resuming (ids must not change), a given one, or trained on the training captions.
  let resumed: { model: Reranker; bpe: Bpe; info: Record<string, unknown> } | undefined;
  let bpe: Bpe;
  if (resuming) {
    resumed = await loadReranker(join(checkpointDir, "model.safetensors"));
    bpe = resumed.bpe;
  } else if ("vocab" in o.bpe) {
    bpe = o.bpe;
  } else {
    say(`training a ${o.bpe.vocabSize}-token BPE on ${o.train.length} training captions …`);
    bpe = trainBpe(o.train.map((i) => i.caption), { vocabSize: o.bpe.vocabSize });
  }

  const dvae = o.dvae && options.decodedShare > 0 ? await loadDvae(o.dvae) : null;
  const decodes = async (items: CaptionedImage[], label: string) => (dvae ? dvaeDecodes(dvae, items, (done) => o.onProgress?.(`dVAE decodes (${label})`, done, items.length)) : undefined);
  const trainPairs = toPairs(bpe, o.train, await decodes(o.train, "train"));
  const valPairs = toPairs(bpe, o.val, await decodes(o.val, o.valName));
  dvae?.dispose();

  const config: RerankerConfig = resumed?.model.config ?? resolveRerankerConfig({ imageSize: o.imageSize, textVocab: bpe.vocab.length, textLength: o.textLength, embedDim: o.embedDim });
  const truncated = packTexts(config, trainPairs.map((p) => p.text)).truncated;
  const longest = Math.max(...trainPairs.map((p) => p.text.length));
  say(`${trainPairs.length} training and ${valPairs.length} ${o.valName} pairs (${o.source}); BPE ${bpe.vocab.length} tokens; captions up to ${longest} tokens, ${truncated} cut to ${config.textLength}`);

  const model = createReranker(config, options.seed);
  const trainer = new RerankerTrainer(model, options);
  const logPath = join(o.out, "train-log.jsonl");
  await mkdir(o.out, { recursive: true });
  if (resumed) {
    for (const [name, v] of model.params) v.assign(resumed.model.params.get(name)!);
    resumed.model.dispose();
    trainer.optimizer.restoreFrom(await readFile(join(checkpointDir, "optimizer.safetensors")));
    await keepLogUpTo(logPath, trainer.step);
    say(`resumed at step ${trainer.step}`);
  } else {
    await rm(logPath, { force: true });
  }
  const params = rerankerParameterCount(model);
  say(`${params.total.toLocaleString("en")} weights (image ${params.image.toLocaleString("en")}, text ${params.text.toLocaleString("en")}); ${options.steps} steps of ${options.batchSize}`);

  const sampler = new BatchSampler(trainPairs, options);
  const evalSubset = valPairs.slice(0, o.evalPairs);
  const loopStart = Date.now();
  const earlierSeconds = Number(resumed?.info.seconds ?? 0); // time spent before the checkpoint
  const elapsed = () => earlierSeconds + Math.round((Date.now() - started) / 1000);
  const startStep = trainer.step;
  let lossSum = 0, lossCount = 0;
  while (trainer.step < options.steps) {
    const { pairs, decoded } = sampler.at(trainer.step);
    const batch = packBatch(config, pairs, decoded);
    const m = trainer.update(batch);
    tf.dispose(Object.values(batch));
    lossSum += m.loss;
    lossCount++;
    const perStep = (Date.now() - loopStart) / 1000 / (trainer.step - startStep);
    o.onStep?.(m, perStep);
    const evaluate = trainer.step % o.evalEvery === 0 || trainer.step === options.steps;
    if (trainer.step % o.logEvery === 0 || evaluate) {
      const line: Record<string, unknown> = { step: m.step, loss: lossSum / lossCount, lr: m.lr, temperature: m.temperature, secondsPerStep: perStep, seconds: elapsed() };
      if (evaluate) line[o.valName] = await scoreBoth(model, evalSubset, 32);
      await appendFile(logPath, `${JSON.stringify(line)}\n`);
      lossSum = 0;
      lossCount = 0;
    }
    if (trainer.step % o.checkpointEvery === 0 && trainer.step < options.steps) {
      await mkdir(checkpointDir, { recursive: true });
      await saveReranker(join(checkpointDir, "model.safetensors"), model, bpe, { step: trainer.step, seconds: elapsed() });
      await writeAtomic(join(checkpointDir, "optimizer.safetensors"), trainer.optimizer.serialize());
    }
  }
  trainer.dispose();

  const final = await scoreBoth(model, valPairs, 32);
  const seconds = elapsed();
  const record = { data: o.source, split: o.valName, trainPairs: trainPairs.length, heldOut: final, steps: options.steps, seconds, options, config, weights: params, bpeTokens: bpe.vocab.length, captionsCut: truncated };
  await writeAtomic(join(o.out, "eval.json"), `${JSON.stringify(record, null, 2)}\n`);
  const bytes = await saveReranker(join(o.out, RERANKER_WEIGHTS_FILE), model, bpe, { data: o.source, steps: options.steps, options, seconds, heldOut: final });
  await rm(checkpointDir, { recursive: true, force: true });
  model.dispose();
  return { steps: options.steps, seconds, bytes, final };
}
