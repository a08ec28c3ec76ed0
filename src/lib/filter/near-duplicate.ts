/**
 * The near-duplicate image stage, opt-in: the coyo preset lists it, as COYO-700M drops duplicates by pHash (of
 * public datasets' images, and repeated pHash-and-text pairs); the distance is ours. In the shard, each surviving
 * candidate's image is decoded (bounded by image.maxPixels) and hashed (phash.ts: a 64-bit perceptual hash); at the
 * merge, a pair whose image is within near-duplicate.maxDistance bits of an image with a smaller candidate id is
 * `near_duplicate` (ids, not shard order, decide which copy stays, so the result does not depend on how the input
 * was split). Pairs compared: the kept ones (every hashed one, with allReasons, as the attrition SQL compares them),
 * only those sharing a block of bits (nearestEarlier), so the merge scales to a crawl's millions of images.
 * This module is the whole stage (its declaration, column, run and merge) and one line in stages.ts.
 */
import { decodeImage } from "../images/decode.js";
import { hamming, hashWords, pHash, popcount32 } from "./phash.js";
import type { CandidateResult } from "./pipeline.js";
import type { ResolvedConfig } from "./presets.js";
import { decide } from "./reasons.js";
import { formatValue, num, ruleFor, shownOrNone, stageDecl, type StageOptions } from "./rules/declare.js";
import { col, optionsOf, rejectAtMerge, type StageOf } from "./stage.js";

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
  const nearest = nearestEarlier(hashes.map(hashWords), options.maxDistance);
  let duplicates = 0;
  for (let i = 0; i < sorted.length; i++) {
    const decision = decide(NEAR_DUPLICATE_DECL.rules, { phash: hashes[i]!, dup_distance: nearest[i]! }, options);
    if (!decision.keep) duplicates++;
    rejectAtMerge(sorted[i]!, "near-duplicate", decision);
  }
  return { hashed: sorted.length, duplicates };
}

/** Above this many blocks (maxDistance + 1) a block is too few bits to narrow anything: every earlier hash is compared. */
const MAX_BLOCKS = 16;

/**
 * For each hash, the fewest bits in which it differs from an earlier one in the list, exact whenever that is at most
 * `within`; otherwise that of the earlier hashes compared, or null (the rule's decision is the same either way). Multi-index
 * hashing: the 64 bits are cut into within + 1 blocks, and two hashes at most `within` bits apart agree on a whole block
 * (pigeonhole), so only earlier hashes sharing a block with it are compared: near-linear on a crawl's hashes instead of
 * every pair.
 */
export function nearestEarlier(words: readonly (readonly [number, number])[], within: number): (number | null)[] {
  const blocks = within + 1;
  if (blocks > MAX_BLOCKS) {
    return words.map((w, i) => {
      let best: number | null = null;
      for (let j = 0; j < i; j++) {
        const d = hamming(w, words[j]!);
        if (best === null || d < best) best = d;
      }
      return best;
    });
  }
  const bounds = Array.from({ length: blocks + 1 }, (_, k) => Math.floor((64 * k) / blocks));
  const tables = Array.from({ length: blocks }, () => new Map<number, number[]>());
  const hi = Uint32Array.from(words, (w) => w[0]);
  const lo = Uint32Array.from(words, (w) => w[1]);
  const stamp = new Int32Array(words.length).fill(-1);
  const keys = new Array<number>(blocks);
  return words.map((w, i) => {
    for (let k = 0; k < blocks; k++) keys[k] = blockOf(w, bounds[k]!, bounds[k + 1]!);
    const [h, l] = [hi[i]!, lo[i]!];
    let best = 65;
    for (let k = 0; k < blocks && best !== 0; k++) {
      const list = tables[k]!.get(keys[k]!);
      if (list === undefined) continue;
      for (let x = 0; x < list.length; x++) {
        const j = list[x]!;
        if (stamp[j] === i) continue;
        stamp[j] = i;
        const d = popcount32((h ^ hi[j]!) >>> 0) + popcount32((l ^ lo[j]!) >>> 0);
        if (d < best && (best = d) === 0) break;
      }
    }
    for (let k = 0; k < blocks; k++) {
      const list = tables[k]!.get(keys[k]!);
      if (list) list.push(i);
      else tables[k]!.set(keys[k]!, [i]);
    }
    return best === 65 ? null : best;
  });
}

/** Bits [from, to) of a 64-bit hash (bit 0 the most significant), as a number (exact up to 53 bits; equal blocks always give equal numbers). */
function blockOf([hi, lo]: readonly [number, number], from: number, to: number): number {
  let value = 0;
  for (let b = from; b < to; b++) value = value * 2 + (b < 32 ? (hi >>> (31 - b)) & 1 : (lo >>> (63 - b)) & 1);
  return value;
}

export const NEAR_DUPLICATE_STAGE: StageOf<typeof NEAR_DUPLICATE_DECL> = {
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
