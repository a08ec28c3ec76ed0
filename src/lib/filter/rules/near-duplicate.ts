/**
 * The near-duplicate image stage: a 64-bit perceptual hash (pHash) of each image's decoded pixels,
 * and, over the corpus, a pair whose image lies within a Hamming distance of an image with a smaller
 * candidate id is a near-duplicate (the one with the smallest id stays). Opt-in: the coyo preset
 * lists it, as COYO-700M drops duplicates by pHash (of public datasets' images, and repeated
 * pHash-and-text pairs); the distance is ours.
 */
import { formatValue, num, ruleFor, shownOrNone, stageDecl, type StageOptions } from "./declare.js";

/** What the rule reads of one pair, once the corpus is hashed. */
export interface NearDuplicateFeatures {
  /** The image's pHash as 16 hex digits; null when the image was not decoded. */
  phash: string | null;
  /** Bits in which the nearest image with a smaller id differs; null: no such image. */
  dup_distance: number | null;
}

const rule = ruleFor<NearDuplicateFeatures>();

const RULES = [
  rule({
    reason: "near_duplicate", description: "the image is within near-duplicate.maxDistance bits (pHash) of an image with a smaller candidate id",
    reads: ["dup_distance"], shown: "phash",
    options: { maxDistance: { type: "integer", min: 0, max: 64, default: 4, doc: "most pHash bits (of 64) in which a near-duplicate image differs" } },
    rejects: (f, o) => f.dup_distance !== null && f.dup_distance <= o.maxDistance,
    sql: (o) => `coalesce(dup_distance <= ${num(o.maxDistance)}, FALSE)`,
    explain: { feature: "bits from the nearest earlier image", value: (f) => shownOrNone(f.dup_distance), threshold: (o) => `> ${formatValue(o.maxDistance)}` },
  }),
] as const;

export type NearDuplicateOptions = StageOptions<Record<never, never>, typeof RULES>;
export type NearDuplicateReason = (typeof RULES)[number]["reason"];

export const NEAR_DUPLICATE_DECL = stageDecl<NearDuplicateFeatures, NearDuplicateOptions>()({
  id: "near-duplicate", description: "corpus-level: images within a few pHash bits of an image with a smaller id are dropped", reference: null,
  optIn: true, level: "corpus", options: {}, rules: RULES,
  derived: [{
    name: "dup_distance",
    with: (t) => `hashed AS (SELECT id, ('0x' || phash)::UBIGINT AS h FROM ${t} WHERE phash IS NOT NULL)`,
    sql: "(SELECT min(bit_count(xor(a.h, b.h)))::INTEGER FROM hashed AS a, hashed AS b WHERE a.id = c.id AND b.id < a.id)",
  }],
});
