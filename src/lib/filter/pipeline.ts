/**
 * The pipeline: candidates through the stages, each ending with exactly one status ("kept" or
 * the first rejecting reason), and the funnel that accounts for them. The funnel checks count
 * conservation itself (per stage: in = kept + rejected; a stage's input is the previous stage's
 * kept; input = kept + all rejections) and throws when it does not hold.
 *
 * Shard contract (what a batch engine runs, one input file per shard):
 *   input:  one WARC / TSV file (or one synthetic-crawl slice) + a ResolvedConfig
 *   output: `<shard>.parquet` (one CandidateResult row per candidate, RESULT_COLUMNS) and
 *           `<shard>.funnel.json` (ShardFunnel: counts of the stages image..transform), written last:
 *           the completion marker, recording the input by content (size + SHA-256 of the file, or the
 *           synthetic spec) and the configuration key; a shard is reused only when both match
 *           (never by file name alone), otherwise it is re-run
 *   merge:  concatenate the rows in shard order, count entity types over all of them, apply the
 *           entity-type filter (the only corpus-level stage), sum the funnels (mergeFunnels).
 * A shard's output depends only on its input and the configuration, never on worker count or on
 * other shards, so shards can run anywhere, in any order, and be re-run alone.
 */
import type { ColumnSpec } from "../arrow/index.js";
import type { WordNet } from "../wordnet/index.js";
import { firstLabels, type Labeler, type SuppliedLabels } from "../labeler/index.js";
import { countEntityTypes, entityTypesPass, entityTypeThreshold } from "./entity-types.js";
import { groundingDecision, groundingFeatures, type GroundingFeatures } from "./grounding.js";
import { imageDecision, imageFeatures, imageHeaderDecision, NO_NSFW, type ImageFeatures } from "./image.js";
import type { Lexicon } from "./lexicon.js";
import type { ResolvedConfig } from "./presets.js";
import { REASON_INFO, REASONS, STAGES, type Decision, type Reason, type StageId, type Status } from "./reasons.js";
import { textDecision, textFeatures, type TextFeatures } from "./text.js";
import { transformCaption, transformDecision, type TransformFeatures } from "./transform.js";

/** One image/alt-text pair entering the pipeline. */
export interface Candidate {
  id: string;
  /** The alt-text or caption; null when the img element had no alt attribute. */
  alt: string | null;
  url: string | null;
  /** Encoded image bytes; null: the image is missing; undefined: the input carries no images (caption-only). */
  image?: Uint8Array | null;
  /** Labels that came with the candidate (input column or a labels TSV). */
  labels?: SuppliedLabels | null;
  /** Ground truth of the synthetic crawl (scoring only: no rule reads it). */
  noiseClass?: string | null;
}

/** Model hooks the pipeline calls for header survivors (null: that model is not used). */
export interface PipelineModels {
  nsfw: { classify(bytes: Uint8Array, maxPixels: number): Promise<{ drawing: number; hentai: number; neutral: number; porn: number; sexy: number }> } | null;
  /** Labelers tried in order ("auto"), or the one chosen. */
  labelers: readonly Labeler[];
}

export interface PipelineContext {
  resolved: ResolvedConfig;
  /** Stages that do not run, with why (caption-only input, no labeler, not in --stages). */
  skipped: Partial<Record<StageId, string>>;
  /** Needed when the text stage runs (null: it does not). */
  lexicon: Lexicon | null;
  wordnet: WordNet | null;
  models: PipelineModels;
  /** Record every rejecting rule, not only the first (rejected candidates still get every stage's features). */
  allReasons: boolean;
  /** Memo for vocabulary lookups (pure: results never depend on it). */
  cache?: Map<string, number>;
}

/** One output row: a candidate's features, decisions and transformed caption. */
export interface CandidateResult extends ImageFeatures {
  id: string;
  url: string | null;
  alt_text: string | null;
  noise_class: string | null;
  status: Status;
  /** Stage of the rejecting rule, null when kept. */
  rejected_stage: StageId | null;
  /** Every rule that would reject (only with allReasons; else just the first). */
  all_reasons: string[];
  // text
  text_clean: string | null;
  cropped: string | null;
  words: number | null;
  chars: number | null;
  boilerplate: string | null;
  hashtags: number | null;
  language: string | null;
  english_share: number | null;
  determiners: number | null;
  nouns: number | null;
  prepositions: number | null;
  noun_ratio: number | null;
  repetition: number | null;
  first_capitalized: boolean | null;
  capitalized_ratio: number | null;
  rarest_word: string | null;
  rarest_word_count: number | null;
  polarity: number | null;
  profanity_rating: number | null;
  // grounding
  labeler: string | null;
  labels: string[] | null;
  matched_labels: string[] | null;
  // transform
  caption_out: string | null;
  entity_types: string[] | null;
  unresolved: number | null;
  transform_changed: boolean | null;
}

const EMPTY_IMAGE: ImageFeatures = { image_state: "missing", format: null, width: null, height: null, aspect: null, file_bytes: null, ...NO_NSFW };

function emptyResult(c: Candidate): CandidateResult {
  return {
    id: c.id, url: c.url, alt_text: c.alt, noise_class: c.noiseClass ?? null, status: "kept", rejected_stage: null, all_reasons: [],
    ...EMPTY_IMAGE, image_state: c.image === undefined ? "missing" : EMPTY_IMAGE.image_state,
    text_clean: null, cropped: null, words: null, chars: null, boilerplate: null, hashtags: null, language: null, english_share: null,
    determiners: null, nouns: null, prepositions: null, noun_ratio: null, repetition: null, first_capitalized: null, capitalized_ratio: null,
    rarest_word: null, rarest_word_count: null, polarity: null, profanity_rating: null,
    labeler: null, labels: null, matched_labels: null, caption_out: null, entity_types: null, unresolved: null, transform_changed: null,
  };
}

function copyText(r: CandidateResult, f: TextFeatures): void {
  Object.assign(r, {
    text_clean: f.text_clean, cropped: f.cropped, words: f.words, chars: f.chars, boilerplate: f.boilerplate, hashtags: f.hashtags,
    language: f.language, english_share: f.english_share, determiners: f.determiners, nouns: f.nouns, prepositions: f.prepositions,
    noun_ratio: f.noun_ratio, repetition: f.repetition, first_capitalized: f.first_capitalized, capitalized_ratio: f.capitalized_ratio,
    rarest_word: f.rarest_word, rarest_word_count: f.rarest_word_count, polarity: f.polarity, profanity_rating: f.profanity_rating,
  });
}

function copyGrounding(r: CandidateResult, f: GroundingFeatures): void {
  Object.assign(r, { labeler: f.labeler, labels: f.labels, matched_labels: f.matched });
}

function copyTransform(r: CandidateResult, f: TransformFeatures): void {
  Object.assign(r, { caption_out: f.caption_out, entity_types: f.entity_types, unresolved: f.unresolved, transform_changed: f.changed });
}

/** Runs one candidate through the shard stages (image .. transform). Never throws on bad input. */
export async function filterCandidate(c: Candidate, ctx: PipelineContext): Promise<CandidateResult> {
  const r = emptyResult(c);
  const { config, stages } = ctx.resolved;
  const runs = (s: StageId) => stages.includes(s) && ctx.skipped[s] === undefined;
  const all = ctx.allReasons;
  const record = (stage: StageId, d: Decision): boolean => {
    if (d.keep) return true;
    if (r.status === "kept") {
      r.status = d.reason!;
      r.rejected_stage = stage;
    }
    r.all_reasons.push(...(all ? d.reasons : [d.reason!]));
    return false;
  };
  const alive = () => r.status === "kept" || all;

  if (runs("image")) {
    let f = imageFeatures(c.image, config.image);
    let ok = record("image", imageHeaderDecision(f, config.image, all));
    if (ok && config.image.nsfw && ctx.models.nsfw && c.image) {
      try {
        const s = await ctx.models.nsfw.classify(c.image, config.image.maxPixels);
        f = { ...f, nsfw_drawing: s.drawing, nsfw_hentai: s.hentai, nsfw_neutral: s.neutral, nsfw_porn: s.porn, nsfw_sexy: s.sexy, nsfw_score: s.porn + s.hentai + s.sexy };
      } catch {
        f = { ...f, image_state: "undecodable" };
      }
      // Header rules already passed: only the pixel rules can reject now.
      const d = imageDecision(f, config.image, all);
      ok = record("image", { ...d, reasons: d.reasons.filter((x) => x === "nsfw" || x === "undecodable") });
    }
    Object.assign(r, f);
  }
  let text: TextFeatures | null = null;
  if (runs("text") && alive()) {
    if (!ctx.lexicon) throw new Error("filterCandidate: the text stage runs but the context has no lexicon");
    text = textFeatures(c.alt, ctx.lexicon, ctx.cache);
    copyText(r, text);
    record("text", textDecision(text, config.text, all));
  }
  if (runs("grounding") && alive()) {
    const caption = text?.text_clean ?? c.alt ?? "";
    const chosen = await firstLabels(ctx.models.labelers, { id: c.id, url: c.url, image: c.image, labels: c.labels });
    const g = groundingFeatures(caption, chosen?.labeler ?? null, chosen?.labels ?? null, config.grounding);
    copyGrounding(r, g);
    record("grounding", groundingDecision(g, config.grounding, all));
  }
  if (runs("transform") && alive()) {
    const t = transformCaption(text?.text_clean ?? c.alt ?? "", config.transform.mode, ctx.wordnet);
    copyTransform(r, t);
    record("transform", transformDecision(t, config.transform, all));
  }
  return r;
}

/** Counts of one stage. */
export interface StageCount {
  stage: StageId;
  /** Why the stage did not run, or null. */
  skipped: string | null;
  in: number;
  kept: number;
  rejected: number;
  /** Rejections by reason (every reason of the stage listed, zeros included). */
  byReason: Partial<Record<Reason, number>>;
}

export interface Funnel {
  input: number;
  kept: number;
  stages: StageCount[];
  /** Rejections by first reason over all stages. */
  byReason: Partial<Record<Reason, number>>;
  /** With allReasons: how many candidates each rule would reject on its own merits (not conserved). */
  wouldReject?: Partial<Record<Reason, number>>;
}

export class ConservationError extends Error {
  constructor(message: string) {
    super(`funnel counts are not conserved: ${message}`);
    this.name = "ConservationError";
  }
}

/** Throws ConservationError unless every stage and the whole funnel add up. */
export function checkConservation(funnel: Funnel): Funnel {
  let entering = funnel.input;
  let rejected = 0;
  for (const s of funnel.stages) {
    if (s.in !== entering) throw new ConservationError(`stage ${s.stage} has ${s.in} in, but ${entering} left the stage before it`);
    const byReason = Object.values(s.byReason).reduce((a, b) => a + (b ?? 0), 0);
    if (s.in !== s.kept + s.rejected || s.rejected !== byReason) {
      throw new ConservationError(`stage ${s.stage}: ${s.in} in ≠ ${s.kept} kept + ${s.rejected} rejected (reasons sum to ${byReason})`);
    }
    if (s.skipped !== null && s.rejected !== 0) throw new ConservationError(`stage ${s.stage} was skipped but rejected ${s.rejected}`);
    rejected += s.rejected;
    entering = s.kept;
  }
  if (entering !== funnel.kept || funnel.input !== funnel.kept + rejected) {
    throw new ConservationError(`${funnel.input} in ≠ ${funnel.kept} kept + ${rejected} rejected`);
  }
  return funnel;
}

/** The funnel of results over the given stages (a shard's, or the merged one), checked. */
export function funnelOf(results: readonly Pick<CandidateResult, "status" | "all_reasons">[], stages: readonly StageId[], skipped: Partial<Record<StageId, string>>, allReasons = false): Funnel {
  const byReason: Partial<Record<Reason, number>> = {};
  for (const r of results) if (r.status !== "kept") byReason[r.status] = (byReason[r.status] ?? 0) + 1;
  let entering = results.length;
  const counts: StageCount[] = [];
  for (const stage of STAGES.filter((s) => stages.includes(s))) {
    const reasons = REASONS.filter((x) => REASON_INFO[x].stage === stage);
    const stageBy: Partial<Record<Reason, number>> = {};
    for (const x of reasons) stageBy[x] = byReason[x] ?? 0;
    const rejected = reasons.reduce((a, x) => a + (byReason[x] ?? 0), 0);
    counts.push({ stage, skipped: skipped[stage] ?? null, in: entering, kept: entering - rejected, rejected, byReason: stageBy });
    entering -= rejected;
  }
  const funnel: Funnel = { input: results.length, kept: results.filter((r) => r.status === "kept").length, stages: counts, byReason };
  if (allReasons) {
    const would: Partial<Record<Reason, number>> = {};
    for (const r of results) for (const x of new Set(r.all_reasons)) would[x as Reason] = (would[x as Reason] ?? 0) + 1;
    funnel.wouldReject = would;
  }
  return checkConservation(funnel);
}

/** Sums shard funnels stage by stage (same stages in every shard), checked. */
export function mergeFunnels(funnels: readonly Funnel[]): Funnel {
  if (funnels.length === 0) throw new RangeError("mergeFunnels: no funnels");
  const first = funnels[0]!;
  const sum = (a: Partial<Record<Reason, number>>, b: Partial<Record<Reason, number>>) => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k as Reason] = (out[k as Reason] ?? 0) + (v ?? 0);
    return out;
  };
  const merged: Funnel = {
    input: funnels.reduce((a, f) => a + f.input, 0),
    kept: funnels.reduce((a, f) => a + f.kept, 0),
    byReason: funnels.reduce((a, f) => sum(a, f.byReason), {} as Partial<Record<Reason, number>>),
    stages: first.stages.map((s, i) => ({
      stage: s.stage,
      skipped: s.skipped,
      in: funnels.reduce((a, f) => a + f.stages[i]!.in, 0),
      kept: funnels.reduce((a, f) => a + f.stages[i]!.kept, 0),
      rejected: funnels.reduce((a, f) => a + f.stages[i]!.rejected, 0),
      byReason: funnels.reduce((a, f) => sum(a, f.stages[i]!.byReason), {} as Partial<Record<Reason, number>>),
    })),
  };
  if (funnels.some((f) => f.wouldReject)) merged.wouldReject = funnels.reduce((a, f) => sum(a, f.wouldReject ?? {}), {} as Partial<Record<Reason, number>>);
  return checkConservation(merged);
}

/**
 * The corpus-level entity-type stage over merged results (in place): kept pairs with a type at or
 * below the size-scaled threshold become `rare_entity_type`. Returns the threshold and the counts.
 * `corpus`: counts and size of the whole corpus when `results` is one batch of it (the streamed merge).
 */
export function applyEntityTypeFilter(
  results: CandidateResult[], resolved: ResolvedConfig, allReasons = false, corpus?: { counts: Map<string, number>; size: number },
): { threshold: number; counts: Map<string, number> } {
  const options = resolved.config["entity-type"];
  const counts = corpus?.counts ?? countEntityTypes(results.filter((r) => r.status === "kept" || allReasons).map((r) => r.entity_types ?? []));
  const threshold = entityTypeThreshold(options, corpus?.size ?? results.length);
  for (const r of results) {
    if (r.status !== "kept" && !allReasons) continue;
    if (entityTypesPass(r.entity_types ?? [], counts, threshold)) continue;
    if (r.status === "kept") {
      r.status = "rare_entity_type";
      r.rejected_stage = "entity-type";
    }
    r.all_reasons.push("rare_entity_type");
  }
  return { threshold, counts };
}

/** One row of the funnel table: a stage (reason null) or one of its rules. */
export interface FunnelRow {
  stage: StageId;
  /** null for the stage's own row. */
  reason: Reason | null;
  /** Candidates entering the stage. */
  in: number;
  /** Stage row: kept by the stage; rule row: null. */
  kept: number | null;
  /** Rejected by the stage (stage row) or first rejected by this rule (rule row). */
  rejected: number;
  /** With --all-reasons: candidates this rule would reject on its own (rule rows), else null. */
  would_reject: number | null;
  skipped: string | null;
}

/** The funnel as table rows: per stage, then per rule of the stage. */
export function funnelRows(funnel: Funnel): FunnelRow[] {
  return funnel.stages.flatMap((s) => [
    { stage: s.stage, reason: null, in: s.in, kept: s.kept, rejected: s.rejected, would_reject: null, skipped: s.skipped },
    ...(Object.keys(s.byReason) as Reason[]).map((reason) => ({
      stage: s.stage, reason, in: s.in, kept: null, rejected: s.byReason[reason] ?? 0, would_reject: funnel.wouldReject ? (funnel.wouldReject[reason] ?? 0) : null, skipped: s.skipped,
    })),
  ]);
}

export const FUNNEL_COLUMNS: ColumnSpec<FunnelRow>[] = [
  { name: "stage", type: "utf8", description: "image | text | grounding | transform | entity-type" },
  { name: "reason", type: "utf8", nullable: true, description: "null: the stage's row; else one rule of the stage" },
  { name: "in", type: "int32", description: "candidates entering the stage" },
  { name: "kept", type: "int32", nullable: true, description: "kept by the stage (stage rows)" },
  { name: "rejected", type: "int32", description: "rejected by the stage, or first rejected by the rule" },
  { name: "would_reject", type: "int32", nullable: true, description: "with --all-reasons: candidates the rule would reject on its own" },
  { name: "skipped", type: "utf8", nullable: true, description: "why the stage did not run, or null" },
];

const col = <K extends keyof CandidateResult>(name: K, type: ColumnSpec<CandidateResult>["type"], description: string, nullable = true): ColumnSpec<CandidateResult> => ({ name, type, nullable, description });

/** Schema of candidates.arrow / candidates.parquet / shard Parquet files. */
export const RESULT_COLUMNS: ColumnSpec<CandidateResult>[] = [
  col("id", "utf8", "candidate id: <shard>:<line> (TSV), <shard>:r<record>:<img> (WARC), c-<page>-<pos> (synthetic)", false),
  col("url", "utf8", "image URL"),
  col("alt_text", "utf8", "the alt-text / caption as read (null: no alt attribute)"),
  col("noise_class", "utf8", "synthetic crawl only: ground-truth noise class of the alt-text"),
  col("status", "utf8", "kept, or the first rule that rejected the candidate (see REASONS)", false),
  col("rejected_stage", "utf8", "stage of that rule: image | text | grounding | transform | entity-type"),
  col("all_reasons", "list<utf8>", "every rule that would reject (with --all-reasons; else the first)", false),
  col("image_state", "utf8", "ok | missing | not_an_image | bad_header | truncated | too_many_pixels | undecodable", false),
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
  col("text_clean", "utf8", "alt-text normalised and boilerplate-cropped"),
  col("cropped", "utf8", "what the boilerplate crop removed"),
  col("words", "int32", "words in the text"),
  col("chars", "int32", "characters in the text"),
  col("boilerplate", "utf8", "boilerplate pattern the text begins or ends with"),
  col("hashtags", "int32", "hashtags"),
  col("language", "utf8", "franc language guess (ISO 639-3; und = too short)"),
  col("english_share", "float64", "share of words in the English vocabulary"),
  col("determiners", "int32", "determiners (compromise POS)"),
  col("nouns", "int32", "nouns (compromise POS)"),
  col("prepositions", "int32", "prepositions (compromise POS)"),
  col("noun_ratio", "float64", "nouns / words"),
  col("repetition", "float64", "repeated content tokens / words"),
  col("first_capitalized", "bool", "first word starts with a capital"),
  col("capitalized_ratio", "float64", "capitalized words / words"),
  col("rarest_word", "utf8", "the text's rarest word"),
  col("rarest_word_count", "float64", "its estimated English Wikipedia count (1e12: no word)"),
  col("polarity", "float64", "AFINN-165 valence sum / (5 × words)"),
  col("profanity_rating", "int32", "highest profanity-list rating found (-1 none)"),
  col("labeler", "utf8", "labeler that produced the labels: input | tsv | synth-cnn"),
  col("labels", "list<utf8>", "image labels"),
  col("matched_labels", "list<utf8>", "labels matching a caption token after stemming"),
  col("caption_out", "utf8", "transformed (hypernymized) caption"),
  col("entity_types", "list<utf8>", "entity types substituted for named entities"),
  col("unresolved", "int32", "proper nouns left unresolved"),
  col("transform_changed", "bool", "whether the transformation changed the caption"),
];
