/**
 * The mix of images a crawled page carries: photos (400-1600 px, some panoramas),
 * thumbnails, icons and banners, in JPEG, PNG, GIF and WebP, so that the Conceptual
 * Captions image filters (JPEG only, both sides > 400 px, aspect <= 2) have real work.
 */
import type { Rng } from "./prng.js";

export const IMAGE_FORMATS = ["jpeg", "png", "gif", "webp"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const IMAGE_KINDS = ["photo", "thumbnail", "icon", "banner"] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

export const CONTENT_TYPES: Record<ImageFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
};

export const EXTENSIONS: Record<ImageFormat, readonly string[]> = {
  jpeg: ["jpg", "jpg", "jpeg", "JPG"],
  png: ["png"],
  gif: ["gif"],
  webp: ["webp"],
};

/** Per kind: how formats are mixed and how many objects fit. */
const FORMAT_MIX: Record<ImageKind, Partial<Record<ImageFormat, number>>> = {
  photo: { jpeg: 0.8, webp: 0.1, png: 0.07, gif: 0.03 },
  thumbnail: { jpeg: 0.6, png: 0.2, webp: 0.2 },
  icon: { png: 0.6, gif: 0.25, webp: 0.1, jpeg: 0.05 },
  banner: { gif: 0.4, png: 0.3, jpeg: 0.3 },
};

export const MAX_INSTANCES: Record<ImageKind, number> = { photo: 6, thumbnail: 4, icon: 1, banner: 4 };

const PHOTO_LONG_SIDES = [480, 500, 600, 640, 720, 800, 960, 1024, 1200, 1280, 1600];
/** Long side / short side; 2.35 and 3 are panoramas the aspect rule rejects. */
const PHOTO_ASPECTS: Record<string, number> = { "1": 0.15, "1.25": 0.1, "1.333": 0.3, "1.5": 0.25, "1.778": 0.12, "2": 0.03, "2.35": 0.03, "3": 0.02 };
const BANNERS: readonly [number, number][] = [[728, 90], [468, 60], [970, 250], [300, 250], [160, 600], [320, 50], [1200, 300]];
const ICON_SIDES = [16, 24, 32, 48, 64, 96, 128];

export interface ImageShape {
  kind: ImageKind;
  format: ImageFormat;
  width: number;
  height: number;
  /** Encoder quality for JPEG and WebP (ignored by PNG and GIF). */
  quality: number;
}

/** Draws an image's size and format for its kind. */
export function sampleImageShape(rng: Rng, kind: ImageKind): ImageShape {
  const format = rng.weighted(FORMAT_MIX[kind]);
  let width: number, height: number;
  if (kind === "photo") {
    const long = rng.pick(PHOTO_LONG_SIDES);
    const short = Math.round(long / Number(rng.weighted(PHOTO_ASPECTS)));
    [width, height] = rng.chance(0.8) ? [long, short] : [short, long];
  } else if (kind === "thumbnail") {
    const long = rng.int(10, 30) * 10;
    const short = Math.round(long / rng.pick([1, 1, 1.333, 1.5]));
    [width, height] = rng.chance(0.7) ? [long, short] : [short, long];
  } else if (kind === "icon") {
    width = height = rng.pick(ICON_SIDES);
  } else {
    [width, height] = rng.pick(BANNERS);
  }
  return { kind, format, width, height, quality: rng.int(70, 92) };
}
