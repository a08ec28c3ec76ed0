/**
 * Stage 1, image-based filtering (paper §3). Cheap header checks first, from the bytes alone
 * (magic number, declared size, completeness, file size: src/lib/images), so that only survivors
 * are decoded (bounded by image.maxPixels) and shown to the NSFW classifier. `imageFeatures()`
 * reads the header facts; the NSFW scores are filled in by the pipeline for survivors;
 * `imageDecision()` runs the pure rules declared in rules/image.ts over the stored features.
 */
import { imageFacts } from "../images/index.js";
import { decide, type Decision } from "./reasons.js";
import { IMAGE_DECL, IMAGE_HEADER_RULES, IMAGE_PIXEL_RULES, type ImageOptions } from "./rules/index.js";
import { col, type PipelineStage } from "./stage.js";

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

export { IMAGE_HEADER_RULES, IMAGE_PIXEL_RULES };
export const IMAGE_RULES = [...IMAGE_HEADER_RULES, ...IMAGE_PIXEL_RULES] as const;

/** The header-only decision: whether the image is worth decoding. */
export function imageHeaderDecision(features: ImageFeatures, options: ImageOptions, all = false): Decision {
  return decide(IMAGE_HEADER_RULES, features, options, all);
}

/** The whole image decision over stored features (header rules, then pixel rules). */
export function imageDecision(features: ImageFeatures, options: ImageOptions, all = false): Decision {
  return decide(IMAGE_RULES, features, options, all);
}

/** The image stage: header features and rules, then the NSFW model on header survivors and the pixel rules. */
export const IMAGE_STAGE: PipelineStage = {
  decl: IMAGE_DECL,
  images: "required",
  withoutImages: "caption-only input: no image bytes to check",
  // The NSFW model is loaded only where the stage runs with nsfw on.
  plan: (resolved, _input, skipped) => ({ record: { nsfw: !skipped.image && resolved.config.image.nsfw } }),
  columns: [
    { name: "image_state", type: "utf8", nullable: false, description: "ok | missing | not_an_image | bad_header | truncated | too_many_pixels | undecodable", empty: "missing" },
    col("format", "utf8", "image format by magic number"),
    col("width", "int32", "declared width, px"),
    col("height", "int32", "declared height, px"),
    col("aspect", "float64", "max(w,h)/min(w,h)"),
    col("file_bytes", "int32", "image file size, bytes"),
    col("nsfw_drawing", "float64", "nsfwjs P(Drawing) (null: model not run)"),
    col("nsfw_hentai", "float64", "nsfwjs P(Hentai)"),
    col("nsfw_neutral", "float64", "nsfwjs P(Neutral)"),
    col("nsfw_porn", "float64", "nsfwjs P(Porn)"),
    col("nsfw_sexy", "float64", "nsfwjs P(Sexy)"),
    col("nsfw_score", "float64", "P(Porn) + P(Hentai) + P(Sexy)"),
  ],
  async run(c, row, ctx) {
    const o = ctx.resolved.config.image;
    const all = ctx.allReasons;
    let f = imageFeatures(c.image, o);
    const header = imageHeaderDecision(f, o, all);
    const decisions = [header];
    if (header.keep && o.nsfw && ctx.models.nsfw && c.image) {
      try {
        const s = await ctx.models.nsfw.classify(c.image, o.maxPixels);
        f = { ...f, nsfw_drawing: s.drawing, nsfw_hentai: s.hentai, nsfw_neutral: s.neutral, nsfw_porn: s.porn, nsfw_sexy: s.sexy, nsfw_score: s.porn + s.hentai + s.sexy };
      } catch {
        f = { ...f, image_state: "undecodable" };
      }
      // Header rules already passed: only the pixel rules can reject now.
      const d = imageDecision(f, o, all);
      decisions.push({ ...d, reasons: d.reasons.filter((x) => x === "nsfw" || x === "undecodable") });
    }
    Object.assign(row, f);
    return decisions;
  },
};
