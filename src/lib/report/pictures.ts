// The front page's pictures, computed at build time from the committed models (Node only): the transformer's samples
// for held-out prompts, model-world scenes over the dVAE's reconstructions, and test images with both captioners'
// captions. Each part is missing (with the reason and the command that makes it) rather than fatal.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { batchTensor, loadDvae, pngFromPixels, scenePixels } from "../dvae/node.js";
import { loadReranker } from "../rerank/node.js";
import { describeScene, modelWorldScenes } from "../synth/index.js";
import { startWasm } from "../tfjs/node.js";
import { generate } from "../transformer/index.js";
import { loadTransformer, transformerDvaeDir } from "../transformer/node.js";
import { FRONT_PICTURES } from "./front.js";
import type { FrontPictures, Missing } from "./types.js";

type Env = Readonly<Record<string, string | undefined>>;


/** A JSON file's contents, or why it cannot be read (the part that needs it is then missing, naming the file). */
function readJson<T>(path: string): T | Missing {
  try {
    return JSON.parse(readFileSync(path, "utf-8")) as T;
  } catch (error) {
    return missing(`${path} is not readable JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

const isMissing = (x: unknown): x is Missing => typeof x === "object" && x !== null && (x as Missing).available === false;

const base64Png = async (pixels: Float32Array | Uint8Array, size: number) => `data:image/png;base64,${(await pngFromPixels(pixels, size)).toString("base64")}`;

interface ZeroShotFile {
  options?: { temperature?: number; topK?: number; topP?: number };
  prompts: { caption: string; group: string; mentioned: string[] }[];
}

/** The reranked best of `samplesPerPrompt` samples for the zero-shot report's first held-out prompts. */
async function samples(root: string, env: Env): Promise<FrontPictures["samples"]> {
  const dir = resolve(root, env.CCW_TRANSFORMER_WEIGHTS ?? "models/transformer-small");
  const reportPath = join(dir, "zero-shot.json");
  if (!existsSync(join(dir, "weights.safetensors"))) return missing(`${join(dir, "weights.safetensors")} not found (\`npm run train:transformer\`)`);
  if (!existsSync(reportPath)) return missing(`${reportPath} not found: its held-out prompts are the grid's (\`node bin/ccw.js transformer eval\`)`);
  const report = readJson<ZeroShotFile>(reportPath);
  if (isMissing(report)) return report;
  const prompts = report.prompts.filter((p) => p.group === "unseen").slice(0, FRONT_PICTURES.prompts);
  if (prompts.length === 0) return missing(`${reportPath} holds no held-out ("unseen") prompts`);
  const { model, bpe } = await loadTransformer(dir);
  const dvae = await loadDvae(transformerDvaeDir(dir));
  const rerankPath = resolve(root, env.CCW_RERANKER_WEIGHTS ?? "models/reranker-small", "reranker.safetensors");
  const reranker = existsSync(rerankPath) ? await loadReranker(rerankPath) : undefined;
  try {
    const g = { transformer: model, bpe, dvae, reranker: reranker && { model: reranker.model, bpe: reranker.bpe } };
    const options = { temperature: report.options?.temperature ?? 1, topK: report.options?.topK ?? 64, topP: report.options?.topP ?? 1, seed: FRONT_PICTURES.seed };
    const cells: Extract<FrontPictures["samples"], { available: true }>["cells"] = [];
    for (const p of prompts) {
      const result = await generate(g, p.caption, FRONT_PICTURES.samplesPerPrompt, { ...options, rerank: reranker !== undefined });
      const best = result.images[0]!;
      cells.push({ prompt: p.caption, mentioned: p.mentioned, png: await base64Png(best.pixels, result.size), score: best.score });
    }
    return { available: true, size: dvae.config.inputSize, samplesPerPrompt: FRONT_PICTURES.samplesPerPrompt, reranked: reranker !== undefined, options, cells };
  } finally {
    model.dispose();
    dvae.dispose();
    reranker?.model.dispose();
  }
}

/** The dVAE page's first held-out model-world scenes over their reconstructions (encode → hard codes → decode). */
async function reconstructions(root: string, env: Env): Promise<FrontPictures["reconstructions"]> {
  const dir = resolve(root, env.CCW_DVAE_WEIGHTS ?? "models/dvae-small");
  if (!existsSync(join(dir, "model.json"))) return missing(`${join(dir, "model.json")} not found (\`npm run train:dvae\`)`);
  const dvae = await loadDvae(dir);
  try {
    const size = dvae.config.inputSize;
    const scenes = modelWorldScenes("page", FRONT_PICTURES.scenes);
    const originals = await scenePixels(scenes, size);
    const x = batchTensor(originals, size);
    const y = dvae.reconstruct(x);
    const decoded = (await y.data()) as Float32Array;
    tf.dispose([x, y]);
    const n = size * size * 3;
    const pairs = await Promise.all(scenes.map(async (scene, i) => ({ description: describeScene(scene), original: await base64Png(originals[i]!, size), reconstruction: await base64Png(decoded.subarray(i * n, (i + 1) * n), size) })));
    const grid = size / 2 ** (dvae.config.groupCount - 1);
    return { available: true, size, grid, vocabSize: dvae.config.vocabSize, pairs };
  } finally {
    dvae.dispose();
  }
}

interface CaptionersEvalFile {
  styles: string[];
  images: { imageId: string; style: string; objects: string[]; captions: Record<string, { caption: string; mentioned: string[]; hallucinated: string[]; verdict: string }> }[];
  png: Record<string, string>;
}

/** One test image per style (in the evaluation's style order) whose two captions differ, else the style's first. */
function captioned(root: string, env: Env): FrontPictures["captioned"] {
  const rel = env.CCW_CAPTIONERS_EVAL ?? "models/captioners-eval.json";
  const path = resolve(root, rel);
  if (!existsSync(path)) return missing(`${rel} not found (\`npm run train:captioners\`, then \`npm run eval:captioners\`)`);
  const evaluation = readJson<CaptionersEvalFile>(path);
  if (isMissing(evaluation)) return evaluation;
  const both = evaluation.images.filter((im) => im.captions.coco && im.captions.conceptual && evaluation.png[im.imageId]);
  const picked: typeof both = [];
  for (const style of evaluation.styles) {
    if (picked.length === FRONT_PICTURES.captioned) break;
    const ofStyle = both.filter((im) => im.style === style);
    const im = ofStyle.find((x) => x.captions.coco!.caption !== x.captions.conceptual!.caption) ?? ofStyle[0];
    if (im) picked.push(im);
  }
  for (const im of both) if (picked.length < FRONT_PICTURES.captioned && !picked.includes(im)) picked.push(im);
  if (picked.length === 0) return missing(`${rel} holds no test image captioned by both captioners`);
  const caption = (c: CaptionersEvalFile["images"][number]["captions"][string]) => ({ caption: c.caption, mentioned: c.mentioned, hallucinated: c.hallucinated, verdict: c.verdict });
  return {
    available: true,
    images: picked.map((im) => ({ imageId: im.imageId, style: im.style, objects: im.objects, png: `data:image/png;base64,${evaluation.png[im.imageId]}`, coco: caption(im.captions.coco!), conceptual: caption(im.captions.conceptual!) })),
  };
}

const missing = (why: string): Missing => ({ available: false, missing: why });

/** Every picture of the front page; runs the models on the WASM backend (the one running, else on the machine's cores). */
export async function frontPictures(root: string, env: Env = process.env): Promise<FrontPictures> {
  await startWasm();
  return { samples: await samples(root, env), reconstructions: await reconstructions(root, env), captioned: captioned(root, env) };
}
