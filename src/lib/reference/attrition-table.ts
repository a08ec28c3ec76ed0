import type { ColumnSpec } from "../arrow/index.js";
import { ATTRITION_STAGES, OVERALL_YIELD } from "./conceptual-captions.js";

/** One row of the paper-reference attrition table (the shape the loader writes to Arrow). */
export interface AttritionReferenceRow {
  stage_order: number;
  stage_id: string;
  stage: string;
  /** Fraction of the stage's input that it keeps, as the paper states it. */
  pass_rate: number;
  /** Product of the pass rates up to and including this stage (what the stated rates imply). */
  implied_remaining: number;
  /** The paper's stated overall yield of stages 1–3 on the rows it covers, else null. */
  stated_overall: number | null;
  statement: string;
  source: string;
  approximate: boolean;
}

/**
 * The CC3M attrition funnel built from the paper's stated stage rates.
 * The implied cumulative rate is computed here, never typed in, so a reader can
 * see how far it lands from the stated 0.2% overall.
 */
export function attritionReferenceRows(): AttritionReferenceRow[] {
  let remaining = 1;
  return ATTRITION_STAGES.map((stage, i) => {
    remaining *= stage.passRate.value;
    return {
      stage_order: i + 1,
      stage_id: stage.id,
      stage: stage.label,
      pass_rate: stage.passRate.value,
      implied_remaining: remaining,
      // The stated 0.2% covers stages 1–3, so it sits on the row that ends stage 3.
      stated_overall: stage.id === "image-text" ? OVERALL_YIELD.value : null,
      statement: stage.statement,
      source: `${stage.passRate.source.paper}, ${stage.passRate.source.where}`,
      approximate: stage.passRate.approximate,
    };
  });
}

/** The documented schema of `cc-attrition-reference.arrow`. */
export const ATTRITION_REFERENCE_COLUMNS: readonly ColumnSpec<AttritionReferenceRow>[] = [
  { name: "stage_order", type: "int32", description: "1-based position of the stage in the pipeline" },
  { name: "stage_id", type: "utf8", description: "stable stage id: image | text | image-text | transformation | entity-type" },
  { name: "stage", type: "utf8", description: "human-readable stage name" },
  { name: "pass_rate", type: "float64", description: "fraction of the stage's input it keeps (paper reference)" },
  { name: "implied_remaining", type: "float64", description: "product of pass rates up to this stage (computed)" },
  { name: "stated_overall", type: "float64", nullable: true, description: "the paper's stated overall yield of stages 1-3, on the stage-3 row" },
  { name: "statement", type: "utf8", description: "the paper's wording of the stage's attrition" },
  { name: "source", type: "utf8", description: "paper and section" },
  { name: "approximate", type: "bool", description: "true when the paper gives the figure loosely" },
];
