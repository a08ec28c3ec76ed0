/**
 * Text–image training pairs for the transformer and the captioners: captions with their images' dVAE
 * token grids and pixels, split into train / val / held-out by caption composition (pairs of categories
 * that never appear together in training). Pure: the types, the table schema and the split; building
 * from a crawl (rendering, the filter pipeline, the dVAE) and reading files are Node-only, in ./node.ts.
 */
import type { ColumnSpec } from "../arrow/index.js";
import type { Funnel } from "../filter/index.js";
import { Rng } from "../synth/prng.js";
import { CATEGORIES } from "../synth/vocabulary.js";

export { CLEAN_CRAWL, COCO_CRAWL, DEFAULT_DVAE_WEIGHTS, DEFAULT_PAGES } from "./crawls.js";

export const PAIR_SPLITS = ["train", "val", "heldout"] as const;
export type PairSplit = (typeof PAIR_SPLITS)[number];

/**
 * conceptual: the filter pipeline's output over a synthetic crawl (hypernymized alt-texts, all styles, decorrelated world);
 * coco: COCO-style literal captions of the COCO-like world's photos, `modern` style only.
 */
export const PAIR_SOURCES = ["conceptual", "coco"] as const;
export type PairSource = (typeof PAIR_SOURCES)[number];

export interface Pair {
  /** Row id: the candidate id (conceptual), or `<image id>#<k>` for an image's k-th caption (coco). */
  id: string;
  /** The crawl image the row shows; several coco rows share one. */
  imageId: string;
  /** conceptual: the pipeline's caption_out; coco: one COCO-style caption. */
  caption: string;
  /** conceptual: the original alt-text; coco: the caption again. */
  altText: string;
  /** The synthetic style the image is drawn in. */
  style: string;
  /** Ground-truth categories in the image, sorted, unique (synth category ids). */
  objects: string[];
  /** Categories the caption mentions (synth mentionedCategories), sorted, unique. */
  mentioned: string[];
  /** dVAE token grid, row-major, grid·grid ids. */
  tokens: Int32Array;
  /** The imageSize × imageSize × 3 RGB bytes the tokens were encoded from, row-major. */
  pixels: Uint8Array;
  split: PairSplit;
}

/** How the rows are split; every value is ours (documented in `ccw pairs --help`). */
export interface SplitOptions {
  heldoutShare: number; // share of the frequent caption compositions held out entirely
  minCount: number; // a composition is a candidate when its two categories are mentioned together this often
  valShare: number; // seeded share of the remaining images kept for validation
}

export const DEFAULT_SPLIT: SplitOptions = { heldoutShare: 0.1, minCount: 6, valShare: 0.05 };

export interface PairSetInfo {
  source: PairSource;
  seed: string;
  pages: number;
  /** Token grid side (tokens per row = grid·grid). */
  grid: number;
  /** dVAE codebook size. */
  vocab: number;
  /** Pixel side of the stored images (the dVAE's input size). */
  imageSize: number;
  /** The dVAE weights folder the tokens come from. */
  dvaeWeights: string;
  /** Category pairs, each sorted, never together in a train or val row. */
  heldoutCompositions: [string, string][];
  /** Where the held-out compositions came from: chosen from this set's captions, or given (another set's). */
  heldoutFrom: "chosen" | "given";
  split: SplitOptions;
  /** Rows per split. */
  counts: Record<PairSplit, number>;
  /** Distinct images per split (coco has five rows per image). */
  images: Record<PairSplit, number>;
  /** Every crawl candidate's final status: "kept", a filter reason, or (coco) "not_a_photo". */
  candidates: Record<string, number>;
  /** The crawl's options as resolved (world, styles, noise rates, link rot). */
  crawl: Record<string, unknown>;
  /** conceptual: the filter preset and its funnel (per stage counts); coco: null. */
  filter: { preset: string; funnel: Funnel } | null;
  /** ISO time the set was built. */
  built: string;
  seconds: number;
}

export interface PairSet {
  info: PairSetInfo;
  pairs: Pair[];
}

/** A row as stored: lists as arrays, bytes as bytes. */
export interface PairRow {
  id: string;
  image_id: string;
  caption: string;
  alt_text: string;
  style: string;
  objects: string[];
  mentioned: string[];
  tokens: number[];
  pixels: Uint8Array;
  split: string;
}

/** Schema of pairs.parquet. */
export const PAIR_COLUMNS: ColumnSpec<PairRow>[] = [
  { name: "id", type: "utf8", description: "row id: the filter candidate id, c-000123-0 for page 123, image 0 (conceptual); the image id and #k for its k-th COCO-style caption (coco)" },
  { name: "image_id", type: "utf8", description: "crawl image id (img-000123-0); coco rows of one image share it" },
  { name: "caption", type: "utf8", description: "conceptual: the pipeline's hypernymized caption (caption_out); coco: one COCO-style caption" },
  { name: "alt_text", type: "utf8", description: "conceptual: the alt-text as crawled; coco: the caption again" },
  { name: "style", type: "utf8", description: "the image's synthetic style: modern | flat | high-contrast" },
  { name: "objects", type: "list<utf8>", description: "ground-truth categories in the image, sorted, unique" },
  { name: "mentioned", type: "list<utf8>", description: "categories the caption mentions, sorted, unique" },
  { name: "tokens", type: "list<int32>", description: "dVAE token grid, row-major (grid × grid ids in [0, vocab))" },
  { name: "pixels", type: "binary", description: "the image the tokens encode: imageSize × imageSize × 3 RGB bytes, row-major: the scene's frame (the model world's square) rendered at that size" },
  { name: "split", type: "utf8", description: "train | val | heldout (held out: the row's categories contain a held-out composition)" },
];

const CATEGORY_IDS = new Set(CATEGORIES.map((c) => c.id));

/** The composition key of two categories, order-free. */
export const compositionKey = (a: string, b: string): string => (a < b ? `${a}+${b}` : `${b}+${a}`);

/** Sorted unique strings. */
export const sortedUnique = (items: Iterable<string>): string[] => [...new Set(items)].sort();

function checkShare(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be a share in [0, 1], got ${value}`);
}

/** Validates split options, naming the bad one. */
export function resolveSplitOptions(options: Partial<SplitOptions> = {}): SplitOptions {
  const resolved = { ...DEFAULT_SPLIT, ...options };
  checkShare("heldoutShare", resolved.heldoutShare);
  checkShare("valShare", resolved.valShare);
  if (!Number.isInteger(resolved.minCount) || resolved.minCount < 1) throw new RangeError(`minCount must be an integer of at least 1, got ${resolved.minCount}`);
  return resolved;
}

/** Checks given compositions: two different known categories each; returned sorted and de-duplicated. */
export function checkCompositions(compositions: readonly (readonly string[])[]): [string, string][] {
  const keys = new Set<string>();
  for (const c of compositions) {
    if (c.length !== 2) throw new RangeError(`a held-out composition is two categories, got ${JSON.stringify(c)}`);
    for (const id of c) if (!CATEGORY_IDS.has(id)) throw new RangeError(`held-out composition ${JSON.stringify(c)}: unknown category ${JSON.stringify(id)}; valid: ${[...CATEGORY_IDS].join(", ")}`);
    if (c[0] === c[1]) throw new RangeError(`held-out composition ${JSON.stringify(c)} names one category twice`);
    keys.add(compositionKey(c[0]!, c[1]!));
  }
  return [...keys].sort().map((k) => k.split("+") as [string, string]);
}

/**
 * Picks the held-out compositions: category pairs mentioned together in at least `minCount` captions,
 * of which a seeded `share` (at least one when any qualify and share > 0) is held out. Sorted.
 */
export function chooseHeldoutCompositions(
  rows: readonly { mentioned: readonly string[]; objects: readonly string[] }[],
  options: { share: number; seed: string; minCount: number },
): [string, string][] {
  checkShare("share", options.share);
  if (!Number.isInteger(options.minCount) || options.minCount < 1) throw new RangeError(`minCount must be an integer of at least 1, got ${options.minCount}`);
  const counts = new Map<string, number>();
  for (const row of rows) {
    const cats = sortedUnique(row.mentioned);
    for (let i = 0; i < cats.length; i++) for (let j = i + 1; j < cats.length; j++) {
      const key = compositionKey(cats[i]!, cats[j]!);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const eligible = [...counts].filter(([, n]) => n >= options.minCount).map(([k]) => k).sort();
  const n = options.share > 0 && eligible.length > 0 ? Math.max(1, Math.round(options.share * eligible.length)) : 0;
  return new Rng(`pairs-heldout/${options.seed}`).shuffle(eligible).slice(0, n).sort().map((k) => k.split("+") as [string, string]);
}

/** The first held-out composition whose two categories both occur in the row (mentioned or in the image), or null. */
export function heldoutCompositionOf(row: { mentioned: readonly string[]; objects: readonly string[] }, heldout: readonly (readonly [string, string])[]): [string, string] | null {
  const present = new Set([...row.mentioned, ...row.objects]);
  const hit = heldout.find(([a, b]) => present.has(a) && present.has(b));
  return hit ? [hit[0], hit[1]] : null;
}

/**
 * A row's split: heldout when its categories (mentioned and ground truth together) contain both categories of a
 * held-out composition, so such pairs never meet in training, not even half in the caption and half in the image;
 * else val for a seeded `valShare` of image ids (a function of seed and id alone, so order does not matter); else train.
 */
export function splitOf(
  row: { imageId: string; mentioned: readonly string[]; objects: readonly string[] },
  heldout: readonly (readonly [string, string])[],
  options: { valShare: number; seed: string },
): PairSplit {
  if (heldoutCompositionOf(row, heldout)) return "heldout";
  return new Rng(`pairs-val/${options.seed}/${row.imageId}`).next() < options.valShare ? "val" : "train";
}

/** Rows and distinct images per split. */
export function splitCounts(pairs: readonly Pick<Pair, "split" | "imageId">[]): { counts: Record<PairSplit, number>; images: Record<PairSplit, number> } {
  const counts: Record<PairSplit, number> = { train: 0, val: 0, heldout: 0 };
  const seen: Record<PairSplit, Set<string>> = { train: new Set(), val: new Set(), heldout: new Set() };
  for (const p of pairs) {
    counts[p.split]++;
    seen[p.split].add(p.imageId);
  }
  return { counts, images: { train: seen.train.size, val: seen.val.size, heldout: seen.heldout.size } };
}

/** Pair → stored row. */
export function pairRow(p: Pair): PairRow {
  return {
    id: p.id, image_id: p.imageId, caption: p.caption, alt_text: p.altText, style: p.style,
    objects: p.objects, mentioned: p.mentioned, tokens: Array.from(p.tokens), pixels: p.pixels, split: p.split,
  };
}

/** Stored row → Pair; throws naming the row when its split is not one of PAIR_SPLITS. */
export function pairFromRow(r: PairRow): Pair {
  if (!(PAIR_SPLITS as readonly string[]).includes(r.split)) throw new RangeError(`pair ${r.id}: split ${JSON.stringify(r.split)}; valid: ${PAIR_SPLITS.join(", ")}`);
  return {
    id: r.id, imageId: r.image_id, caption: r.caption, altText: r.alt_text, style: r.style,
    objects: r.objects, mentioned: r.mentioned, tokens: Int32Array.from(r.tokens), pixels: r.pixels, split: r.split as PairSplit,
  };
}
