/**
 * Stage 1, image-based filtering (paper §3). Cheap header checks first, from the bytes alone
 * (magic number, declared size, completeness, file size: src/lib/images), so that only survivors
 * are decoded (bounded by image.maxPixels) and shown to the NSFW classifier. `imageFeatures()`
 * reads the header facts; the NSFW scores are filled in by the pipeline for survivors;
 * `imageDecision()` runs the pure rules declared below over the stored features: header checks from
 * the bytes first, then, for survivors only, the rules that need decoded pixels.
 */
import { DEFAULT_MAX_PIXELS } from "../images/facts.js";
import { imageFacts } from "../images/index.js";
import { CC3M_RULES, PAPERS, ref } from "../reference/index.js";
import { decide, type Decision } from "./reasons.js";
import {
  IMAGE_FORMAT_NAMES, atMost, formatValue, limit, num, ruleFor, shownOrNone, stageDecl, str, when,
  type AllowedFormat, type StageOptions,
} from "./rules/declare.js";
import { col, type StageOf } from "./stage.js";

const rule = ruleFor<ImageFeatures>();
const NONE = {} as const;

/** A rule that rejects one state of the bytes (no option: nothing usable to judge). */
const stateRule = <const R extends string>(reason: R, state: ImageState, description: string) =>
  rule({
    reason, description, options: NONE, reads: ["image_state"],
    rejects: (f) => f.image_state === state,
    sql: () => `(image_state = ${str(state)})`,
    explain: { feature: "image state", value: (f) => f.image_state, threshold: () => `not ${state}` },
  });

/** Rules that need only the header, in the order they run. */
export const IMAGE_HEADER_RULES = [
  stateRule("image_missing", "missing", "no image bytes for the candidate (404, not in the crawl, unreadable)"),
  stateRule("not_an_image", "not_an_image", "bytes are not a JPEG, PNG, GIF, WebP or BMP by magic number"),
  stateRule("bad_image_header", "bad_header", "image header cut off or declaring a zero size"),
  stateRule("truncated_image", "truncated", "image ends before its structure does (cut-off download)"),
  stateRule("too_many_pixels", "too_many_pixels", "declared width × height above image.maxPixels (never decoded)"),
  rule({
    reason: "format_not_allowed", description: "format (by magic number) not in image.formats", reads: ["format"],
    options: {
      formats: {
        type: "formats", doc: `formats accepted by magic number, comma-separated from ${IMAGE_FORMAT_NAMES.join(", ")}`,
        default: ref<AllowedFormat[]>(["jpeg"], "formats", PAPERS.conceptualCaptions, "§3, image-based filtering (JPEG only)"),
      },
    },
    rejects: (f, o) => !(o.formats as string[]).includes(f.format ?? ""),
    sql: (o) => `coalesce(format, '') NOT IN (${o.formats.length ? o.formats.map(str).join(", ") : "''"})`,
    explain: { feature: "format", value: (f) => shownOrNone(f.format), threshold: (o) => `one of ${o.formats.join(", ")}` },
  }),
  rule({
    reason: "file_too_small", description: "file smaller than image.minFileBytes", reads: ["file_bytes"],
    options: { minFileBytes: { type: "integer?", min: 0, default: null, doc: "smallest file kept, bytes; null = no limit" } },
    rejects: (f, o) => o.minFileBytes !== null && (f.file_bytes ?? 0) < o.minFileBytes,
    sql: (o) => limit(o.minFileBytes, (n) => `coalesce(file_bytes, 0) < ${n}`),
    explain: { feature: "file bytes", value: (f) => shownOrNone(f.file_bytes), threshold: (o) => (o.minFileBytes === null ? "off" : `≥ ${o.minFileBytes}`) },
  }),
  rule({
    reason: "image_too_small", description: "shorter side below image.minSidePx", reads: ["width", "height"], shown: "least(width, height)",
    options: {
      minSidePx: { type: "integer", min: 0, default: CC3M_RULES.minSidePx, doc: "both sides must exceed this (or reach it, with minSideInclusive)" },
      minSideInclusive: { type: "boolean", default: false, doc: "whether a side equal to minSidePx passes" },
    },
    rejects: (f, o) => {
      const short = Math.min(f.width ?? 0, f.height ?? 0);
      return o.minSideInclusive ? short < o.minSidePx : short <= o.minSidePx;
    },
    sql: (o) => `least(coalesce(width, 0), coalesce(height, 0)) ${o.minSideInclusive ? "<" : "<="} ${num(o.minSidePx)}`,
    explain: {
      feature: "shorter side, px", value: (f) => formatValue(Math.min(f.width ?? 0, f.height ?? 0)),
      threshold: (o) => `${o.minSideInclusive ? "≥" : ">"} ${o.minSidePx}`,
    },
  }),
  rule({
    reason: "aspect_ratio", description: "max(w,h)/min(w,h) above image.maxAspectRatio", reads: ["aspect"],
    options: { maxAspectRatio: { type: "number?", min: 1, default: CC3M_RULES.maxAspectRatio, doc: "largest max(w,h)/min(w,h) kept; null = no limit" } },
    rejects: (f, o) => o.maxAspectRatio !== null && (f.aspect ?? Infinity) > o.maxAspectRatio,
    sql: (o) => limit(o.maxAspectRatio, (n) => `coalesce(aspect, 'Infinity'::DOUBLE) > ${n}`),
    explain: { feature: "aspect ratio", value: (f) => shownOrNone(f.aspect), threshold: (o) => atMost(o.maxAspectRatio) },
  }),
] as const;

/** Rules that need decoded pixels: they run only on header survivors. */
export const IMAGE_PIXEL_RULES = [
  stateRule("undecodable", "undecodable", "the header looked fine but decoding failed"),
  rule({
    reason: "nsfw", description: "NSFW score (porn + hentai + sexy) above image.maxNsfwScore", reads: ["nsfw_score"],
    options: {
      nsfw: { type: "boolean", default: true, doc: "run the NSFW classifier (nsfwjs MobileNetV2) on header survivors" },
      maxNsfwScore: { type: "number", min: 0, max: 1, default: 0.5, doc: "largest P(porn) + P(hentai) + P(sexy) kept" },
    },
    rejects: (f, o) => o.nsfw && f.nsfw_score !== null && f.nsfw_score > o.maxNsfwScore,
    // An image the stored run rejected before the model ran has no score: it counts as safe.
    sql: (o) => when(o.nsfw, `nsfw_score IS NOT NULL AND nsfw_score > ${num(o.maxNsfwScore)}`),
    explain: { feature: "NSFW score", value: (f) => shownOrNone(f.nsfw_score), threshold: (o) => (o.nsfw ? atMost(o.maxNsfwScore) : "off") },
  }),
] as const;

const RULES = [...IMAGE_HEADER_RULES, ...IMAGE_PIXEL_RULES] as const;
const OPTIONS = {
  maxPixels: { type: "integer", min: 1, default: DEFAULT_MAX_PIXELS, doc: "largest declared width × height decoded (bomb guard)" },
} as const;

export type ImageOptions = StageOptions<typeof OPTIONS, typeof RULES>;
export type ImageReason = (typeof RULES)[number]["reason"];

export const IMAGE_DECL = stageDecl<ImageFeatures, ImageOptions>()({
  id: "image", description: "format, size and aspect from the header; NSFW score of the decoded survivors", reference: "image",
  optIn: false, level: "candidate", options: OPTIONS, rules: RULES, derived: [],
});

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
export const IMAGE_STAGE: StageOf<typeof IMAGE_DECL> = {
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
