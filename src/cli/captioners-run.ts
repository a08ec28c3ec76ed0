// What `ccw captioners` runs (flags and help: captioners.ts): the COCO-trained and the Conceptual-trained captioner (the transformer, image → text),
// trained with one shared tokenizer and the same budget, then evaluated side by side on the conceptual test images.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { bpeToJson } from "../lib/bpe/index.js";
import { captionGrids, evaluateCaptioners, sharedBpe, testImages } from "../lib/captioning/node.js";
import { loadWordNet } from "../lib/metrics/node.js";
import { readPairs } from "../lib/pairs/node.js";
import { useBackend } from "../lib/tfjs/index.js";
import { loadTransformer } from "../lib/transformer/node.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { EVAL_FLAGS, MODELS, TRAIN_FLAGS } from "./captioners.js";
import { readCapped, readFlags } from "./flags.js";
import { throttledProgress } from "./progress.js";

const CCW = fileURLToPath(new URL("../../bin/ccw.js", import.meta.url));

/** Runs `ccw transformer train …` in a child process, its lines prefixed; resolves with its exit code. */
function runChild(name: string, args: string[], io: CommandIO): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CCW, "transformer", "train", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const relay = (print: (line: string) => void) => {
      let rest = "";
      return (chunk: Buffer) => {
        const lines = (rest + chunk.toString("utf-8")).split(/\r|\n/);
        rest = lines.pop() ?? "";
        for (const line of lines) if (line.trim()) print(`[${name}] ${line}`);
      };
    };
    child.stdout.on("data", relay(io.out));
    child.stderr.on("data", relay(io.err));
    child.on("error", fail);
    child.on("close", (code) => done(code ?? 1));
  });
}

function pairsDirs(o: { coco: string; conceptual: string }): Record<(typeof MODELS)[number], string> {
  const dirs = { coco: resolve(o.coco), conceptual: resolve(o.conceptual) };
  for (const m of MODELS) if (!existsSync(join(dirs[m], "pairs.json"))) throw new UsageError(`ccw captioners: no pairs set in ${dirs[m]} (--${m}); build it with \`npm run data:pairs\``);
  return dirs;
}

async function trainVerb(values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const c = "captioners train";
  const o = readFlags(c, TRAIN_FLAGS, values);
  const steps = o.steps;
  const warmup = readCapped(c, "warmup", TRAIN_FLAGS.warmup, values, steps);
  const shared = [
    "--direction", "image-to-text",
    "--steps", String(steps),
    "--batch", String(o.batch),
    "--lr", String(o.lr),
    "--warmup", String(warmup),
    "--layers", String(o.layers),
    "--d-model", String(o["d-model"]),
    "--heads", String(o.heads),
    "--seed", String(o.seed),
    "--log-every", String(Math.max(1, Math.min(50, steps))),
  ];
  const vocab = o["bpe-vocab"];
  const dirs = pairsDirs(o);
  const out = resolve(o.out);
  await mkdir(out, { recursive: true });
  const sets = [await readPairs(dirs.coco), await readPairs(dirs.conceptual)];
  const bpePath = join(out, "captioners-bpe.json");
  await writeFile(bpePath, `${JSON.stringify(bpeToJson(sharedBpe(sets, vocab)))}\n`);
  io.err(`ccw captioners: shared BPE of ${vocab} tokens over ${sets.map((s) => s.pairs.filter((p) => p.split === "train").length).join(" + ")} training captions → ${bpePath}`);
  const jobs = MODELS.map((m) => () => runChild(m, [...shared, "--pairs", dirs[m], "--bpe", bpePath, "--out", join(out, `captioner-${m}`)], io));
  const codes = o.sequential ? [await jobs[0]!(), await jobs[1]!()] : await Promise.all(jobs.map((j) => j()));
  const failed = MODELS.filter((_, i) => codes[i] !== 0);
  if (failed.length) {
    io.err(`ccw captioners: training failed for ${failed.join(" and ")} (exit ${failed.map((m) => codes[MODELS.indexOf(m)]).join(", ")})`);
    return 1;
  }
  io.out(`ccw captioners: both captioners trained → ${MODELS.map((m) => join(out, `captioner-${m}`)).join(", ")}`);
  return 0;
}

const round = (x: unknown): unknown =>
  typeof x === "number" ? (Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : null) : Array.isArray(x) ? x.map(round) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)])) : x;

async function evalVerb(values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const o = readFlags("captioners eval", EVAL_FLAGS, values);
  const out = resolve(o.out);
  const conceptual = resolve(o.conceptual);
  if (!existsSync(join(conceptual, "pairs.json"))) throw new UsageError(`ccw captioners: no pairs set in ${conceptual} (--conceptual); build it with \`npm run data:pairs\``);
  const dirs = MODELS.map((m) => join(out, `captioner-${m}`));
  for (const d of dirs) if (!existsSync(join(d, "weights.safetensors"))) throw new UsageError(`ccw captioners: no weights.safetensors in ${d}; train the captioners with \`npm run train:captioners\` (or pass --out <dir>)`);
  const { limit, batch } = o;
  await useBackend("wasm");
  const { images, set } = await testImages(conceptual, { limit });
  io.err(`ccw captioners: ${images.length} test images (${set.info.source} set ${conceptual}, splits val + heldout)`);
  const models = [];
  const info = [];
  for (const [k, m] of MODELS.entries()) {
    const { model, bpe, metadata } = await loadTransformer(dirs[k]!);
    if (model.config.direction !== "image-to-text") throw new UsageError(`ccw captioners: ${dirs[k]} holds a ${model.config.direction} model, not a captioner`);
    const progress = throttledProgress(io.err, `caption ${m}`, images.length, 5000);
    const started = performance.now();
    const captions = await captionGrids(model, bpe, images.map((im) => im.tokens), { batch, onProgress: (done) => progress(done) });
    const seconds = (performance.now() - started) / 1000;
    model.dispose();
    models.push({ name: m, captions: new Map(images.map((im, i) => [im.imageId, captions[i]!])) });
    const summary = (metadata.summary ?? {}) as Record<string, unknown>;
    info.push({ name: m, dir: dirs[k], pairs: metadata.pairs, train: metadata.train, summary: { steps: summary.steps, seconds: summary.seconds, trainPairs: summary.trainPairs, val: summary.val, config: summary.config }, captionSeconds: seconds });
  }
  const wordnet = await loadWordNet();
  const evaluation = evaluateCaptioners(images, models, { wordnet });
  const pngs = await Promise.all(images.map(async (im) => (await sharp(im.pixels, { raw: { width: set.info.imageSize, height: set.info.imageSize, channels: 3 } }).png().toBuffer()).toString("base64")));
  const file = {
    generated: new Date().toISOString(),
    testSet: { pairs: conceptual, seed: set.info.seed, pages: set.info.pages, splits: ["val", "heldout"], images: images.length, imageSize: set.info.imageSize },
    judge: "GOOD when the caption names every object category in the image and no absent one (automatic, from the ground truth)",
    captioners: info,
    ...(round(evaluation) as object),
    png: Object.fromEntries(images.map((im, i) => [im.imageId, pngs[i]])),
  };
  const path = join(out, "captioners-eval.json");
  await writeFile(path, `${JSON.stringify(file)}\n`);
  const pct = (x: number | null) => (x === null || Number.isNaN(x) ? "—" : `${(100 * x).toFixed(1)}%`);
  for (const m of MODELS) {
    for (const [group, a] of Object.entries(evaluation.aggregates[m]!)) {
      io.out(
        `${m.padEnd(10)} ${group.padEnd(13)} n=${String(a.images).padStart(4)}  BLEU-4 ${a.bleu[3]!.toFixed(3)}  ROUGE-L ${a.rougeL.toFixed(3)}  CIDEr-D ${a.ciderD.toFixed(3)}  ` +
          `CHAIR-i ${pct(a.chairI)}  CHAIR-s ${pct(a.chairS)}  recall ${pct(a.recall)}  GOOD ${pct(a.good)}  depth ${a.meanNounDepth?.toFixed(2) ?? "—"}`,
      );
    }
  }
  io.out(`→ ${path}`);
  return 0;
}

/** `ccw captioners`: what captionersCommand runs once its arguments have parsed. */
export async function run({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  const [verb, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`ccw captioners: unexpected arguments ${rest.join(" ")}`);
  if (verb === "train") return trainVerb(values, io);
  if (verb === "eval") return evalVerb(values, io);
  throw new UsageError(`ccw captioners: expected a verb, train or eval; got ${verb === undefined ? "none" : JSON.stringify(verb)}. See \`ccw captioners --help\`.`);
}
