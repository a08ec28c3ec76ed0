/**
 * What a pipeline stage is: its declaration (rules/: reasons, options, rules, SQL), the columns it
 * adds to the stored row, what it needs of the input and the process (images, lexicon, WordNet,
 * models), why it does not run where it cannot, and its run — per candidate in the shard (features
 * into the row, then the decisions in order) and, for a corpus-level stage, over every shard's rows
 * at the merge. filterCandidate, the run plan, the shard reader and the merge loop over the stage
 * list (stages.ts) and ask these fields, never a stage id. What stays shared by name: the resources
 * (lexicon, WordNet) and models (NSFW, labelers) a process can load, the CC stages' typed row fields
 * (CandidateResult), and funnel.json's `entityTypes` line (MergedRun: the CLI prints it).
 */
import type { ColumnSpec } from "../arrow/index.js";
import type { Labeler } from "../labeler/index.js";
import type { Candidate, CandidateResult, PipelineContext } from "./pipeline.js";
import type { ResolvedConfig } from "./presets.js";
import type { Decision } from "./reasons.js";
import type { FilterConfig, StageDecl, StageId } from "./rules/index.js";

/** Stages that do not run, with why. */
export type Skipped = Partial<Record<StageId, string>>;

/** What the run knows of a shard's input before any candidate is filtered. */
export interface PlanInput {
  /** The input carries no image bytes (a caption TSV). */
  captionOnly: boolean;
  /** Candidates carry labels (input column or a labels TSV). */
  hasLabels: boolean;
  /** The synth CNN labeler's weights exist. */
  cnnAvailable: boolean;
}

/** What a stage records in the run plan for the models a worker loads (plain data, sent to workers once). */
export interface StagePlan {
  /** Load the NSFW model. */
  nsfw: boolean;
  /** Labelers in the order "auto" tries them. */
  labelers: Labeler["name"][];
}

/** What a process loads once for the stages that read it (createContext). */
export type Resource = "lexicon" | "wordnet";

/** A corpus-level stage whose whole-corpus need is a summary it can gather batch by batch (the merge then streams). */
export interface StreamedMerge<Acc = unknown> {
  /** The columns the gathering pass reads. */
  columns: readonly (keyof CandidateResult & string)[];
  /** Adds one batch to what is gathered (`acc` undefined for the first batch). */
  gather(acc: Acc | undefined, batch: readonly CandidateResult[], allReasons: boolean): Acc;
  /** Judges one batch (in place) with what was gathered over `size` rows; returns what the run summary records. */
  apply(batch: CandidateResult[], resolved: ResolvedConfig, allReasons: boolean, corpus: { acc: Acc | undefined; size: number }): unknown;
}

export interface PipelineStage {
  decl: Pick<StageDecl<StageId, never, never>, "id" | "description" | "optIn" | "level" | "rules">;
  /** Columns the stage adds to the stored row, with the value they hold when the stage does not run. */
  columns: readonly StageColumn[];
  /**
   * Image bytes: "required" — the shard reads them, and caption-only input skips the stage with
   * `withoutImages` as why; "optional" — read when the input has them (a labeler may look).
   */
  images?: "required" | "optional";
  /** Why the stage does not run on caption-only input (stages whose images are "required"). */
  withoutImages?: string;
  /** What a process loads for the stage's run. */
  resources?: readonly Resource[];
  /**
   * Plans the stage for this input and configuration, once the stages before it are planned (`skipped` so far):
   * why it cannot run, if so, and what it records in the run plan (its models).
   */
  plan?(resolved: ResolvedConfig, input: PlanInput, skipped: Skipped): { skip?: string; record?: Partial<StagePlan> };
  /** Per candidate, in the shard: writes the stage's features into `row` and returns its decisions in order. */
  run?(candidate: Candidate, row: CandidateResult, ctx: PipelineContext): Promise<Decision[]> | Decision[];
  /**
   * The same over a batch of candidates at once (rows[i] is candidates[i]'s), for a stage whose work is cheaper
   * in bulk; each candidate's result is what `run` would give it alone. A stage has `run` or `runBatch`.
   */
  runBatch?(candidates: readonly Candidate[], rows: readonly CandidateResult[], ctx: PipelineContext): Promise<Decision[][]> | Decision[][];
  /** Corpus-level, at the merge, over every shard's rows (in place); returns what the run summary records. */
  merge?(rows: CandidateResult[], resolved: ResolvedConfig, allReasons: boolean): unknown;
  /** The same corpus-level stage streamed over row groups, when a gathered summary is all it needs of the corpus. */
  streamed?: StreamedMerge;
  /** Columns `merge` reads of every row (the slim copy the merge holds when the stage cannot stream). */
  mergeReads?: readonly (keyof CandidateResult & string)[];
  /** What the run summary (funnel.json) records of the stage under `field`: `of` what its merge returned, null when it did not run. */
  summary?: { field: string; of(recorded: unknown): unknown };
}

/**
 * A stage module's stage object, its declaration's own type kept: the stage list (stages.ts) derives the stage ids,
 * reasons, options and configuration type from these.
 */
export type StageOf<D> = Omit<PipelineStage, "decl"> & { decl: D };

export interface StageColumn extends ColumnSpec<CandidateResult> {
  /** The value before the stage runs (null unless the column is not nullable). */
  empty: unknown;
}

/** A stage's streamed merge, typed by what it gathers (the stage list holds every stage's as StreamedMerge<unknown>). */
export const streamedMerge = <Acc>(merge: StreamedMerge<Acc>): StreamedMerge => merge as unknown as StreamedMerge;

/** A nullable stored column, null until its stage runs. */
export const col = (name: keyof CandidateResult & string, type: ColumnSpec<CandidateResult>["type"], description: string): StageColumn => ({ name, type, nullable: true, description, empty: null });

/** A stage's options in a configuration (its declared type; an opt-in stage's exist only where configured). */
export const optionsOf = <S extends keyof FilterConfig>(config: FilterConfig, stage: S): NonNullable<FilterConfig[S]> => {
  const options = config[stage];
  if (options === undefined) throw new RangeError(`the configuration has no options for the ${stage} stage`);
  return options as NonNullable<FilterConfig[S]>;
};

/** Records a corpus-level decision on a merged row: its status if still kept, and the reason in all_reasons. */
export function rejectAtMerge(row: CandidateResult, stage: StageId, d: Decision): void {
  if (d.keep) return;
  if (row.status === "kept") {
    row.status = d.reason!;
    row.rejected_stage = stage;
  }
  row.all_reasons.push(d.reason!);
}
