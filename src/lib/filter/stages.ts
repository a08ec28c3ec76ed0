/**
 * The pipeline's stages, in the order candidates meet them. The order is written once, as the
 * declarations' list (rules/index.ts DECLARATIONS, which pages read without the stages' NLP and
 * model code); here each declared stage id finds its stage module, in a table the compiler checks is
 * complete (a declared stage without a module, or a module for no declared stage, does not compile).
 * Adding a stage: its declaration (rules/<id>.ts) and module (<id>.ts), one line in DECLARATIONS,
 * one entry here; nothing else names it.
 */
import { ENTITY_TYPE_STAGE } from "./entity-types.js";
import { GROUNDING_STAGE } from "./grounding.js";
import { IMAGE_STAGE } from "./image.js";
import { NEAR_DUPLICATE_STAGE } from "./near-duplicate.js";
import { STAGES, type StageId } from "./rules/index.js";
import type { PipelineStage } from "./stage.js";
import { TEXT_STAGE } from "./text.js";
import { TRANSFORM_STAGE } from "./transform.js";

const STAGE_MODULES: { readonly [Id in StageId]: PipelineStage } = {
  image: IMAGE_STAGE,
  text: TEXT_STAGE,
  grounding: GROUNDING_STAGE,
  transform: TRANSFORM_STAGE,
  "entity-type": ENTITY_TYPE_STAGE,
  "near-duplicate": NEAR_DUPLICATE_STAGE,
};

/** Every stage, in the declarations' order. */
export const PIPELINE_STAGES: readonly PipelineStage[] = STAGES.map((id) => {
  const stage = STAGE_MODULES[id];
  if (stage.decl.id !== id) throw new Error(`stages.ts: the module filed under ${id} is the ${stage.decl.id} stage`);
  return stage;
});

/**
 * The stages a run with these stages has (every one but an opt-in stage it does not list), from
 * `list` (default: the pipeline's; a test passes its own to add a stage).
 */
export function pipelineStages(stages: readonly string[], list: readonly PipelineStage[] = PIPELINE_STAGES): PipelineStage[] {
  return list.filter((s) => !s.decl.optIn || stages.includes(s.decl.id));
}
