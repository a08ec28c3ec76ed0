/**
 * The near-duplicate image stage. In the shard, each surviving candidate's image is decoded (bounded
 * by image.maxPixels) and hashed (phash.ts); at the merge, a pair whose image is within
 * near-duplicate.maxDistance bits of an image with a smaller candidate id is `near_duplicate` (ids,
 * not shard order, decide which copy stays, so the result does not depend on how the input was split).
 * Pairs compared: the kept ones (every hashed one, with allReasons, as the attrition SQL compares them).
 */
import { decodeImage } from "../images/decode.js";
import { hamming, hashWords, pHash } from "./phash.js";
import type { CandidateResult } from "./pipeline.js";
import type { ResolvedConfig } from "./presets.js";
import { decide } from "./reasons.js";
import { NEAR_DUPLICATE_DECL } from "./rules/index.js";
import { col, optionsOf, rejectAtMerge, type PipelineStage } from "./stage.js";

/** The pHash of image bytes, or null when they cannot be decoded (the image stage names why). */
export async function imageHash(bytes: Uint8Array, maxPixels: number): Promise<string | null> {
  try {
    return pHash(await decodeImage(bytes, { maxPixels }));
  } catch {
    return null;
  }
}

/** Marks near-duplicates among merged rows (in place); returns how many pairs were compared and marked. */
export function applyNearDuplicateFilter(results: CandidateResult[], resolved: ResolvedConfig, allReasons = false): { hashed: number; duplicates: number } {
  const options = optionsOf(resolved.config, "near-duplicate");
  const seen = results.filter((r) => (r.status === "kept" || allReasons) && typeof r.phash === "string");
  const sorted = [...seen].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const hashes = sorted.map((r) => r.phash as string);
  const words = hashes.map(hashWords);
  let duplicates = 0;
  for (let i = 0; i < sorted.length; i++) {
    let nearest: number | null = null;
    for (let j = 0; j < i; j++) {
      const d = hamming(words[i]!, words[j]!);
      if (nearest === null || d < nearest) nearest = d;
    }
    const decision = decide(NEAR_DUPLICATE_DECL.rules, { phash: hashes[i]!, dup_distance: nearest }, options);
    if (!decision.keep) duplicates++;
    rejectAtMerge(sorted[i]!, "near-duplicate", decision);
  }
  return { hashed: sorted.length, duplicates };
}

export const NEAR_DUPLICATE_STAGE: PipelineStage = {
  decl: NEAR_DUPLICATE_DECL,
  columns: [col("phash", "utf8", "near-duplicate stage: the image's 64-bit perceptual hash (pHash), 16 hex digits (null: not decoded)")],
  images: "required",
  withoutImages: "caption-only input: no images to hash",
  async run(c, row, ctx) {
    row.phash = c.image ? await imageHash(c.image, ctx.resolved.config.image.maxPixels) : null;
    return [];
  },
  merge: applyNearDuplicateFilter,
  mergeReads: ["phash"],
};
