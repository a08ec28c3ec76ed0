import { bleuOfCounts, pooledBleu, type BleuStats } from "./bleu.js";
import { chairCaption, COCO_OBJECTS, summarizeChair, type ChairCaption, type ChairResult, type ObjectTable } from "./chair.js";
import { ciderDOfCounts } from "./cider.js";
import { countPairs, type TokenizedPair } from "./ngrams.js";
import { rougeL } from "./rouge.js";
import { specificity, type CaptionSpecificity, type SpecificityResult } from "./specificity.js";
import { mean } from "./stats.js";
import { ptbTokenize } from "./tokenize.js";
import type { WordNet } from "../wordnet/index.js";

/** One image to evaluate: a model's caption, the reference captions and, for CHAIR, the annotated objects. */
export interface CaptionRecord {
  imageId: number | string;
  caption: string;
  references: readonly string[];
  /** Annotated object categories (names in the object table); CHAIR is computed when any record has them. */
  objects?: readonly string[];
  /** A breakdown key, e.g. the image's style. */
  group?: string;
}

export interface EvaluateOptions {
  /** Caption -> tokens (default: the toolkit's PTB tokenisation; pass `splitTokens` for pre-tokenised text). */
  tokenize?: (text: string) => string[];
  /** CHAIR's object table (default: COCO's 80 categories). */
  objects?: ObjectTable;
  /** Count objects named in the references as present, as the original CHAIR does (default true). */
  chairReferenceObjects?: boolean;
  /** For noun depth in the specificity scores. */
  wordnet?: WordNet;
}

export interface ImageScores {
  imageId: number | string;
  caption: string;
  tokens: string[];
  group?: string;
  /** BLEU-1..4 of this image alone (the toolkit's per-image BLEU). */
  bleu: number[];
  rougeL: number;
  ciderD: number;
  chair?: ChairCaption;
  specificity: CaptionSpecificity;
}

export interface CorpusScores {
  images: number;
  bleu: number[];
  bleuStats: { testlen: number; reflen: number; guess: number[]; correct: number[] };
  rougeL: number;
  /** Mean of the per-image CIDEr-D, whose IDF comes from the whole evaluated set (also within a group). */
  ciderD: number;
  chair?: Omit<ChairResult, "perCaption">;
  specificity: Omit<SpecificityResult, "perCaption">;
}

export interface Evaluation {
  corpus: CorpusScores;
  perImage: ImageScores[];
  /** The same scores per `group` key, in first-seen order. */
  groups: Record<string, CorpusScores>;
}

/**
 * Corpus scores of a set of already scored images: BLEU pooled from their statistics, CHAIR re-pooled, means
 * re-taken, specificity over their captions (passed in when already computed for exactly these images).
 */
function aggregate(images: readonly ImageScores[], stats: readonly BleuStats[], wordnet: WordNet | undefined, computed?: SpecificityResult): CorpusScores {
  const { bleu: scores, testlen, reflen, guess, correct } = pooledBleu(stats);
  const chairs = images.flatMap((i) => (i.chair ? [i.chair] : []));
  const { perCaption: _drop, ...spec } = computed ?? specificity(images.map((i) => i.tokens), { wordnet });
  return {
    images: images.length,
    bleu: scores,
    bleuStats: { testlen, reflen, guess, correct },
    rougeL: mean(images.map((i) => i.rougeL)),
    ciderD: mean(images.map((i) => i.ciderD)),
    ...(chairs.length ? { chair: summarizeChair(chairs) } : {}),
    specificity: spec,
  };
}

/** evaluateCaptions(): the toolkit's BLEU-1..4, ROUGE-L and CIDEr-D, plus CHAIR and specificity, corpus, per image and per group. */
export function evaluateCaptions(records: readonly CaptionRecord[], options: EvaluateOptions = {}): Evaluation {
  const tokenize = options.tokenize ?? ptbTokenize;
  const table = options.objects ?? COCO_OBJECTS;
  const withChair = records.some((r) => r.objects !== undefined);
  const pairs: TokenizedPair[] = records.map((r) => ({ candidate: tokenize(r.caption), references: r.references.map(tokenize) }));
  // Every sentence's n-grams are counted once, for BLEU and CIDEr-D alike.
  const counted = countPairs(pairs, 4);
  const bleuResult = bleuOfCounts(counted);
  const rouge = rougeL(pairs);
  const cider = ciderDOfCounts(counted);
  const spec = specificity(pairs.map((p) => p.candidate), { wordnet: options.wordnet });
  const perImage = records.map((record, i): ImageScores => {
    const pair = pairs[i]!;
    const truth = { objects: record.objects ?? [], references: options.chairReferenceObjects === false ? [] : pair.references };
    return {
      imageId: record.imageId,
      caption: record.caption,
      tokens: [...pair.candidate],
      ...(record.group !== undefined ? { group: record.group } : {}),
      bleu: bleuResult.perImage[i]!,
      rougeL: rouge.perImage[i]!,
      ciderD: cider.perImage[i]!,
      ...(withChair ? { chair: chairCaption(pair.candidate, truth, table) } : {}),
      specificity: spec.perCaption[i]!,
    };
  });
  const byGroup = new Map<string, number[]>();
  records.forEach((r, i) => {
    if (r.group === undefined) return;
    const members = byGroup.get(r.group);
    if (members) members.push(i);
    else byGroup.set(r.group, [i]);
  });
  // No prototype: a group may be called "__proto__".
  const groups: Record<string, CorpusScores> = Object.create(null) as Record<string, CorpusScores>;
  for (const [group, indices] of byGroup) {
    groups[group] = aggregate(indices.map((i) => perImage[i]!), indices.map((i) => bleuResult.perImageStats[i]!), options.wordnet);
  }
  return { corpus: aggregate(perImage, bleuResult.perImageStats, options.wordnet, spec), perImage, groups };
}
