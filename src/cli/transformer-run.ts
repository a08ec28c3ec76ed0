// What `ccw transformer train|eval` and `ccw generate` run (flags and help: transformer.ts): the small DALL-E transformer on the text–image pairs.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { bpeFromJson, type Bpe } from "../lib/bpe/index.js";
import { join, resolve } from "node:path";
import { readLabelerWeights, LABEL_THRESHOLD, DEFAULT_JUDGE_WEIGHTS } from "../lib/labeler/node.js";
import { cnnFromWeights, disposeCnn } from "../lib/labeler/cnn.js";
import { readPairs } from "../lib/pairs/node.js";
import { loadReranker } from "../lib/rerank/node.js";
import { loadDvae } from "../lib/dvae/node.js";
import { useBackend } from "../lib/tfjs/index.js";
import { defaultWasmThreads } from "../lib/tfjs/node.js";
import { startModelBackend } from "./backend-run.js";
import { cnnJudge, generate, zeroShot, type Generator } from "../lib/transformer/index.js";
import { DEFAULT_TRAIN, loadTransformer, trainTransformerRun, transformerDvaeDir, zeroShotPrompts } from "../lib/transformer/node.js";
import { pngFromPixels } from "../lib/dvae/node.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { readCapped, readFlags } from "./flags.js";
import { pairsDir as pairsDirOf } from "./pairs.js";
import { CARD_FLAGS, EVAL_FLAGS, GENERATE_FLAGS, TRAIN_FLAGS } from "./transformer.js";
import { formatSeconds, throttledProgress } from "./progress.js";
import { writeTransformerCard } from "./transformer-card.js";

/** Where the models come from: --weights, --dvae, --reranker (and whether --reranker was given). */
interface ModelPaths {
  weights: string;
  dvae: string | undefined;
  reranker: string;
  rerankerGiven: boolean;
}

/** The transformer, dVAE and (when wanted and present) reranker, checked to fit together. */
async function loadGenerator(command: string, paths: ModelPaths, wantReranker: boolean, io: CommandIO): Promise<Generator & { dispose(): void; metadata: Record<string, unknown> }> {
  await useBackend("wasm");
  const weights = resolve(paths.weights);
  if (!existsSync(join(weights, "weights.safetensors"))) throw new UsageError(`ccw ${command}: no weights.safetensors in ${weights}; pass --weights <dir> or train with \`npm run train:transformer\``);
  const { model, bpe, metadata } = await loadTransformer(weights);
  const dvaeDir = resolve(paths.dvae ?? transformerDvaeDir(weights));
  const dvae = await loadDvae(dvaeDir);
  const rerankPath = resolve(paths.reranker);
  let reranker: Generator["reranker"];
  if (wantReranker) {
    if (existsSync(rerankPath)) {
      const r = await loadReranker(rerankPath);
      reranker = { model: r.model, bpe: r.bpe };
    } else if (paths.rerankerGiven || command === "generate") {
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
  const c = "transformer train";
  const o = readFlags(c, TRAIN_FLAGS, values);
  const steps = o.steps;
  const train = {
    ...DEFAULT_TRAIN,
    steps,
    batchSize: o.batch,
    lr: o.lr,
    lrEnd: o.lr / 10,
    warmupSteps: readCapped(c, "warmup", TRAIN_FLAGS.warmup, values, steps),
    emaDecay: o["ema-decay"],
    seed: o.seed,
  };
  const model = { nLayers: o.layers, dModel: o["d-model"], nHeads: o.heads, textLength: o["text-length"] };
  if (model.dModel % model.nHeads !== 0) throw new UsageError(`ccw transformer: --d-model (${model.dModel}) must be divisible by --heads (${model.nHeads})`);
  // Every option is checked before the data is looked for, so a bad option is reported whatever the folders hold.
  const bpe = o.bpe !== undefined ? await readBpeFile(o.bpe) : undefined;
  const pairs = resolve(o.pairs);
  if (!existsSync(join(pairs, "pairs.json"))) throw new UsageError(`ccw transformer: no pairs set in ${pairs}; build one with \`ccw pairs build\` (or pass --pairs <dir>)`);
  const out = resolve(o.out);
  await startModelBackend(c, values, io, 1);
  const replicas = o.replicas ?? (io.ownsProcess ? defaultWasmThreads() : 1);
  const progress = throttledProgress(io.err, "train", steps, 5000);
  const summary = await trainTransformerRun({
    pairs,
    out,
    direction: o.direction,
    train,
    model,
    bpeVocab: o["bpe-vocab"],
    ...(bpe ? { bpe } : {}),
    checkpointEvery: o["checkpoint-every"],
    logEvery: o["log-every"],
    resume: o.resume,
    replicas,
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

const modelPaths = (o: { weights: string; dvae: string | undefined; reranker: string }, values: Record<string, unknown>): ModelPaths => ({
  weights: o.weights,
  dvae: o.dvae,
  reranker: o.reranker,
  rerankerGiven: values.reranker !== undefined,
});

async function evalVerb(values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const o = readFlags("transformer eval", EVAL_FLAGS, values);
  const opts = { temperature: o.temperature, topK: o["top-k"], topP: o["top-p"], seed: o.seed };
  const g = await loadGenerator("transformer", modelPaths(o, values), true, io);
  try {
    const trainedOn = (g.metadata.pairs as { dir?: string } | undefined)?.dir;
    const pairsDir = resolve(o.pairs ?? trainedOn ?? pairsDirOf("conceptual"));
    if (!existsSync(join(pairsDir, "pairs.json"))) throw new UsageError(`ccw transformer: no pairs set in ${pairsDir}; build it with \`ccw pairs build\` or pass --pairs <dir>`);
    const set = await readPairs(pairsDir);
    const prompts = zeroShotPrompts(set, { perGroup: o.prompts, seed: String(opts.seed) });
    if (prompts.length === 0) throw new UsageError(`ccw transformer: ${pairsDir} has no prompts naming two or more categories to test`);
    const judgePath = o.judge ?? (existsSync(DEFAULT_JUDGE_WEIGHTS) ? DEFAULT_JUDGE_WEIGHTS : undefined);
    const { config, tensors } = readLabelerWeights(judgePath);
    const cnn = cnnFromWeights(config, tensors as never);
    const judgeName = judgePath ? String(judgePath).split("/").pop()!.replace(/\.safetensors$/, "") : "synth-labeler";
    const progress = throttledProgress(io.err, "zero-shot", prompts.length, 5000);
    const report = await zeroShot(g, cnnJudge(cnn, { threshold: LABEL_THRESHOLD, top: o["judge-top"], name: judgeName }), prompts, { ...opts, samples: o.samples, onPrompt: (done) => progress(done) });
    disposeCnn(cnn);
    const weights = resolve(o.weights);
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
    const dir = resolve(readFlags("transformer card", CARD_FLAGS, values).weights);
    if (!existsSync(join(dir, "weights.safetensors"))) throw new UsageError(`ccw transformer: no weights.safetensors in ${dir}; pass --weights <dir>`);
    io.out(`wrote ${await writeTransformerCard(dir)}`);
    return 0;
  }
  throw new UsageError(`ccw transformer: expected a verb, train, eval or card; got ${verb === undefined ? "none" : JSON.stringify(verb)}. See \`ccw transformer --help\`.`);
}

/** `ccw generate`: what generateCommand runs once its arguments have parsed. */
export async function runGenerate({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  if (positionals.length !== 1 || !positionals[0]!.trim()) throw new UsageError(`ccw generate: expected one quoted prompt, e.g. ccw generate "a dog next to a cat" --out samples/; got ${positionals.length} arguments`);
  const o = readFlags("generate", GENERATE_FLAGS, values);
  if (o.out === undefined) throw new UsageError("ccw generate: --out <dir> is required (where the PNGs and scores.json go)");
  const { n, rerank } = o;
  const opts = { temperature: o.temperature, topK: o["top-k"], topP: o["top-p"], seed: o.seed };
  const g = await loadGenerator("generate", modelPaths(o, values), rerank, io);
  try {
    const progress = throttledProgress(io.err, "generate", g.transformer.layout.imageTokens, 1000);
    const result = await generate(g, positionals[0]!, n, { ...opts, rerank, onToken: (done) => progress(done) });
    if (result.droppedTokens > 0) io.err(`ccw generate: the prompt is ${result.textIds.length + result.droppedTokens} tokens; the model reads the first ${result.textIds.length}, the last ${result.droppedTokens} are ignored`);
    if (result.unknownTokens > 0) io.err(`ccw generate: ${result.unknownTokens} character(s) of the prompt are unknown to the tokenizer (encoded as <unk>)`);
    const out = resolve(o.out);
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
