/**
 * Stage 1, image-based filtering (paper §3). Cheap header checks first, from the bytes alone
 * (magic number, declared size, completeness, file size: src/lib/images), so that only survivors
 * are decoded (bounded by image.maxPixels) and shown to the NSFW classifier. `imageFeatures()`
 * reads the header facts; the NSFW scores are filled in by the pipeline for survivors;
 * `imageDecision()` is the pure rule list over the stored features.
 */
import { imageFacts } from "../images/index.js";
import type { ImageOptions } from "./config.js";
import { decide, type Decision, type Rule } from "./reasons.js";

/** What the image's bytes said, before and after decoding. */
export type ImageState = "ok" | "missing" | "not_an_image" | "bad_header" | "truncated" | "too_many_pixels" | "undecodable";

export interface ImageFeatures {
  image_state: ImageState;
  /** Format by magic number, null when unknown. */
  format: string | null;
  width: number | null;
  height: number | null;
  /** max(w,h) / min(w,h), null without a size. */
  aspect: number | null;
  file_bytes: number | null;
  /** NSFW class probabilities (nsfwjs MobileNetV2), null when the model did not run. */
  nsfw_drawing: number | null;
  nsfw_hentai: number | null;
  nsfw_neutral: number | null;
  nsfw_porn: number | null;
  nsfw_sexy: number | null;
  /** P(porn) + P(hentai) + P(sexy), null when the model did not run. */
  nsfw_score: number | null;
}

export const NO_NSFW = { nsfw_drawing: null, nsfw_hentai: null, nsfw_neutral: null, nsfw_porn: null, nsfw_sexy: null, nsfw_score: null } as const;

/** Header features from the bytes (null bytes: the image is missing). Never decodes, never throws. */
export function imageFeatures(bytes: Uint8Array | null | undefined, options: Pick<ImageOptions, "maxPixels">): ImageFeatures {
  if (!bytes) return { image_state: "missing", format: null, width: null, height: null, aspect: null, file_bytes: null, ...NO_NSFW };
  const facts = imageFacts(bytes, { maxPixels: options.maxPixels });
  const { width, height } = facts;
  const aspect = width && height ? Math.max(width, height) / Math.min(width, height) : null;
  return { image_state: facts.status, format: facts.format, width, height, aspect, file_bytes: facts.bytes, ...NO_NSFW };
}

type ImageRule = Rule<ImageFeatures, ImageOptions>;

/** Rules that need only the header, in the order they run. */
export const IMAGE_HEADER_RULES: readonly ImageRule[] = [
  { reason: "image_missing", rejects: (f) => f.image_state === "missing" },
  { reason: "not_an_image", rejects: (f) => f.image_state === "not_an_image" },
  { reason: "bad_image_header", rejects: (f) => f.image_state === "bad_header" },
  { reason: "truncated_image", rejects: (f) => f.image_state === "truncated" },
  { reason: "too_many_pixels", rejects: (f) => f.image_state === "too_many_pixels" },
  { reason: "format_not_allowed", rejects: (f, o) => !(o.formats as string[]).includes(f.format ?? "") },
  { reason: "file_too_small", rejects: (f, o) => o.minFileBytes !== null && (f.file_bytes ?? 0) < o.minFileBytes },
  {
    reason: "image_too_small",
    rejects: (f, o) => {
      const short = Math.min(f.width ?? 0, f.height ?? 0);
      return o.minSideInclusive ? short < o.minSidePx : short <= o.minSidePx;
    },
  },
  { reason: "aspect_ratio", rejects: (f, o) => o.maxAspectRatio !== null && (f.aspect ?? Infinity) > o.maxAspectRatio },
];

/** Rules that need decoded pixels: they run only on header survivors. */
export const IMAGE_PIXEL_RULES: readonly ImageRule[] = [
  { reason: "undecodable", rejects: (f) => f.image_state === "undecodable" },
  { reason: "nsfw", rejects: (f, o) => o.nsfw && f.nsfw_score !== null && f.nsfw_score > o.maxNsfwScore },
];

export const IMAGE_RULES: readonly ImageRule[] = [...IMAGE_HEADER_RULES, ...IMAGE_PIXEL_RULES];

/** The header-only decision: whether the image is worth decoding. */
export function imageHeaderDecision(features: ImageFeatures, options: ImageOptions, all = false): Decision {
  return decide(IMAGE_HEADER_RULES, features, options, all);
}

/** The whole image decision over stored features (header rules, then pixel rules). */
export function imageDecision(features: ImageFeatures, options: ImageOptions, all = false): Decision {
  return decide(IMAGE_RULES, features, options, all);
}
