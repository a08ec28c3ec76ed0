import { bleuOfCounts, pooledBleu, type BleuStats } from "./bleu.js";
import { chairCaption, COCO_OBJECTS, summarizeChair, type ChairCaption, type ChairResult, type ObjectTable } from "./chair.js";
import { ciderDOfCounts } from "./cider.js";
import { CorpusEncoder, countCorpus, decodeSentence, type CountedCorpus } from "./ngrams.js";
import { rougeLOfCorpus } from "./rouge.js";
import { captionSpecificities, specificityOfCounts, type CaptionSpecificity, type SpecificityResult } from "./specificity.js";
import { mean } from "./stats.js";
import { ptbTokenIds } from "./tokenize.js";
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
  /** Also score specificity (vocabulary, distinct-1..4, noun depth), corpus and per image (default: when `wordnet` is given). */
  specificity?: boolean;
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
  /** When specificity was asked for. */
  specificity?: CaptionSpecificity;
}

export interface CorpusScores {
  images: number;
  bleu: number[];
  bleuStats: { testlen: number; reflen: number; guess: number[]; correct: number[] };
  rougeL: number;
  /** Mean of the per-image CIDEr-D, whose IDF comes from the whole evaluated set (also within a group). */
  ciderD: number;
  chair?: Omit<ChairResult, "perCaption">;
  /** When specificity was asked for. */
  specificity?: Omit<SpecificityResult, "perCaption">;
}

export interface Evaluation {
  corpus: CorpusScores;
  perImage: ImageScores[];
  /** The same scores per `group` key, in first-seen order. */
  groups: Record<string, CorpusScores>;
}

/**
 * Corpus scores of a set of already scored images: BLEU pooled from their statistics, CHAIR re-pooled, means
 * re-taken, and, when `captions` gives their sentences in the counted corpus, specificity over those.
 */
function aggregate(images: readonly ImageScores[], stats: readonly BleuStats[], captions?: { counted: CountedCorpus; sentences: ArrayLike<number> }): CorpusScores {
  const { bleu: scores, testlen, reflen, guess, correct } = pooledBleu(stats);
  const chairs = images.flatMap((i) => (i.chair ? [i.chair] : []));
  return {
    images: images.length,
    bleu: scores,
    bleuStats: { testlen, reflen, guess, correct },
    rougeL: mean(images.map((i) => i.rougeL)),
    ciderD: mean(images.map((i) => i.ciderD)),
    ...(chairs.length ? { chair: summarizeChair(chairs) } : {}),
    ...(captions ? { specificity: specificityOfCounts(captions.counted, captions.sentences, images.map((i) => i.specificity!)) } : {}),
  };
}

/**
 * evaluateCaptions(): the toolkit's BLEU-1..4, ROUGE-L and CIDEr-D, plus CHAIR (when records carry objects) and
 * specificity (when asked), corpus, per image and per group.
 */
export function evaluateCaptions(records: readonly CaptionRecord[], options: EvaluateOptions = {}): Evaluation {
  const table = options.objects ?? COCO_OBJECTS;
  const withChair = records.some((r) => r.objects !== undefined);
  const withSpecificity = options.specificity ?? options.wordnet !== undefined;
  // Every sentence's tokens as ids of one vocabulary; PTB tokenisation writes ids without a string per token.
  const encoder = new CorpusEncoder({ pairs: records.length, sentences: records.reduce((n, r) => n + 1 + r.references.length, 0) });
  const ids: number[] = [];
  const tokenize = options.tokenize;
  const encode = (text: string): void => {
    if (tokenize) return encoder.sentence(tokenize(text));
    ids.length = 0;
    ptbTokenIds(text, encoder.vocabulary, ids);
    encoder.sentenceOfIds(ids);
  };
  for (const r of records) {
    encoder.pair();
    encode(r.caption);
    for (const reference of r.references) encode(reference);
  }
  const encoded = encoder.finish();
  const candidates = records.map((_, i) => decodeSentence(encoded, encoded.first[i]!));
  // Every sentence's n-grams are counted once, for BLEU, CIDEr-D and distinct-n alike.
  const counted = countCorpus(encoded, 4);
  const bleuResult = bleuOfCounts(counted);
  const rouge = rougeLOfCorpus(encoded);
  const cider = ciderDOfCounts(counted);
  const spec = withSpecificity ? captionSpecificities(candidates, options.wordnet) : undefined;
  // CHAIR's truth for record i: its objects and, as the original CHAIR, the objects its references name.
  const chairTruth = (record: CaptionRecord, i: number) => {
    if (options.chairReferenceObjects === false) return { objects: record.objects ?? [], references: [] };
    const references: string[][] = [];
    for (let s = encoded.first[i]! + 1; s < encoded.first[i + 1]!; s++) references.push(decodeSentence(encoded, s));
    return { objects: record.objects ?? [], references };
  };
  const perImage = records.map((record, i): ImageScores => {
    const candidate = candidates[i]!;
    return {
      imageId: record.imageId,
      caption: record.caption,
      tokens: candidate,
      ...(record.group !== undefined ? { group: record.group } : {}),
      bleu: bleuResult.perImage[i]!,
      rougeL: rouge.perImage[i]!,
      ciderD: cider.perImage[i]!,
      ...(withChair ? { chair: chairCaption(candidate, chairTruth(record, i), table) } : {}),
      ...(spec ? { specificity: spec[i]! } : {}),
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
    const captions = spec ? { counted, sentences: indices.map((i) => counted.first[i]!) } : undefined;
    groups[group] = aggregate(indices.map((i) => perImage[i]!), indices.map((i) => bleuResult.perImageStats[i]!), captions);
  }
  const captions = spec ? { counted, sentences: counted.first.subarray(0, counted.pairs) } : undefined;
  return { corpus: aggregate(perImage, bleuResult.perImageStats, captions), perImage, groups };
}
