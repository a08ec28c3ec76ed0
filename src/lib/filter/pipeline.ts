/**
 * The pipeline: candidates through the stages (stages.ts, in order: filterCandidate runs their
 * per-candidate parts, applyCorpusStages their corpus-level ones), each candidate ending with exactly
 * one status ("kept" or the first rejecting reason), and the funnel that accounts for them. The funnel checks count
 * conservation itself (per stage: in = kept + rejected; a stage's input is the previous stage's
 * kept; input = kept + all rejections) and throws when it does not hold.
 *
 * Shard contract (what a batch engine runs, one input file per shard):
 *   input:  one WARC / TSV file (or one synthetic-crawl slice) + a ResolvedConfig
 *   output: `<shard>.parquet` (one CandidateResult row per candidate, resultColumns(stages)) and
 *           `<shard>.funnel.json` (ShardFunnel: counts of the stages image..transform), written last:
 *           the completion marker, recording the input by content (size + SHA-256 of the file, or the
 *           synthetic spec) and the configuration key; a shard is reused only when both match
 *           (never by file name alone), otherwise it is re-run
 *   merge:  concatenate the rows in shard order, apply the corpus-level stages over all of them
 *           (entity-type frequency; the opt-in near-duplicate images), sum the funnels (mergeFunnels).
 * A shard's output depends only on its input and the configuration, never on worker count or on
 * other shards, so shards can run anywhere, in any order, and be re-run alone.
 */
import type { ColumnSpec } from "../arrow/index.js";
import type { WordNet } from "../wordnet/index.js";
import type { Labeler, SuppliedLabels } from "../labeler/index.js";
import type { ImageFeatures } from "./image.js";
import type { Lexicon } from "./lexicon.js";
import type { ResolvedConfig } from "./presets.js";
import type { Decision, Reason, StageId, Status } from "./reasons.js";
import { listedReasons } from "./rules/index.js";
import { PIPELINE_STAGES, pipelineStages } from "./stages.js";
import type { PipelineStage, Skipped, StageColumn } from "./stage.js";

export { applyEntityTypeFilter } from "./entity-types.js";
export { applyNearDuplicateFilter } from "./near-duplicate.js";

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
  skipped: Skipped;
  /** Needed when the text stage runs (null: it does not). */
  lexicon: Lexicon | null;
  wordnet: WordNet | null;
  models: PipelineModels;
  /** Record every rejecting rule, not only the first (rejected candidates still get every stage's features). */
  allReasons: boolean;
  /** Memo for vocabulary lookups (pure: results never depend on it). */
  cache?: Map<string, number>;
}

/**
 * One output row: a candidate's features, decisions and transformed caption. The columns of the
 * CC pipeline's stages are typed here (the rules, scoring and the explorer read them); any other
 * stage's columns (its module's `columns`, e.g. near-duplicate's phash) live on the row untyped,
 * read back by the stage that wrote them.
 */
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
  // another stage's columns (absent from rows of runs without the stage)
  [stageColumn: string]: unknown;
}

/** The row before any stage runs: the candidate's own fields, every column of the run's stages at its empty value. */
function emptyResult(c: Candidate, stages: readonly StageId[], list: readonly PipelineStage[]): CandidateResult {
  const row: Record<string, unknown> = { id: c.id, url: c.url, alt_text: c.alt, noise_class: c.noiseClass ?? null, status: "kept", rejected_stage: null, all_reasons: [] };
  for (const stage of pipelineStages(stages, list)) for (const column of stage.columns) row[column.name] = column.empty;
  return row as unknown as CandidateResult;
}

/**
 * Runs one candidate through the shard (candidate-level) parts of the stages, in order. Never throws on bad input.
 * `list`: the stages (default: the pipeline's; a test passes its own to add a stage).
 */
export async function filterCandidate(c: Candidate, ctx: PipelineContext, list: readonly PipelineStage[] = PIPELINE_STAGES): Promise<CandidateResult> {
  return (await filterCandidates([c], ctx, list))[0]!;
}

/** Candidates a stage meets at once in filterCandidates (a stage with runBatch does its bulk work per batch). */
export const FILTER_BATCH = 32;

/**
 * Runs candidates through the shard parts of the stages, FILTER_BATCH at a time: stage by stage over the batch's
 * candidates that reach it (every one with allReasons). Each result is what filterCandidate gives the candidate alone.
 */
export async function filterCandidates(cs: readonly Candidate[], ctx: PipelineContext, list: readonly PipelineStage[] = PIPELINE_STAGES): Promise<CandidateResult[]> {
  const out: CandidateResult[] = [];
  for (let from = 0; from < cs.length; from += FILTER_BATCH) out.push(...(await filterBatch(cs.slice(from, from + FILTER_BATCH), ctx, list)));
  return out;
}

async function filterBatch(cs: readonly Candidate[], ctx: PipelineContext, list: readonly PipelineStage[]): Promise<CandidateResult[]> {
  const { stages } = ctx.resolved;
  const rows = cs.map((c) => emptyResult(c, stages, list));
  const all = ctx.allReasons;
  const record = (r: CandidateResult, stage: StageId, d: Decision): void => {
    if (d.keep) return;
    if (r.status === "kept") {
      r.status = d.reason!;
      r.rejected_stage = stage;
    }
    r.all_reasons.push(...(all ? d.reasons : [d.reason!]));
  };
  for (const stage of pipelineStages(stages, list)) {
    const id = stage.decl.id;
    if ((!stage.run && !stage.runBatch) || !stages.includes(id) || ctx.skipped[id] !== undefined) continue;
    const reaching = rows.flatMap((r, i) => (r.status === "kept" || all ? [i] : []));
    if (reaching.length === 0) continue;
    if (stage.runBatch) {
      const decisions = await stage.runBatch(reaching.map((i) => cs[i]!), reaching.map((i) => rows[i]!), ctx);
      reaching.forEach((i, k) => { for (const d of decisions[k]!) record(rows[i]!, id, d); });
    } else {
      for (const i of reaching) for (const d of await stage.run!(cs[i]!, rows[i]!, ctx)) record(rows[i]!, id, d);
    }
  }
  return rows;
}

/** Runs the corpus-level stages over merged rows (in place), in order; returns what each recorded, by stage. */
export function applyCorpusStages(results: CandidateResult[], resolved: ResolvedConfig, skipped: Skipped, allReasons = false, list: readonly PipelineStage[] = PIPELINE_STAGES): Partial<Record<StageId, unknown>> {
  const out: Partial<Record<StageId, unknown>> = {};
  for (const stage of pipelineStages(resolved.stages, list)) {
    const id = stage.decl.id;
    if (stage.merge && resolved.stages.includes(id) && !skipped[id]) out[id] = stage.merge(results, resolved, allReasons);
  }
  return out;
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

/** The funnel of results over the given stages (a shard's, or the merged one), checked; `list`: the stages, as filterCandidate's. */
export function funnelOf(
  results: readonly Pick<CandidateResult, "status" | "all_reasons">[], stages: readonly StageId[], skipped: Skipped, allReasons = false, list: readonly PipelineStage[] = PIPELINE_STAGES,
): Funnel {
  const byReason: Partial<Record<Reason, number>> = {};
  for (const r of results) if (r.status !== "kept") byReason[r.status] = (byReason[r.status] ?? 0) + 1;
  let entering = results.length;
  const counts: StageCount[] = [];
  for (const stage of list.map((s) => s.decl.id).filter((s) => stages.includes(s))) {
    const reasons = listedReasons(list.find((s) => s.decl.id === stage)!.decl) as Reason[];
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

/** The columns every row has, before any stage's. */
const baseColumns = (stages: readonly StageId[], list: readonly PipelineStage[]): ColumnSpec<CandidateResult>[] => [
  { name: "id", type: "utf8", nullable: false, description: "candidate id: <shard>:<line> (TSV), <shard>:r<record>:<img> (WARC), c-<page>-<pos> (synthetic)" },
  { name: "url", type: "utf8", nullable: true, description: "image URL" },
  { name: "alt_text", type: "utf8", nullable: true, description: "the alt-text / caption as read (null: no alt attribute)" },
  { name: "noise_class", type: "utf8", nullable: true, description: "synthetic crawl only: ground-truth noise class of the alt-text" },
  { name: "status", type: "utf8", nullable: false, description: "kept, or the first rule that rejected the candidate (see REASONS)" },
  { name: "rejected_stage", type: "utf8", nullable: true, description: `stage of that rule: ${pipelineStages(stages, list).map((s) => s.decl.id).join(" | ")}` },
  { name: "all_reasons", type: "list<utf8>", nullable: false, description: "every rule that would reject (with --all-reasons; else the first)" },
];

const spec = ({ empty: _empty, ...column }: StageColumn): ColumnSpec<CandidateResult> => column;

/**
 * Schema of candidates.arrow / candidates.parquet / shard Parquet files for a run with these stages: the base columns,
 * then each configured stage's (from `list`, as filterCandidate's).
 */
export function resultColumns(stages: readonly StageId[], list: readonly PipelineStage[] = PIPELINE_STAGES): ColumnSpec<CandidateResult>[] {
  return [...baseColumns(stages, list), ...pipelineStages(stages, list).flatMap((s) => s.columns.map(spec))];
}

/** The schema of a run without opt-in stages. */
export const RESULT_COLUMNS: ColumnSpec<CandidateResult>[] = resultColumns([]);
