// What `ccw labeler` runs (flags and help: labeler.ts): the grounding stage's synthetic-world classifier (labeler b), and its judge variant
// trained through a dVAE (`--through-dvae`) for scoring dVAE decodes.
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { existsSync } from "node:fs";
import {
  DECISION_RULES, DEFAULT_JUDGE_WEIGHTS, DEFAULT_LABELER_WEIGHTS, DEFAULT_TRAIN_OPTIONS, JUDGE_TRAIN_OPTIONS,
  LABEL_THRESHOLD, evaluateCnnRules, heldoutSet, openDvae, readLabelerWeights, saveLabelerWeights, throughDvae, trainSynthLabeler,
  type DvaeFingerprint, type LabelerEvaluation, type LabelerWorld,
} from "../lib/labeler/node.js";
import { cnnFromWeights, disposeCnn } from "../lib/labeler/cnn.js";
import { useBackend } from "../lib/tfjs/index.js";
import { startModelBackend } from "./backend-run.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { DEFAULT_MODEL_DIR as DEFAULT_DVAE } from "./dvae.js";
import { readFlags, type FlagValues } from "./flags.js";
import { EVAL_FLAGS, TRAIN_FLAGS } from "./labeler.js";

const d = DEFAULT_TRAIN_OPTIONS;
const j = JUDGE_TRAIN_OPTIONS;

/** The committed weights of a world's classifier: the grounding stage's labeler, or the judge. */
const defaultWeights = (world: LabelerWorld | undefined): string => fileURLToPath(world === "model" ? DEFAULT_JUDGE_WEIGHTS : DEFAULT_LABELER_WEIGHTS);

/** `ccw labeler`: what labelerCommand runs once its arguments have parsed. */
export async function run({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  const verb = positionals[0];
  if (verb !== "train" && verb !== "eval") throw new UsageError(`ccw labeler: expected train or eval, got ${JSON.stringify(verb ?? "")}; see \`ccw labeler --help\``);
  await startModelBackend(`labeler ${verb}`, values, io, "cores");
  const started = performance.now();
  const say = (line: string) => io.err(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${line}`);
  if (verb === "eval") return evaluate(readFlags("labeler eval", EVAL_FLAGS, values), io, say);
  const o = readFlags("labeler train", TRAIN_FLAGS, values);
  const { world, "through-dvae": dvaeDir } = o;
  const defaults = world === "model" ? j : d;
  const path = outPath(o.weights, o.out, world);
  if (o.originals !== undefined && dvaeDir === undefined) throw new UsageError("ccw labeler train: --originals only applies with --through-dvae <dVAE dir>");
  const result = await trainSynthLabeler({
    world,
    trainImages: o["train-images"] ?? defaults.trainImages,
    evalImages: o["eval-images"] ?? defaults.evalImages,
    epochs: o.epochs ?? defaults.epochs,
    batchSize: o.batch ?? defaults.batchSize,
    seed: o.seed,
    ...(dvaeDir === undefined ? {} : { throughDvae: dvaeDir, originalShare: o.originals ?? defaults.originalShare }),
    onProgress: say,
  }).catch((e: Error) => {
    throw dvaeDir !== undefined && /dVAE/.test(e.message) ? new UsageError(`ccw labeler: --through-dvae ${dvaeDir}: ${e.message}`) : e;
  });
  const { model, evaluation, reconstructions, dvae, options } = result;
  await mkdir(dirname(path), { recursive: true });
  const { onProgress: _drop, throughDvae: _dir, ...recorded } = options;
  const info = dvae
    ? { options: recorded, evaluation, judge: result.judge, reconstructions, dvae, seconds: Math.round((performance.now() - started) / 1000) }
    : { options: { ...recorded, originalShare: undefined }, evaluation, judge: result.judge, seconds: Math.round((performance.now() - started) / 1000) };
  const bytes = await saveLabelerWeights(path, model, info);
  disposeCnn(model);
  io.out(`ccw labeler: held-out ${evaluation.images} scenes: precision ${evaluation.precision.toFixed(3)}, recall ${evaluation.recall.toFixed(3)}, macro precision ${evaluation.macroPrecision.toFixed(3)}, macro recall ${evaluation.macroRecall.toFixed(3)}, top-1 ${evaluation.top1.toFixed(3)}, exact ${evaluation.exact!.toFixed(3)}`);
  const judged = result.judge;
  if (judged) for (const [style, e] of Object.entries(judged.perStyle ?? {})) io.out(`  judge rule (p ≥ ${LABEL_THRESHOLD} alone), ${style}: macro precision ${e.macroPrecision.toFixed(3)}, macro recall ${e.macroRecall.toFixed(3)}`);
  const r = reconstructions?.judge;
  if (r && dvae) io.out(`  their reconstructions by ${dvae.dir} (judge rule): precision ${r.precision.toFixed(3)}, recall ${r.recall.toFixed(3)}, exact ${r.exact!.toFixed(3)}`);
  io.out(`wrote ${path} (${(bytes / 1024).toFixed(0)} KiB)`);
  return 0;
}

function outPath(weights: string | undefined, out: string | undefined, world: LabelerWorld): string {
  if (weights !== undefined && out !== undefined && resolve(weights) !== resolve(out)) {
    throw new UsageError(`ccw labeler train: --out ${out} and --weights ${weights} name different files; give one`);
  }
  return resolve(out ?? weights ?? defaultWeights(world));
}

async function evaluate(o: FlagValues<typeof EVAL_FLAGS>, io: CommandIO, say: (line: string) => void): Promise<number> {
  const { "through-dvae": dvaeArg, seed, save } = o;
  const path = resolve(o.weights ?? defaultWeights(o.world));
  await useBackend("wasm");
  const { config, tensors, info } = readLabelerWeights(path);
  const trainedOn = ((info.options as { world?: LabelerWorld } | undefined)?.world ?? "crawl") as LabelerWorld;
  const world = o.world ?? trainedOn;
  const evalImages = o["eval-images"] ?? (world === "model" ? j : d).evalImages;
  const trainedThrough = info.dvae as DvaeFingerprint | undefined;
  const dvaeDir = dvaeArg ?? (trainedThrough && existsSync(trainedThrough.dir) ? trainedThrough.dir : DEFAULT_DVAE);
  const { dvae, fingerprint } = await openDvae(dvaeDir, config.size).catch((e: Error) => {
    throw new UsageError(`ccw labeler eval: --through-dvae ${dvaeDir}: ${e.message}`);
  });
  const model = cnnFromWeights(config, tensors as never);
  try {
    const held = await heldoutSet(world, seed, evalImages, config);
    const heldName = `${world === "model" ? "judge" : "labeler"}-eval-${seed}`;
    say(`rendered ${evalImages} held-out ${world === "model" ? "model-world" : "crawl"} scenes (${heldName})`);
    const recon = await throughDvae(held, dvae, { size: config.size });
    say(`passed them through ${fingerprint.dir}`);
    const originals = await evaluateCnnRules(model, held, LABEL_THRESHOLD, DECISION_RULES);
    const reconstructions = await evaluateCnnRules(model, recon, LABEL_THRESHOLD, DECISION_RULES);
    const sameAsTraining = trainedThrough ? trainedThrough.weightsSha256 === fingerprint.weightsSha256 : null;
    if (sameAsTraining === false) say(`note: these weights were trained through a dVAE with weights.bin SHA-256 ${trainedThrough!.weightsSha256.slice(0, 12)}…, not this one (${fingerprint.weightsSha256.slice(0, 12)}…); retrain with \`ccw labeler train --through-dvae ${fingerprint.dir}\``);
    const table = [`${"images".padEnd(16)} ${"rule".padEnd(8)} ${"style".padEnd(13)} precision  recall  macro-P  macro-R  exact  top-1`];
    const row = (name: string, rule: string, style: string, e: Omit<LabelerEvaluation, "perStyle" | "perCategory" | "rule">) =>
      `${name.padEnd(16)} ${rule.padEnd(8)} ${style.padEnd(13)} ${e.precision.toFixed(3).padStart(9)}  ${e.recall.toFixed(3).padStart(6)}  ${e.macroPrecision.toFixed(3).padStart(7)}  ${e.macroRecall.toFixed(3).padStart(7)}  ${e.exact!.toFixed(3)}  ${e.top1.toFixed(3)}`;
    for (const [name, byRule] of [["originals", originals], ["reconstructions", reconstructions]] as const) {
      for (const rule of DECISION_RULES) {
        const e = byRule[rule] as LabelerEvaluation;
        table.push(row(name, rule, "all", e));
        for (const [style, s] of Object.entries(e.perStyle ?? {})) table.push(row(name, rule, style, s));
      }
    }
    for (const line of table) io.err(line);
    const recallKept = (reconstructions.judge?.recall ?? 0) / Math.max(1e-9, originals.judge?.recall ?? 0);
    io.err(`judge rule: reconstructions keep ${(100 * recallKept).toFixed(1)}% of the originals' recall`);
    const rel = relative(process.cwd(), path);
    const report = JSON.stringify({ weights: rel.startsWith("..") ? path : rel, world, heldout: { name: heldName, images: evalImages }, judgeRecallKept: recallKept, dvae: { ...fingerprint, trainedThrough: trainedThrough ?? null, sameAsTraining }, originals, reconstructions, trainedWith: info } satisfies Record<string, unknown>, null, 2);
    if (save) await writeFile(save, `${report}\n`);
    io.out(report);
    return 0;
  } finally {
    disposeCnn(model);
    dvae.dispose();
  }
}

