/**
 * The rating workflow's arithmetic: items to rate (one per image and model), a seeded order per rater (the model is
 * never shown), the ratings file a rater exports, and several raters' files combined into the paper's
 * "k or more GOOD" table with Fleiss' kappa.
 */
import { Rng } from "../synth/index.js";

export const RATINGS = ["good", "bad"] as const;
export type Rating = (typeof RATINGS)[number];

/** One caption to rate. `key` identifies it in ratings files; pages never show it (nor the model) to the rater. */
export interface RatingItem {
  key: string;
  imageId: string;
  model: string;
  caption: string;
}

export const RATINGS_FORMAT = "ccw-caption-ratings";

/** What a rater exports and another browser imports. */
export interface RatingsFile {
  format: typeof RATINGS_FORMAT;
  version: 1;
  rater: string;
  ratings: Record<string, Rating>;
}

export const itemKey = (imageId: string, model: string): string => `${imageId}|${model}`;

/** Every (image, model) caption, image by image. */
export function ratingItems(images: readonly { imageId: string; captions: Record<string, { caption: string }> }[], models: readonly string[]): RatingItem[] {
  return images.flatMap((im) => models.flatMap((model) => (im.captions[model] ? [{ key: itemKey(im.imageId, model), imageId: im.imageId, model, caption: im.captions[model]!.caption }] : [])));
}

/** The items in this rater's order: a shuffle seeded by the rater's name, so each rater sees their own order every visit. */
export function raterOrder<T>(items: readonly T[], rater: string): T[] {
  return new Rng(`caption-rater-${rater}`).shuffle(items);
}

/** Validates a parsed ratings file; the error names what is wrong and what is expected. Keys outside `known` are errors too. */
export function parseRatingsFile(json: unknown, known?: ReadonlySet<string>): RatingsFile {
  const expected = `{ format: "${RATINGS_FORMAT}", version: 1, rater: "<name>", ratings: { "<image>|<model>": "good" | "bad" } }`;
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new Error(`ratings file: expected an object ${expected}`);
  const { format, version, rater, ratings } = json as Record<string, unknown>;
  if (format !== RATINGS_FORMAT) throw new Error(`ratings file: format must be "${RATINGS_FORMAT}", got ${JSON.stringify(format)}`);
  if (version !== 1) throw new Error(`ratings file: version must be 1, got ${JSON.stringify(version)}`);
  if (typeof rater !== "string" || rater.trim() === "") throw new Error(`ratings file: rater must be a non-empty name, got ${JSON.stringify(rater)}`);
  if (ratings === null || typeof ratings !== "object" || Array.isArray(ratings)) throw new Error(`ratings file of ${rater}: ratings must be an object of item → "good" | "bad"`);
  const out: Record<string, Rating> = {};
  for (const [key, value] of Object.entries(ratings)) {
    if (!(RATINGS as readonly unknown[]).includes(value)) throw new Error(`ratings file of ${rater}: ${JSON.stringify(key)} is rated ${JSON.stringify(value)}; valid: ${RATINGS.join(", ")}`);
    if (known && !known.has(key)) throw new Error(`ratings file of ${rater}: ${JSON.stringify(key)} is not a caption on this page (another test set or model?)`);
    out[key] = value as Rating;
  }
  return { format: RATINGS_FORMAT, version: 1, rater, ratings: out };
}

/** The items every rater rated, with GOOD votes; items only some rated are counted, not used (kappa needs equal raters). */
export interface CombinedRatings {
  raters: string[];
  items: { key: string; good: number; bad: number }[];
  /** Items rated by some raters but not all. */
  partial: number;
}

export function combineRatings(files: readonly RatingsFile[]): CombinedRatings {
  const raters = files.map((f) => f.rater);
  const dup = raters.find((r, i) => raters.indexOf(r) !== i);
  if (dup !== undefined) throw new Error(`combineRatings: two files come from rater ${JSON.stringify(dup)}; each rater once`);
  const keys = new Set(files.flatMap((f) => Object.keys(f.ratings)));
  const items: CombinedRatings["items"] = [];
  let partial = 0;
  for (const key of keys) {
    const votes = files.map((f) => f.ratings[key]);
    if (votes.some((v) => v === undefined)) {
      partial++;
      continue;
    }
    const good = votes.filter((v) => v === "good").length;
    items.push({ key, good, bad: votes.length - good });
  }
  return { raters, items, partial };
}

/** The paper's table: per model, the share of its rated captions with at least k GOOD votes, k = 1..raters. */
export function kOrMoreGood(combined: CombinedRatings, modelOf: (key: string) => string | undefined, models: readonly string[]): { model: string; items: number; share: number[] }[] {
  const n = combined.raters.length;
  return models.map((model) => {
    const votes = combined.items.filter((it) => modelOf(it.key) === model).map((it) => it.good);
    return { model, items: votes.length, share: Array.from({ length: n }, (_, k) => (votes.length ? votes.filter((g) => g >= k + 1).length / votes.length : Number.NaN)) };
  });
}

/**
 * Fleiss' kappa for items × categories vote counts, every item rated by the same number of raters (≥ 2).
 * NaN when agreement by chance is already certain (every vote in one category).
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number {
  if (counts.length === 0) return Number.NaN;
  const n = counts[0]!.reduce((a, b) => a + b, 0);
  if (n < 2) throw new Error(`fleissKappa: each item needs at least 2 ratings, got ${n}`);
  counts.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    if (total !== n) throw new Error(`fleissKappa: item ${i} has ${total} ratings but item 0 has ${n}; every item needs the same number of raters`);
  });
  const N = counts.length;
  const k = counts[0]!.length;
  const p = Array.from({ length: k }, (_, j) => counts.reduce((s, row) => s + row[j]!, 0) / (N * n));
  const Pbar = counts.reduce((s, row) => s + (row.reduce((a, c) => a + c * c, 0) - n) / (n * (n - 1)), 0) / N;
  const Pe = p.reduce((s, x) => s + x * x, 0);
  return Pe === 1 ? Number.NaN : (Pbar - Pe) / (1 - Pe);
}

/** Fleiss' kappa of combined GOOD/BAD ratings (NaN with fewer than two raters or no common items). */
export function ratingsKappa(combined: CombinedRatings): number {
  if (combined.raters.length < 2 || combined.items.length === 0) return Number.NaN;
  return fleissKappa(combined.items.map((it) => [it.good, it.bad]));
}
