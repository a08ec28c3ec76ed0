// What `ccw dvae` runs (its flags and help are in dvae.ts): the library's dVAE training run on the model world
// (src/lib/dvae/run.ts), and any dVAE over image folders.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { fromArrowIPC, fromParquet, tableFromRows, toArrowIPC, toParquet, type ColumnSpec } from "../lib/arrow/index.js";
import { DVAE_CONFIGS, DVAE_CONFIG_FIELDS, evaluateReconstruction, patchBaseline, resolveConfig, scaledRecipe, tokenGridSize, type Dvae, type DvaeConfig } from "../lib/dvae/index.js";
import { batchTensor, filePixels, imageFiles, loadDvae, pngFromPixels, reconstructionSheet, synthPixels, trainDvaeRun, type Pixels } from "../lib/dvae/node.js";
import { DVAE_TRAINING } from "../lib/reference/index.js";
import { checkConfigFields, parseConfigJson } from "../lib/safetensors/index.js";
import { startModelBackend } from "./backend-run.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import {
  BASELINE_FLAGS, CARD_FLAGS, CONFIG_FIELD_OF, CONFIG_FLAGS, DECODE_FLAGS, DEFAULT_EVAL_IMAGES, ENCODE_FLAGS, EVAL_FLAGS, SHEET_FLAGS, TRAIN_FLAGS, VERBS,
} from "./dvae.js";
import { readCapped, readFlags } from "./flags.js";
import { writeModelCard } from "./dvae-card.js";
import { formatSeconds, throttledProgress } from "./progress.js";

const resolveConfigFields = (value: unknown): Partial<DvaeConfig> => checkConfigFields<Partial<DvaeConfig>>("dVAE config", value, DVAE_CONFIG_FIELDS, { partial: true });

/** Config from --config (a preset name or a JSON object of fields) plus single-field overrides; undefined when nothing was given. */
function configFromOptions(where: string, values: Record<string, unknown>): Partial<DvaeConfig> | undefined {
  const o = readFlags(where, CONFIG_FLAGS, values);
  let base: Partial<DvaeConfig> | undefined;
  const spec = o.config;
  if (spec !== undefined) {
    const usage = `--config must be ${Object.keys(DVAE_CONFIGS).join(" | ")} or a JSON object of fields (${Object.keys(DVAE_CONFIG_FIELDS).join(", ")})`;
    if (Object.hasOwn(DVAE_CONFIGS, spec)) base = { ...DVAE_CONFIGS[spec as keyof typeof DVAE_CONFIGS] };
    else if (!spec.trim().startsWith("{")) throw new UsageError(`ccw ${where}: ${usage}, got ${JSON.stringify(spec)}`);
    else {
      try {
        // Checked here, field by field, so a bad --config is reported before any weights are read or images rendered.
        base = resolveConfigFields(parseConfigJson("--config", spec));
      } catch (error) {
        throw new UsageError(`ccw ${where}: ${(error as Error).message}; ${usage}`);
      }
    }
  }
  for (const [flag, key] of Object.entries(CONFIG_FIELD_OF)) {
    const value = o[flag as keyof typeof CONFIG_FIELD_OF];
    if (value !== undefined) base = { ...(base ?? {}), [key]: value };
  }
  return base;
}

async function loadModel(where: string, weights: string, values: Record<string, unknown>): Promise<Dvae> {
  const path = resolve(weights);
  const override = configFromOptions(where, values);
  return loadDvae(path, override ? { config: override } : {}).catch((e: Error) => {
    throw new UsageError(`ccw dvae: --weights ${path}: ${e.message}; pass --weights <TF.js folder | file.safetensors>, or train one with \`ccw dvae train\``);
  });
}

interface TokenRow {
  file: string;
  grid: number;
  vocab: number;
  tokens: number[];
}

const TOKEN_COLUMNS: ColumnSpec<TokenRow>[] = [
  { name: "file", type: "utf8", description: "source image file name" },
  { name: "grid", type: "int32", description: "token grid side: tokens holds grid×grid ids, row-major" },
  { name: "vocab", type: "int32", description: "codebook size of the dVAE that wrote them" },
  { name: "tokens", type: "list<int32>", description: "code ids, row-major" },
];

/** A folder's image files; a missing or empty folder is a usage error (checked before any model is loaded). */
async function listImages(verb: string, dir: string): Promise<string[]> {
  const files = await imageFiles(resolve(dir)).catch(() => {
    throw new UsageError(`ccw dvae ${verb}: ${dir} is not a readable folder`);
  });
  if (files.length === 0) throw new UsageError(`ccw dvae ${verb}: no .jpg/.jpeg/.png/.webp/.gif files in ${dir}`);
  return files;
}

/** Decodes images at the model's size; unreadable files are reported and counted, not fatal. */
async function readImages(verb: string, files: string[], size: number, io: CommandIO): Promise<{ names: string[]; pixels: Pixels[]; total: number; failed: number }> {
  const progress = throttledProgress(io.err, `${verb} (decoding images)`, files.length);
  const names: string[] = [];
  const pixels: Pixels[] = [];
  for (const [i, file] of files.entries()) {
    try {
      pixels.push(await filePixels(file, size));
      names.push(basename(file));
    } catch (error) {
      io.err(`ccw dvae ${verb}: skipping ${basename(file)}: ${error instanceof Error ? error.message : String(error)}`);
    }
    progress(i + 1);
  }
  return { names, pixels, total: files.length, failed: files.length - names.length };
}

async function encodeVerb(args: string[], values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const [dir] = args;
  const o = readFlags("dvae encode", ENCODE_FLAGS, values);
  const out = o.out;
  if (!dir || !out) throw new UsageError("ccw dvae encode: expected <images dir> --out <tokens.arrow|tokens.parquet>");
  if (![".arrow", ".parquet"].includes(extname(out))) throw new UsageError(`ccw dvae encode: --out must end in .arrow or .parquet, got ${out}`);
  const files = await listImages("encode", dir);
  const dvae = await loadModel("dvae encode", o.weights, values);
  const size = dvae.config.inputSize;
  const { names, pixels, total, failed } = await readImages("encode", files, size, io);
  const rows: TokenRow[] = [];
  for (const [i, image] of pixels.entries()) {
    const batch = batchTensor([image], size);
    const tokens = dvae.encode(batch);
    rows.push({ file: names[i]!, grid: tokenGridSize(dvae.config), vocab: dvae.config.vocabSize, tokens: Array.from(tokens.dataSync()) });
    tf.dispose([batch, tokens]);
  }
  const table = tableFromRows(rows, TOKEN_COLUMNS);
  await writeFile(out, extname(out) === ".arrow" ? toArrowIPC(table) : await toParquet(table));
  dvae.dispose();
  io.out(`encoded ${rows.length} of ${total} images (${failed} unreadable) → ${out}`);
  return failed > 0 && rows.length === 0 ? 1 : 0;
}

async function decodeVerb(args: string[], values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const [input] = args;
  const o = readFlags("dvae decode", DECODE_FLAGS, values);
  const out = o.out;
  if (!input || !out) throw new UsageError("ccw dvae decode: expected <tokens.arrow|tokens.parquet> --out <dir>");
  const bytes = await readFile(input).catch(() => {
    throw new UsageError(`ccw dvae decode: cannot read ${input}`);
  });
  const table = extname(input) === ".parquet" ? await fromParquet(bytes) : fromArrowIPC(bytes);
  const dvae = await loadModel("dvae decode", o.weights, values);
  const grid = tokenGridSize(dvae.config);
  await mkdir(out, { recursive: true });
  const rows = table.toArray().map((r) => r.toJSON() as { file: string; tokens: { toArray(): Int32Array } | number[] });
  const progress = throttledProgress(io.err, "decode", rows.length);
  for (const [i, row] of rows.entries()) {
    const ids = Array.from(Array.isArray(row.tokens) ? row.tokens : row.tokens.toArray());
    if (ids.length !== grid * grid) throw new UsageError(`ccw dvae decode: row ${i} (${row.file}) has ${ids.length} tokens; this dVAE needs ${grid}×${grid}`);
    const bad = ids.find((id) => id < 0 || id >= dvae.config.vocabSize);
    if (bad !== undefined) throw new UsageError(`ccw dvae decode: row ${i} (${row.file}) has code ${bad}, outside [0, ${dvae.config.vocabSize})`);
    const tokens = tf.tensor3d(ids, [1, grid, grid], "int32");
    const image = dvae.decode(tokens);
    await writeFile(join(out, `${basename(row.file, extname(row.file))}.png`), await pngFromPixels(image.dataSync() as Float32Array, dvae.config.inputSize));
    tf.dispose([tokens, image]);
    progress(i + 1);
  }
  dvae.dispose();
  io.out(`decoded ${rows.length} token grids → ${out}`);
  return 0;
}

async function evalVerb(args: string[], values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const [dir] = args;
  if (!dir) throw new UsageError("ccw dvae eval: expected <images dir>");
  const o = readFlags("dvae eval", EVAL_FLAGS, values);
  const files = await listImages("eval", dir);
  const dvae = await loadModel("dvae eval", o.weights, values);
  const { pixels, failed } = await readImages("eval", files, dvae.config.inputSize, io);
  if (pixels.length === 0) throw new UsageError(`ccw dvae eval: none of the images in ${dir} could be read`);
  const batch = batchTensor(pixels, dvae.config.inputSize);
  const report = evaluateReconstruction(dvae, batch);
  batch.dispose();
  dvae.dispose();
  const summary = { images: report.images, unreadable: failed, psnrMean: report.psnrMean, codesUsed: report.usage.used, vocabSize: report.usage.vocabSize, perplexity: report.usage.perplexity };
  if (o.save !== undefined) await writeFile(o.save, `${JSON.stringify({ ...summary, folder: dir }, null, 2)}\n`);
  io.out(o.json ? JSON.stringify(summary) : `${report.images} images: mean PSNR ${report.psnrMean.toFixed(2)} dB; ${report.usage.used}/${report.usage.vocabSize} codes used, perplexity ${report.usage.perplexity.toFixed(1)}`);
  return 0;
}

async function trainVerb(values: Record<string, unknown>, io: CommandIO, threads: number): Promise<number> {
  const where = "dvae train";
  const o = readFlags(where, TRAIN_FLAGS, values);
  const out = resolve(o.out);
  let config: DvaeConfig;
  try {
    config = resolveConfig(configFromOptions(where, values) ?? "small");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`ccw ${where}: ${(error as Error).message}`);
  }
  const { steps, lr } = o;
  const recipe = scaledRecipe(steps, {
    batchSize: o.batch,
    lrStart: lr,
    lrEnd: lr / 80,
    betaEnd: o["kl-weight"],
    tauSteps: o["tau-steps"] ?? Math.max(1, Math.round(steps / 2)),
    betaSteps: o["kl-steps"] ?? scaledRecipe(steps).betaSteps,
    noiseWarmupSteps: o["noise-steps"],
    straightThrough: o["straight-through"],
    diversityWeight: o.diversity,
    emaDecay: o["ema-decay"] ?? Math.max(0, Math.min(DVAE_TRAINING.emaDecay.value, 1 - 20 / steps)),
    seed: o.seed,
  });
  const evalImages = o["eval-images"] ?? (existsSync(DEFAULT_EVAL_IMAGES) ? DEFAULT_EVAL_IMAGES : undefined);
  if (evalImages !== undefined) await listImages("train --eval-images", evalImages); // a bad folder fails now, not after training

  const progress = throttledProgress(io.err, "train", steps, 5000);
  const summary = await trainDvaeRun({
    out,
    config,
    recipe,
    trainImages: o["train-images"],
    heldoutImages: o["heldout-images"],
    checkpointEvery: o["checkpoint-every"],
    logEvery: o["log-every"],
    resume: o.resume,
    threads,
    onLog: (line) => io.err(`dvae train: ${line}`),
    onStep: (m, perStep) =>
      progress(m.step, `loss ${m.loss.toFixed(4)} mse ${m.mse.toFixed(4)} kl ${m.kl.toFixed(4)} tau ${m.tau.toFixed(3)} · ${perStep.toFixed(2)} s/step · eta ${formatSeconds(perStep * (steps - m.step))}`),
  });
  if (evalImages) await evalVerb([evalImages], { weights: out, save: join(out, "eval-coco.json") }, io);
  await writeModelCard(out);
  const { ema } = summary;
  io.out(
    `dvae train: ${steps} steps in ${formatSeconds(summary.seconds)}; held-out PSNR ${ema.psnrMean.toFixed(2)} dB (EMA), ` +
      `${ema.usage.used}/${config.vocabSize} codes used, perplexity ${ema.usage.perplexity.toFixed(1)} → ${out}`,
  );
  return 0;
}

/** `ccw dvae`: what dvaeCommand runs once its arguments have parsed. */
export async function run({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  const [verb, ...args] = positionals;
  if (!verb || !VERBS.includes(verb)) {
    throw new UsageError(`ccw dvae: expected a verb, one of ${VERBS.join(", ")}; got ${verb === undefined ? "nothing" : JSON.stringify(verb)}. See \`ccw dvae --help\`.`);
  }
  const { threads } = await startModelBackend("dvae", values, io, "cores");
  if (verb === "train") {
    if (args.length) throw new UsageError(`ccw dvae train: takes no positional arguments, got ${args.join(" ")}`);
    return trainVerb(values, io, threads);
  }
  if (verb === "eval") return evalVerb(args, values, io);
  if (verb === "baseline") {
    if (args.length) throw new UsageError(`ccw dvae baseline: takes no positional arguments, got ${args.join(" ")}`);
    const o = readFlags("dvae baseline", BASELINE_FLAGS, values);
    const { "input-size": size, vocab: codes, "train-images": trainImages, "heldout-images": heldoutImages, seed } = o;
    const grid = readCapped("dvae baseline", "grid", BASELINE_FLAGS.grid, values, size);
    if (size % grid !== 0) throw new UsageError(`ccw dvae baseline: --grid ${grid} must divide the input size ${size}`);
    io.err(`dvae baseline: rendering ${trainImages} training and ${heldoutImages} held-out model-world scenes …`);
    const report = patchBaseline(await synthPixels(trainImages, size, seed, "train"), await synthPixels(heldoutImages, size, seed, "heldout"), { size, patch: size / grid, codes, iterations: 12, seed });
    if (o.save !== undefined) await writeFile(o.save, `${JSON.stringify({ ...report, method: "k-means over non-overlapping patches, 12 Lloyd iterations; no decoder", streams: [`dvae-train-${seed}`, `dvae-heldout-${seed}`] }, null, 2)}\n`);
    io.out(`k-means baseline, ${grid}×${grid} tokens over ${codes} codes: held-out PSNR ${report.psnrMean.toFixed(2)} dB over ${report.heldoutImages} scenes, ${report.codesUsed} codes used`);
    return 0;
  }
  if (verb === "sheet") {
    if (args.length) throw new UsageError(`ccw dvae sheet: takes no positional arguments, got ${args.join(" ")}`);
    const o = readFlags("dvae sheet", SHEET_FLAGS, values);
    const { count } = o;
    const dir = resolve(o.weights);
    const out = resolve(o.out ?? join(dir, "reconstructions.png"));
    const dvae = await loadModel("dvae sheet", o.weights, values);
    // The held-out stream is the training run's: its seed is in eval.json (0 when the folder has none).
    const recorded = existsSync(join(dir, "eval.json")) ? ((JSON.parse(await readFile(join(dir, "eval.json"), "utf-8")) as { recipe?: { seed?: number } }).recipe?.seed ?? 0) : 0;
    const images = await synthPixels(count, dvae.config.inputSize, recorded, "heldout");
    await writeFile(out, await reconstructionSheet(dvae, images));
    dvae.dispose();
    io.out(`wrote ${out}: ${count} held-out model-world scenes (stream dvae-heldout-${recorded}) over their reconstructions`);
    return 0;
  }
  if (verb === "card") {
    const path = await writeModelCard(resolve(readFlags("dvae card", CARD_FLAGS, values).weights));
    io.out(`wrote ${path}`);
    return 0;
  }
  return verb === "encode" ? encodeVerb(args, values, io) : decodeVerb(args, values, io);
}

