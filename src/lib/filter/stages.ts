/**
 * The pipeline as a list of stages, in the order candidates meet them (the declarations' order in
 * rules/index.ts, checked here). Adding a stage is its module and one line in each list.
 */
import { ENTITY_TYPE_STAGE } from "./entity-types.js";
import { GROUNDING_STAGE } from "./grounding.js";
import { IMAGE_STAGE } from "./image.js";
import { NEAR_DUPLICATE_STAGE } from "./near-duplicate.js";
import { STAGES, configuredStages, type StageId } from "./rules/index.js";
import type { PipelineStage } from "./stage.js";
import { TEXT_STAGE } from "./text.js";
import { TRANSFORM_STAGE } from "./transform.js";

export const PIPELINE_STAGES: readonly PipelineStage[] = [IMAGE_STAGE, TEXT_STAGE, GROUNDING_STAGE, TRANSFORM_STAGE, ENTITY_TYPE_STAGE, NEAR_DUPLICATE_STAGE];

if (PIPELINE_STAGES.map((s) => s.decl.id).join() !== STAGES.join()) {
  throw new Error(`stages.ts lists ${PIPELINE_STAGES.map((s) => s.decl.id).join(", ")} but rules/index.ts declares ${STAGES.join(", ")}`);
}

/** The pipeline stages a run with these stages has (every one but an opt-in stage it does not list). */
export function pipelineStages(stages: readonly StageId[]): PipelineStage[] {
  const wanted = configuredStages(stages);
  return PIPELINE_STAGES.filter((s) => wanted.includes(s.decl.id));
}
