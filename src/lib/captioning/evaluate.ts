import { evaluateCaptions, type CorpusScores, type EvaluateOptions, type ImageScores } from "../metrics/index.js";
import { JUDGE_VERDICTS, judgeCaption, type JudgeVerdict } from "./judge.js";
import { SYNTH_OBJECTS } from "./objects.js";

/** One test image: what the captioners see (its id), and what they are judged against. */
export interface TestImage {
  imageId: string;
  /** The id a COCO results file uses for it (synth cocoImageId). */
  cocoId: number;
  style: string;
  /** The pairs split it comes from (val or heldout). */
  split: string;
  /** Ground-truth object categories (synth ids), for CHAIR, recall and the judge. */
  objects: string[];
  /** The scene's literal description (the image's alt text on the page). */
  description: string;
  /** COCO-style reference captions (five per image), for BLEU, ROUGE-L and CIDEr-D. */
  references: string[];
}

/** One caption's scores. NaN (no nouns, nothing annotated) is written as null in JSON. */
export interface CaptionScores {
  caption: string;
  bleu: number[];
  rougeL: number;
  ciderD: number;
  /** Categories the caption names, in order of mention. */
  mentioned: string[];
  /** Object words that name an absent category, as written in the tokenised caption. */
  hallucinated: string[];
  recall: number;
  good: boolean;
  verdict: JudgeVerdict;
  nounDepth: number | null;
  tokens: number;
}

export interface ModelAggregate {
  images: number;
  bleu: number[];
  rougeL: number;
  ciderD: number;
  chairI: number;
  chairS: number;
  recall: number;
  /** Share of captions the ground-truth judge calls GOOD. */
  good: number;
  verdicts: Record<JudgeVerdict, number>;
  meanNounDepth: number | null;
  vocabulary: number;
  distinct: number[];
  meanLength: number;
}

export interface ModelEvaluation {
  captions: Map<string, CaptionScores>;
  /** "all" and one entry per style, in first-seen order. */
  aggregates: Record<string, ModelAggregate>;
  /** Test images the model gave no caption for (not scored, listed). */
  missing: string[];
}

export interface CaptionersEvaluation {
  models: string[];
  styles: string[];
  images: (TestImage & { captions: Record<string, CaptionScores> })[];
  aggregates: Record<string, Record<string, ModelAggregate>>;
  missing: Record<string, string[]>;
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function aggregateOf(corpus: CorpusScores, scores: readonly CaptionScores[]): ModelAggregate {
  const verdicts = Object.fromEntries(JUDGE_VERDICTS.map((v) => [v, 0])) as Record<JudgeVerdict, number>;
  for (const s of scores) verdicts[s.verdict]++;
  return {
    images: corpus.images,
    bleu: corpus.bleu,
    rougeL: corpus.rougeL,
    ciderD: corpus.ciderD,
    chairI: corpus.chair?.chairI ?? 0,
    chairS: corpus.chair?.chairS ?? 0,
    recall: corpus.chair?.recall ?? Number.NaN,
    good: scores.length ? verdicts.good / scores.length : Number.NaN,
    verdicts,
    meanNounDepth: orNull(corpus.specificity!.meanNounDepth),
    vocabulary: corpus.specificity!.vocabularySize,
    distinct: corpus.specificity!.distinct,
    meanLength: corpus.specificity!.meanLength,
  };
}

function scoresOf(image: ImageScores): CaptionScores {
  const chair = image.chair!;
  return {
    caption: image.caption,
    bleu: image.bleu,
    rougeL: image.rougeL,
    ciderD: image.ciderD,
    mentioned: [...new Set(chair.mentions.map((m) => m.category))],
    hallucinated: chair.hallucinated.map((m) => m.word),
    recall: chair.recall,
    ...judgeCaption(chair),
    nounDepth: orNull(image.specificity!.meanNounDepth),
    tokens: image.tokens.length,
  };
}

/**
 * evaluateModel(): one model's captions of the test images against COCO-style references (BLEU, ROUGE-L, CIDEr-D;
 * CIDEr's IDF from the images it captioned), CHAIR and recall against the ground-truth objects alone (the synthetic
 * world's object table), the judge, and specificity; overall and per style.
 */
export function evaluateModel(images: readonly TestImage[], captions: ReadonlyMap<string, string>, options: Pick<EvaluateOptions, "wordnet" | "tokenize"> = {}): ModelEvaluation {
  const covered = images.filter((im) => captions.has(im.imageId));
  const missing = images.filter((im) => !captions.has(im.imageId)).map((im) => im.imageId);
  const records = covered.map((im) => ({ imageId: im.imageId, caption: captions.get(im.imageId)!, references: im.references, objects: im.objects, group: im.style }));
  if (records.length === 0) return { captions: new Map(), aggregates: {}, missing };
  const ev = evaluateCaptions(records, { ...options, objects: SYNTH_OBJECTS, chairReferenceObjects: false, specificity: true });
  const scores = ev.perImage.map(scoresOf);
  const byId = new Map(covered.map((im, i) => [im.imageId, scores[i]!]));
  const aggregates: Record<string, ModelAggregate> = { all: aggregateOf(ev.corpus, scores) };
  for (const [style, corpus] of Object.entries(ev.groups)) {
    aggregates[style] = aggregateOf(corpus, covered.flatMap((im, i) => (im.style === style ? [scores[i]!] : [])));
  }
  return { captions: byId, aggregates, missing };
}

/** evaluateCaptioners(): several models over the same test images, side by side per image. */
export function evaluateCaptioners(
  images: readonly TestImage[],
  models: readonly { name: string; captions: ReadonlyMap<string, string> }[],
  options: Pick<EvaluateOptions, "wordnet" | "tokenize"> = {},
): CaptionersEvaluation {
  const names = models.map((m) => m.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`evaluateCaptioners: two models are named ${JSON.stringify(dup)}; give each a distinct name`);
  const ids = new Set<string>();
  for (const im of images) {
    if (ids.has(im.imageId)) throw new Error(`evaluateCaptioners: test image ${JSON.stringify(im.imageId)} is listed twice`);
    ids.add(im.imageId);
  }
  const results = models.map((m) => {
    const unknown = [...m.captions.keys()].filter((id) => !ids.has(id));
    if (unknown.length) throw new Error(`evaluateCaptioners: model ${JSON.stringify(m.name)} captions ${unknown.length} image(s) outside the test set, e.g. ${JSON.stringify(unknown[0])}`);
    return evaluateModel(images, m.captions, options);
  });
  return {
    models: names,
    styles: [...new Set(images.map((im) => im.style))],
    images: images.map((im) => ({
      // The TestImage fields only (callers may pass richer rows, e.g. with pixels).
      imageId: im.imageId, cocoId: im.cocoId, style: im.style, split: im.split, objects: im.objects, description: im.description, references: im.references,
      captions: Object.fromEntries(models.flatMap((m, k) => {
        const s = results[k]!.captions.get(im.imageId);
        return s ? [[m.name, s]] : [];
      })),
    })),
    aggregates: Object.fromEntries(models.map((m, k) => [m.name, results[k]!.aggregates])),
    missing: Object.fromEntries(models.map((m, k) => [m.name, results[k]!.missing])),
  };
}
