/**
 * The pipeline's stages, in the order candidates meet them: the one list. Each stage is one module (its declaration —
 * rules with their options, SQL and wording — its stored columns, and its run), and adding a stage is its module plus
 * one line here; its reasons, options, configuration, stored columns and SQL follow from the list (rules/index.ts).
 * The stage modules import no package (the NLP ones are plugged in by the folder's doors: nlp.ts), so pages
 * that read only the declarations load this list too.
 */
import { ENTITY_TYPE_STAGE } from "./entity-types.js";
import { GROUNDING_STAGE } from "./grounding.js";
import { IMAGE_STAGE } from "./image.js";
import { NEAR_DUPLICATE_STAGE } from "./near-duplicate.js";
import type { PipelineStage } from "./stage.js";
import { TEXT_STAGE } from "./text.js";
import { TRANSFORM_STAGE } from "./transform.js";

/** Every stage, in order (opt-in stages run only where a preset or --stages lists them). */
export const STAGE_LIST = [
  IMAGE_STAGE,
  TEXT_STAGE,
  GROUNDING_STAGE,
  TRANSFORM_STAGE,
  ENTITY_TYPE_STAGE,
  NEAR_DUPLICATE_STAGE,
] as const;

/** The same list, as the pipeline's code reads it. */
export const PIPELINE_STAGES: readonly PipelineStage[] = STAGE_LIST;

/**
 * The stages a run with these stages has (every one but an opt-in stage it does not list), from
 * `list` (default: the pipeline's; a test passes its own to add a stage).
 */
export function pipelineStages(stages: readonly string[], list: readonly PipelineStage[] = PIPELINE_STAGES): PipelineStage[] {
  return list.filter((s) => !s.decl.optIn || stages.includes(s.decl.id));
}
