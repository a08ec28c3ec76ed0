// What `ccw rerank` runs (flags and help: rerank.ts): the library's reranker training run (src/lib/rerank/run.ts) and its scores.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { bpeFromJson } from "../lib/bpe/index.js";
import { DEFAULT_RERANKER_CONFIG, type RerankerTrainOptions, type RetrievalReport } from "../lib/rerank/index.js";
import { readPairsInfo } from "../lib/pairs/node.js";
import { RERANKER_WEIGHTS_FILE, captionedFromPairs, dvaeDecodes, loadDvae, loadReranker, scoreBoth, syntheticCaptioned, toPairs, trainRerankerRun, type CaptionedImage } from "../lib/rerank/node.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { readFlags, type FlagValues } from "./flags.js";
import { DATA_FLAGS, SCORE_FLAGS, TRAIN_FLAGS, VERBS } from "./rerank.js";
import { formatSeconds, throttledProgress } from "./progress.js";
import { startModelBackend } from "./backend-run.js";

/** Captioned images grouped by split: the pairs dataset, or rendered synthetic scenes (train and val). */
async function loadCaptioned(o: FlagValues<typeof DATA_FLAGS>, values: Record<string, unknown>, size: number | undefined, io: CommandIO, withTrain = true): Promise<{ source: string; splits: Map<string, CaptionedImage[]>; imageSize: number }> {
  const splits = new Map<string, CaptionedImage[]>();
  if (o.synthetic !== undefined) {
    if (values.pairs !== undefined) throw new UsageError("ccw rerank: give --pairs or --synthetic, not both");
    const { synthetic: n, seed } = o;
    const imageSize = size ?? DEFAULT_RERANKER_CONFIG.imageSize;
    for (const [split, count] of [["train", withTrain ? n : 0], ["val", Math.max(32, Math.round(n / 8))]] as const) {
      if (count === 0) continue;
      const progress = throttledProgress(io.err, `rendering ${split} scenes`, count);
      splits.set(split, await syntheticCaptioned({ seed: `rerank-${split}-${seed}`, count, size: imageSize, split, onProgress: (done) => progress(done) }));
    }
    return { source: `synthetic:${n}`, splits, imageSize };
  }
  const dir = resolve(o.pairs);
  if (!existsSync(dir)) {
    throw new UsageError(`ccw rerank: no pairs dataset at ${dir}; build one with \`ccw pairs build\`, pass --pairs <dir>, or use --synthetic <n>`);
  }
  const info = await readPairsInfo(dir);
  if (size !== undefined && info.imageSize !== size) throw new UsageError(`ccw rerank: ${dir} holds ${info.imageSize}×${info.imageSize} images; these weights take ${size}×${size}`);
  // The stored tokens decode only with the dVAE that made them; with another one, the pixels are re-encoded.
  const dvaeDir = resolve(o.dvae);
  const sameDvae = resolve(info.dvaeWeights) === dvaeDir;
  if (!sameDvae) io.err(`ccw rerank: ${dir}'s tokens come from ${info.dvaeWeights}, not ${dvaeDir}; its pixels are re-encoded for the decodes`);
  io.err(`ccw rerank: reading ${dir} (${Object.entries(info.counts).map(([k, v]) => `${v} ${k}`).join(", ")}) …`);
  const set = await captionedFromPairs(dir, { withTokens: sameDvae });
  if (!withTrain) set.splits.delete("train");
  return { source: `pairs:${dir} (${info.source}, seed ${info.seed})`, splits: set.splits, imageSize: info.imageSize };
}

/** Adds each image's dVAE decode (RGB bytes) to its pair. */
async function withDecodes(items: CaptionedImage[], dvae: Dvae | null, label: string, io: CommandIO): Promise<Uint8Array[] | undefined> {
  if (!dvae) return undefined;
  const progress = throttledProgress(io.err, `dVAE decodes (${label})`, items.length);
  return dvaeDecodes(dvae, items, (done) => progress(done));
}
type Dvae = Awaited<ReturnType<typeof loadDvae>>;

/** The held-out split the log scores: "val" when present, else the first split that is not "train". */
function heldOutSplit(splits: Map<string, unknown>): string {
  if (splits.has("val")) return "val";
  const other = [...splits.keys()].find((s) => s !== "train");
  if (!other) throw new UsageError(`ccw rerank: the data has no held-out split (splits: ${[...splits.keys()].join(", ")})`);
  return other;
}

const fmt = (r: RetrievalReport) => `i→t ${(r.imageToText * 100).toFixed(1)}% t→i ${(r.textToImage * 100).toFixed(1)}% (chance ${(r.chance * 100).toFixed(1)}%)`;

async function trainVerb(values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const o = readFlags("rerank train", TRAIN_FLAGS, values);
  const out = resolve(o.out);
  const options: RerankerTrainOptions = {
    steps: o.steps,
    batchSize: o.batch,
    learningRate: o.lr,
    finalLearningRate: o.lr / 20,
    warmupSteps: o.warmup,
    weightDecay: o["weight-decay"],
    decodedShare: o["decoded-share"],
    seed: o.seed,
  };
  const bpe = o.bpe !== undefined ? bpeFromJson(JSON.parse(await readFile(o.bpe, "utf-8"))) : { vocabSize: o.vocab };

  const { source, splits, imageSize } = await loadCaptioned(o, values, undefined, io);
  const train = splits.get("train") ?? [];
  if (train.length === 0) throw new UsageError(`ccw rerank: the data has no "train" split (splits: ${[...splits.keys()].join(", ")})`);
  const valName = heldOutSplit(splits);
  const progress = throttledProgress(io.err, "rerank train", options.steps, 5000);
  const decodes = new Map<string, (done: number) => void>();
  const summary = await trainRerankerRun({
    out,
    source,
    train,
    val: splits.get(valName)!,
    valName,
    imageSize,
    dvae: resolve(o.dvae),
    options,
    bpe,
    textLength: o["text-length"],
    embedDim: o["embed-dim"],
    logEvery: o["log-every"],
    evalEvery: o["eval-every"],
    evalPairs: o["eval-pairs"],
    checkpointEvery: o["checkpoint-every"],
    resume: o.resume,
    onLog: (line) => io.err(`rerank train: ${line}`),
    onProgress: (what, done, total) => {
      if (!decodes.has(what)) decodes.set(what, throttledProgress(io.err, what, total));
      decodes.get(what)!(done);
    },
    onStep: (m, perStep) => progress(m.step, `loss ${m.loss.toFixed(3)} T ${m.temperature.toFixed(4)} · ${perStep.toFixed(2)} s/step · eta ${formatSeconds(perStep * (options.steps - m.step))}`),
  });
  const { final } = summary;
  io.out(`rerank train: ${options.steps} steps in ${formatSeconds(summary.seconds)}; ${valName} ${fmt(final.original)}${final.decoded ? `; on dVAE decodes ${fmt(final.decoded)}` : ""} → ${join(out, RERANKER_WEIGHTS_FILE)} (${(summary.bytes / 1024).toFixed(0)} KiB)`);
  return 0;
}

async function scoreVerb(values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const o = readFlags("rerank score", SCORE_FLAGS, values);
  const path = resolve(o.weights);
  if (!existsSync(path)) throw new UsageError(`ccw rerank score: no weights at ${path}; pass --weights <file> or train with \`npm run train:reranker\``);
  const batchSize = o.batch;
  const { model, bpe } = await loadReranker(path);
  const { source, splits } = await loadCaptioned(o, values, model.config.imageSize, io, false).catch((error: unknown) => {
    model.dispose();
    throw error;
  });
  const dvaeDir = resolve(o.dvae);
  const dvae = existsSync(join(dvaeDir, "model.json")) ? await loadDvae(dvaeDir) : null;
  if (!dvae) io.err(`ccw rerank score: no dVAE at ${dvaeDir}; scoring originals only`);
  const report: Record<string, { original: RetrievalReport; decoded?: RetrievalReport }> = {};
  for (const [split, items] of splits) {
    if (split === "train") continue;
    report[split] = await scoreBoth(model, toPairs(bpe, items, await withDecodes(items, dvae, split, io)), batchSize);
  }
  dvae?.dispose();
  model.dispose();
  if (Object.keys(report).length === 0) throw new UsageError(`ccw rerank score: the data has no held-out split (splits: ${[...splits.keys()].join(", ")})`);
  if (o.json) io.out(JSON.stringify({ weights: path, data: source, batchSize, report }, null, 2));
  else {
    for (const [split, r] of Object.entries(report)) {
      io.out(`${split} (${r.original.pairs} pairs, batches of ${r.original.batchSize}): originals ${fmt(r.original)}${r.decoded ? `; dVAE decodes ${fmt(r.decoded)}` : ""}`);
    }
  }
  return 0;
}

/** `ccw rerank`: what rerankCommand runs once its arguments have parsed. */
export async function run({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  const [verb, ...rest] = positionals;
  if (!verb || !VERBS.includes(verb)) {
    throw new UsageError(`ccw rerank: expected a verb, one of ${VERBS.join(", ")}; got ${verb === undefined ? "nothing" : JSON.stringify(verb)}. See \`ccw rerank --help\`.`);
  }
  if (rest.length) throw new UsageError(`ccw rerank ${verb}: takes no positional arguments, got ${rest.join(" ")}`);
  await startModelBackend("rerank", values, io, 1);
  return verb === "train" ? trainVerb(values, io) : scoreVerb(values, io);
}
