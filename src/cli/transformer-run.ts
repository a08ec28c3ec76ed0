// What `ccw transformer train|eval` and `ccw generate` run (flags and help: transformer.ts): the small DALL-E transformer on the text–image pairs.
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
import { startModelBackend } from "./backend-run.js";
import { DIRECTIONS, cnnJudge, generate, zeroShot, type Direction, type Generator } from "../lib/transformer/index.js";
import { DEFAULT_DVAE_DIR, DEFAULT_TRAIN, loadTransformer, trainTransformerRun, transformerDvaeDir, zeroShotPrompts } from "../lib/transformer/node.js";
import { pngFromPixels } from "../lib/dvae/node.js";
import { intOption, numberOption, UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { DEFAULT_PAIRS, DEFAULT_TRANSFORMER_OUT } from "./transformer.js";
import { formatSeconds, throttledProgress } from "./progress.js";
import { writeTransformerCard } from "./transformer-card.js";





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
  await startModelBackend(c, values, io, "cores");
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

/** `ccw transformer`: what transformerCommand runs once its arguments have parsed. */
export async function runTransformer({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
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
}

/** `ccw generate`: what generateCommand runs once its arguments have parsed. */
export async function runGenerate({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
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
}
