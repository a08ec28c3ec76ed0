/**
 * What a pipeline stage is: its declaration (rules/: reasons, options, rules, SQL), the columns it
 * adds to the stored row, and its run — per candidate in the shard (features into the row, then the
 * decisions in order) and, for a corpus-level stage, over every shard's rows at the merge.
 * filterCandidate and the merge loop over PIPELINE_STAGES (stages.ts); nothing names a stage.
 */
import type { ColumnSpec } from "../arrow/index.js";
import type { Candidate, CandidateResult, PipelineContext } from "./pipeline.js";
import type { ResolvedConfig } from "./presets.js";
import type { Decision } from "./reasons.js";
import type { FilterConfig, StageDecl, StageId } from "./rules/index.js";

export interface PipelineStage {
  decl: Pick<StageDecl<StageId>, "id" | "description" | "optIn" | "level">;
  /** Columns the stage adds to the stored row, with the value they hold when the stage does not run. */
  columns: readonly StageColumn[];
  /** Per candidate, in the shard: writes the stage's features into `row` and returns its decisions in order. */
  run?(candidate: Candidate, row: CandidateResult, ctx: PipelineContext): Promise<Decision[]> | Decision[];
  /** Corpus-level, at the merge, over every shard's rows (in place); returns what the run summary records. */
  merge?(rows: CandidateResult[], resolved: ResolvedConfig, allReasons: boolean): unknown;
}

export interface StageColumn extends ColumnSpec<CandidateResult> {
  /** The value before the stage runs (null unless the column is not nullable). */
  empty: unknown;
}

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
