// `ccw transformer train|eval` and `ccw generate`: the small DALL-E transformer on the text–image pairs.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { bpeFromJson, type Bpe } from "../lib/bpe/index.js";
import { join, resolve } from "node:path";
import { readLabelerWeights, LABEL_THRESHOLD, DEFAULT_JUDGE_WEIGHTS } from "../lib/labeler/node.js";
import { cnnFromWeights, disposeCnn } from "../lib/labeler/cnn.js";
import { readPairs } from "../lib/pairs/node.js";
import { loadReranker, DEFAULT_RERANKER_DIR, RERANKER_WEIGHTS_FILE } from "../lib/rerank/node.js";
import { loadDvae } from "../lib/dvae/node.js";
import { useBackend } from "../lib/tfjs/index.js";
import { DIRECTIONS, cnnJudge, generate, zeroShot, type Direction, type Generator } from "../lib/transformer/index.js";
import { DEFAULT_DVAE_DIR, DEFAULT_TRAIN, loadTransformer, trainTransformerRun, transformerDvaeDir, zeroShotPrompts } from "../lib/transformer/node.js";
import { pngFromPixels } from "../lib/dvae/node.js";
import { intOption, numberOption, UsageError, type Command, type CommandIO } from "./command.js";
import { formatSeconds, throttledProgress } from "./progress.js";
import { writeTransformerCard } from "./transformer-card.js";

export const DEFAULT_TRANSFORMER_OUT = "models/transformer-small";
const DEFAULT_PAIRS = "out/pairs-conceptual";

const TRAIN_USAGE = `Usage: ccw transformer <train|eval|card> [options]

  ccw transformer train [options]
      Trains the transformer on a text–image pairs set (\`ccw pairs build\`): a BPE tokenizer on the
      training captions, then AdamW with warm-up and cosine decay, text loss 1/8 and image loss 7/8
      (text-to-image). Writes <out>/weights.safetensors (weights, config, BPE, summary) and
      <out>/train-log.jsonl; checkpoints to <out>/checkpoint/ (--resume continues from there).
  ccw transformer card [--weights <dir>]
      Writes <dir>/MODEL.md from the weights' metadata, train-log.jsonl and zero-shot.json (also done by train and eval).
  ccw transformer eval [options]
      The zero-shot composition test: for seen and held-out prompts of the pairs set, generates
      --samples images each, decodes them with the dVAE, and asks the synthetic-world classifier whether
      every object the prompt names is there (with and without reranking). Writes <weights>/zero-shot.json.

Train options:
  --pairs <dir>          pairs set (default: ${DEFAULT_PAIRS})
  --out <dir>            output folder (default: ${DEFAULT_TRANSFORMER_OUT})
  --direction <d>        ${DIRECTIONS.join(" | ")} (default: text-to-image; image-to-text trains a captioner)
  --steps <n>            updates (default: ${DEFAULT_TRAIN.steps})
  --batch <n>            sequences per update (default: ${DEFAULT_TRAIN.batchSize})
  --lr <x>               peak learning rate after warm-up (default: ${DEFAULT_TRAIN.lr}); decays to lr/10
  --warmup <n>           warm-up updates (default: ${DEFAULT_TRAIN.warmupSteps})
  --layers <n>           transformer blocks (default: 4; DALL-E's pattern row, column, row, row …, conv last)
  --d-model <n>          width (default: 128)
  --heads <n>            attention heads (default: 4)
  --text-length <n>      text slots (default: 32; longer captions are cut and counted)
  --bpe-vocab <n>        BPE vocabulary size (default: 1024)
  --bpe <file.json>      use this tokenizer (a saved BPE, e.g. the captioners' shared one) instead of training one
  --ema-decay <x>        save an EMA of the weights (default: 0, the last weights)
  --seed <n>             initialisation and data order (default: 0)
  --checkpoint-every <n> updates between checkpoints (default: 250)
  --log-every <n>        updates between log lines with validation losses (default: 50)
  --resume               continue from <out>/checkpoint if present

Eval options:
  --weights <dir>        transformer folder (default: ${DEFAULT_TRANSFORMER_OUT})
  --pairs <dir>          pairs set with the held-out compositions (default: the one the model was trained on)
  --dvae <dir>           dVAE weights folder (default: the transformer folder's own dvae/ when it has one,
                         else ${DEFAULT_DVAE_DIR})
  --reranker <file>      reranker weights (default: ${DEFAULT_RERANKER_DIR}/${RERANKER_WEIGHTS_FILE}; skipped when absent)
  --samples <n>          images per prompt (default: 8)
  --prompts <n>          prompts per group, seen and unseen (default: 40)
  --temperature <x>  --top-k <n>  --top-p <x>   sampling (defaults: 1, 0 = off, 1 = off)
  --seed <n>             sampling and prompt choice (default: 0)
  --judge <file>         classifier weights that judge the images (default: models/judge.safetensors, the model
                         world's judge (\`npm run train:judge\`), else the grounding stage's labeler)
  --judge-top <k>        a category also counts as found when among the judge's k most probable (default: 3;
                         0 = only p ≥ ${LABEL_THRESHOLD})

Common:
  -h, --help             show this help`;

const GENERATE_USAGE = `Usage: ccw generate "<prompt>" --out <dir> [options]

  Samples --n token grids for the prompt with the text-to-image transformer (key/value cache), decodes
  them with the dVAE, optionally reranks them with the contrastive reranker, and writes
  <out>/sample-<rank>.png plus <out>/scores.json (prompt, BPE ids, per image: rank, sample, score, tokens).

Options:
  --out <dir>            output folder (required)
  --n <n>                samples (default: 8)
  --rerank               order by the reranker's image–text similarity (needs its weights)
  --seed <n>             sampler seed (default: 0)
  --temperature <x>      default 1 (the paper's); 0 = greedy
  --top-k <n>            default 0 (off)
  --top-p <x>            default 1 (off)
  --weights <dir>        transformer folder (default: ${DEFAULT_TRANSFORMER_OUT})
  --dvae <dir>           dVAE weights folder (default: the transformer folder's own dvae/ when it has one,
                         else ${DEFAULT_DVAE_DIR})
  --reranker <file>      reranker weights (default: ${DEFAULT_RERANKER_DIR}/${RERANKER_WEIGHTS_FILE})
  -h, --help             show this help`;


function sampling(command: string, values: Record<string, unknown>) {
  return {
    temperature: numberOption(command, "temperature", values.temperature, 1, 0, 100),
    topK: intOption(command, "top-k", values["top-k"], 0, 0, 1_000_000),
    topP: numberOption(command, "top-p", values["top-p"], 1, 1e-6, 1),
    seed: intOption(command, "seed", values.seed, 0, 0, 2 ** 31 - 1),
  };
}

/** The transformer, dVAE and (when wanted and present) reranker, checked to fit together. */
async function loadGenerator(command: string, values: Record<string, unknown>, wantReranker: boolean, io: CommandIO): Promise<Generator & { dispose(): void; metadata: Record<string, unknown> }> {
  await useBackend("wasm");
  const weights = resolve((values.weights as string | undefined) ?? DEFAULT_TRANSFORMER_OUT);
  if (!existsSync(join(weights, "weights.safetensors"))) throw new UsageError(`ccw ${command}: no weights.safetensors in ${weights}; pass --weights <dir> or train with \`npm run train:transformer\``);
  const { model, bpe, metadata } = await loadTransformer(weights);
  const dvaeDir = resolve((values.dvae as string | undefined) ?? transformerDvaeDir(weights));
  const dvae = await loadDvae(dvaeDir);
  const rerankPath = resolve((values.reranker as string | undefined) ?? join(DEFAULT_RERANKER_DIR, RERANKER_WEIGHTS_FILE));
  let reranker: Generator["reranker"];
  if (wantReranker) {
    if (existsSync(rerankPath)) {
      const r = await loadReranker(rerankPath);
      reranker = { model: r.model, bpe: r.bpe };
    } else if (values.reranker || command === "generate") {
      throw new UsageError(`ccw ${command}: no reranker weights at ${rerankPath}; train them with \`npm run train:reranker\` or leave out --rerank`);
    } else io.err(`ccw ${command}: no reranker at ${rerankPath}; reranked scores are skipped`);
  }
  return {
    transformer: model,
    bpe,
    dvae,
    reranker,
    metadata,
    dispose: () => {
      model.dispose();
      dvae.dispose();
      reranker?.model.dispose();
    },
  };
}

/** A saved BPE (bpeToJson) for --bpe; a missing or malformed file is a usage error naming it. */
async function readBpeFile(path: string): Promise<Bpe> {
  let text: string;
  try {
    text = await readFile(resolve(path), "utf-8");
  } catch (error) {
    throw new UsageError(`ccw transformer: cannot read --bpe ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); expected a saved BPE JSON file`);
  }
  try {
    return bpeFromJson(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`ccw transformer: --bpe ${path} is not a BPE file: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function trainVerb(values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const c = "transformer";
  const direction = (values.direction as string | undefined) ?? "text-to-image";
  if (!DIRECTIONS.includes(direction as Direction)) throw new UsageError(`ccw transformer: --direction must be one of ${DIRECTIONS.join(", ")}, got ${JSON.stringify(direction)}`);
  const steps = intOption(c, "steps", values.steps, DEFAULT_TRAIN.steps, 1, 10_000_000);
  const lr = numberOption(c, "lr", values.lr, DEFAULT_TRAIN.lr, 1e-7, 1);
  const train = {
    ...DEFAULT_TRAIN,
    steps,
    batchSize: intOption(c, "batch", values.batch, DEFAULT_TRAIN.batchSize, 1, 4096),
    lr,
    lrEnd: lr / 10,
    warmupSteps: intOption(c, "warmup", values.warmup, Math.min(DEFAULT_TRAIN.warmupSteps, steps), 0, steps),
    emaDecay: numberOption(c, "ema-decay", values["ema-decay"], 0, 0, 0.999999),
    seed: intOption(c, "seed", values.seed, 0, 0, 2 ** 31 - 1),
  };
  const model = {
    nLayers: intOption(c, "layers", values.layers, 4, 1, 64),
    dModel: intOption(c, "d-model", values["d-model"], 128, 8, 4096),
    nHeads: intOption(c, "heads", values.heads, 4, 1, 64),
    textLength: intOption(c, "text-length", values["text-length"], 32, 1, 1024),
  };
  if (model.dModel % model.nHeads !== 0) throw new UsageError(`ccw transformer: --d-model (${model.dModel}) must be divisible by --heads (${model.nHeads})`);
  // Every option is checked before the data is looked for, so a bad option is reported whatever the folders hold.
  const bpeVocab = intOption(c, "bpe-vocab", values["bpe-vocab"], 1024, 16, 65536);
  const checkpointEvery = intOption(c, "checkpoint-every", values["checkpoint-every"], 250, 1, 10_000_000);
  const logEvery = intOption(c, "log-every", values["log-every"], 50, 1, 10_000_000);
  const bpe = values.bpe ? await readBpeFile(values.bpe as string) : undefined;
  const pairs = resolve((values.pairs as string | undefined) ?? DEFAULT_PAIRS);
  if (!existsSync(join(pairs, "pairs.json"))) throw new UsageError(`ccw transformer: no pairs set in ${pairs}; build one with \`ccw pairs build\` (or pass --pairs <dir>)`);
  const out = resolve((values.out as string | undefined) ?? DEFAULT_TRANSFORMER_OUT);
  await useBackend("wasm");
  const progress = throttledProgress(io.err, "train", steps, 5000);
  const summary = await trainTransformerRun({
    pairs,
    out,
    direction: direction as Direction,
    train,
    model,
    bpeVocab,
    ...(bpe ? { bpe } : {}),
    checkpointEvery,
    logEvery,
    resume: Boolean(values.resume),
    onStep: (m, perStep) => progress(m.step, `loss ${m.loss.toFixed(4)} text ${m.text.toFixed(3)} image ${m.image.toFixed(3)} · ${perStep.toFixed(3)} s/step · eta ${formatSeconds(perStep * (steps - m.step))}`),
    onLog: (line) => io.err(`ccw transformer: ${line}`),
  });
  await writeTransformerCard(out);
  io.out(
    `ccw transformer: ${summary.steps} steps in ${formatSeconds(summary.seconds)} on ${summary.trainPairs} pairs; ` +
      (summary.valPairs > 0
        ? `validation loss ${summary.val.loss.toFixed(4)} (text ${summary.val.text.toFixed(3)}, image ${summary.val.image.toFixed(3)} nats/token); `
        : "no validation pairs in the set; ") +
      `${summary.truncatedCaptions} captions cut to ${summary.config.textLength} tokens, ${summary.unknownTokens} unknown tokens → ${out}`,
  );
  return 0;
}

async function evalVerb(values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const c = "transformer";
  const opts = sampling(c, values);
  const top = intOption(c, "judge-top", values["judge-top"], 3, 0, 1000);
  const samples = intOption(c, "samples", values.samples, 8, 1, 1024);
  const perGroup = intOption(c, "prompts", values.prompts, 40, 1, 100_000);
  const g = await loadGenerator(c, values, true, io);
  try {
    const trainedOn = (g.metadata.pairs as { dir?: string } | undefined)?.dir;
    const pairsDir = resolve((values.pairs as string | undefined) ?? trainedOn ?? DEFAULT_PAIRS);
    if (!existsSync(join(pairsDir, "pairs.json"))) throw new UsageError(`ccw transformer: no pairs set in ${pairsDir}; build it with \`ccw pairs build\` or pass --pairs <dir>`);
    const set = await readPairs(pairsDir);
    const prompts = zeroShotPrompts(set, { perGroup, seed: String(opts.seed) });
    if (prompts.length === 0) throw new UsageError(`ccw transformer: ${pairsDir} has no prompts naming two or more categories to test`);
    const judgePath = (values.judge as string | undefined) ?? (existsSync(DEFAULT_JUDGE_WEIGHTS) ? DEFAULT_JUDGE_WEIGHTS : undefined);
    const { config, tensors } = readLabelerWeights(judgePath);
    const cnn = cnnFromWeights(config, tensors as never);
    const judgeName = judgePath ? String(judgePath).split("/").pop()!.replace(/\.safetensors$/, "") : "synth-labeler";
    const progress = throttledProgress(io.err, "zero-shot", prompts.length, 5000);
    const report = await zeroShot(g, cnnJudge(cnn, { threshold: LABEL_THRESHOLD, top, name: judgeName }), prompts, { ...opts, samples, onPrompt: (done) => progress(done) });
    disposeCnn(cnn);
    const weights = resolve((values.weights as string | undefined) ?? DEFAULT_TRANSFORMER_OUT);
    await writeFile(join(weights, "zero-shot.json"), `${JSON.stringify({ ...report, pairs: pairsDir, heldoutCompositions: set.info.heldoutCompositions }, null, 2)}\n`);
    const pct = (x: number | null) => (x === null || Number.isNaN(x) ? "—" : `${(100 * x).toFixed(1)}%`);
    for (const group of ["seen", "unseen"] as const) {
      const s = report.groups[group];
      io.out(
        `${group.padEnd(6)} ${String(s.prompts).padStart(3)} prompts: all objects shown ${pct(s.accuracy)} of samples, ${pct(s.accuracyReranked)} reranked; ` +
          `object recall ${pct(s.objectRecall)} (${pct(s.objectRecallReranked)} reranked); judge on real images ${pct(s.ceilingOriginal)}, on dVAE reconstructions ${pct(s.ceilingReconstruction)}`,
      );
    }
    await writeTransformerCard(weights);
    io.out(`→ ${join(weights, "zero-shot.json")}, ${join(weights, "MODEL.md")}`);
  } finally {
    g.dispose();
  }
  return 0;
}

export const transformerCommand: Command = {
  name: "transformer",
  summary: "train the small DALL-E transformer (or a captioner) on text–image pairs; run the zero-shot test",
  usage: TRAIN_USAGE,
  allowPositionals: true,
  options: {
    pairs: { type: "string" },
    out: { type: "string" },
    direction: { type: "string" },
    steps: { type: "string" },
    batch: { type: "string" },
    lr: { type: "string" },
    warmup: { type: "string" },
    layers: { type: "string" },
    "d-model": { type: "string" },
    heads: { type: "string" },
    "text-length": { type: "string" },
    "bpe-vocab": { type: "string" },
    bpe: { type: "string" },
    "ema-decay": { type: "string" },
    seed: { type: "string" },
    "checkpoint-every": { type: "string" },
    "log-every": { type: "string" },
    resume: { type: "boolean" },
    weights: { type: "string" },
    dvae: { type: "string" },
    reranker: { type: "string" },
    judge: { type: "string" },
    "judge-top": { type: "string" },
    samples: { type: "string" },
    prompts: { type: "string" },
    temperature: { type: "string" },
    "top-k": { type: "string" },
    "top-p": { type: "string" },
  },
  async run({ values, positionals }, io) {
    const [verb, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`ccw transformer: unexpected arguments ${rest.join(" ")}`);
    if (verb === "train") return trainVerb(values, io);
    if (verb === "eval") return evalVerb(values, io);
    if (verb === "card") {
      const dir = resolve((values.weights as string | undefined) ?? DEFAULT_TRANSFORMER_OUT);
      if (!existsSync(join(dir, "weights.safetensors"))) throw new UsageError(`ccw transformer: no weights.safetensors in ${dir}; pass --weights <dir>`);
      io.out(`wrote ${await writeTransformerCard(dir)}`);
      return 0;
    }
    throw new UsageError(`ccw transformer: expected a verb, train, eval or card; got ${verb === undefined ? "none" : JSON.stringify(verb)}. See \`ccw transformer --help\`.`);
  },
};

export const generateCommand: Command = {
  name: "generate",
  summary: "text → images with the small DALL-E: sample, decode, rerank; writes PNGs and scores",
  usage: GENERATE_USAGE,
  allowPositionals: true,
  options: {
    out: { type: "string" },
    n: { type: "string" },
    rerank: { type: "boolean" },
    seed: { type: "string" },
    temperature: { type: "string" },
    "top-k": { type: "string" },
    "top-p": { type: "string" },
    weights: { type: "string" },
    dvae: { type: "string" },
    reranker: { type: "string" },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1 || !positionals[0]!.trim()) throw new UsageError(`ccw generate: expected one quoted prompt, e.g. ccw generate "a dog next to a cat" --out samples/; got ${positionals.length} arguments`);
    if (!values.out) throw new UsageError("ccw generate: --out <dir> is required (where the PNGs and scores.json go)");
    const n = intOption("generate", "n", values.n, 8, 1, 256);
    const opts = sampling("generate", values);
    const g = await loadGenerator("generate", values, Boolean(values.rerank), io);
    try {
      const progress = throttledProgress(io.err, "generate", g.transformer.layout.imageTokens, 1000);
      const result = await generate(g, positionals[0]!, n, { ...opts, rerank: Boolean(values.rerank), onToken: (done) => progress(done) });
      if (result.droppedTokens > 0) io.err(`ccw generate: the prompt is ${result.textIds.length + result.droppedTokens} tokens; the model reads the first ${result.textIds.length}, the last ${result.droppedTokens} are ignored`);
      if (result.unknownTokens > 0) io.err(`ccw generate: ${result.unknownTokens} character(s) of the prompt are unknown to the tokenizer (encoded as <unk>)`);
      const out = resolve(values.out as string);
      await mkdir(out, { recursive: true });
      for (const im of result.images) await writeFile(join(out, `sample-${im.rank}.png`), await pngFromPixels(im.pixels, result.size));
      const scores = {
        prompt: result.prompt,
        textIds: result.textIds,
        reranked: result.images.some((im) => im.score !== null),
        options: { n, ...opts },
        seconds: result.seconds,
        images: result.images.map((im) => ({ file: `sample-${im.rank}.png`, rank: im.rank, sample: im.sample, score: im.score, tokens: Array.from(im.tokens) })),
      };
      await writeFile(join(out, "scores.json"), `${JSON.stringify(scores, null, 2)}\n`);
      const perSecond = (n * g.transformer.layout.imageTokens) / result.seconds.sample;
      io.out(`ccw generate: ${n} images (${perSecond.toFixed(0)} tokens/s sampled${scores.reranked ? ", reranked" : ""}) → ${out}`);
    } finally {
      g.dispose();
    }
    return 0;
  },
};
