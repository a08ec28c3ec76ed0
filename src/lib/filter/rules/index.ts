/**
 * What derives from the stages' declarations (each in its stage module; the list in ../stages.ts): the stage ids,
 * the closed union of reasons with their descriptions, the option table with its defaults, and the configuration
 * type. Pages load it (the stage modules load no heavy library).
 */
import type { Reference } from "../../reference/index.js";
import { STAGE_LIST } from "../stages.js";
import type { EntityTypeOptions } from "../entity-types.js";
import type { GroundingOptions } from "../grounding.js";
import type { ImageOptions } from "../image.js";
import type { NearDuplicateOptions } from "../near-duplicate.js";
import type { TextOptions } from "../text.js";
import type { TransformOptions } from "../transform.js";
import type { OptionDecl, OptionSpec, PresetValue, RuleDecl, StageDecl } from "./declare.js";

/** Every stage's declaration, in the list's order. */
export const DECLARATIONS = STAGE_LIST.map((s) => s.decl) as unknown as DeclarationsOf<typeof STAGE_LIST>;
type DeclarationsOf<T extends readonly unknown[]> = { readonly [K in keyof T]: T[K] extends { decl: infer D } ? D : never };

type Declaration = (typeof DECLARATIONS)[number];

/** Pipeline stages in the order candidates meet them. */
export const STAGES = DECLARATIONS.map((d) => d.id) as Declaration["id"][];
export type StageId = Declaration["id"];

export type Reason = Declaration["rules"][number]["reason"];
/** A candidate's final status. */
export type Status = "kept" | Reason;

type OptionsOfDecl<D> = D extends { readonly optionsType?: infer O } ? NonNullable<O> : never;
/** Every stage's options; an opt-in stage's only where it is configured. */
export type FilterConfig = { [D in Declaration as D["optIn"] extends true ? never : D["id"]]: OptionsOfDecl<D> } & {
  [D in Declaration as D["optIn"] extends true ? D["id"] : never]?: OptionsOfDecl<D>;
};
export type { ImageOptions, TextOptions, GroundingOptions, TransformOptions, EntityTypeOptions, NearDuplicateOptions };

/** A stage's declaration by id (the list's own order and types, without the per-stage generics). */
export const DECLARATION: Readonly<Record<StageId, StageDecl<StageId, unknown, unknown>>> = Object.fromEntries(
  DECLARATIONS.map((d) => [d.id, d as unknown as StageDecl<StageId, unknown, unknown>]),
) as Record<StageId, StageDecl<StageId, unknown, unknown>>;

/** A stage's reasons in the order reports list them: declaration order, except a rule declared `listedAfter` another. */
export function listedReasons(decl: { rules: readonly { reason: string; listedAfter?: string }[] }): string[] {
  const { rules } = decl;
  const out = rules.filter((r) => !r.listedAfter).map((r) => r.reason);
  for (const r of rules) if (r.listedAfter) out.splice(out.indexOf(r.listedAfter) + 1, 0, r.reason);
  return out;
}

/** Every reason, stage by stage, in the order reports list them. */
export const REASONS = DECLARATIONS.flatMap((d) => listedReasons(d)) as Reason[];

export interface ReasonInfo {
  stage: StageId;
  /** One line: what rejected the candidate. */
  description: string;
}

export const REASON_INFO = Object.fromEntries(
  DECLARATIONS.flatMap((d) => (d.rules as readonly RuleDecl<never, never>[]).map((r) => [r.reason, { stage: d.id, description: r.description }] as const)),
) as Record<Reason, ReasonInfo>;

/** Which of the reference's attrition stages each of ours reports against (a stage without one has none). */
export const REFERENCE_STAGE = Object.fromEntries(DECLARATIONS.filter((d) => d.reference !== null).map((d) => [d.id, d.reference])) as Partial<Record<StageId, NonNullable<Declaration["reference"]>>>;

/** The options of one stage, its own first, then its rules' in rule order. */
export function optionDecls(stage: StageId): [string, OptionDecl][] {
  const d = DECLARATION[stage];
  return [...Object.entries(d.options), ...d.rules.flatMap((r) => Object.entries(r.options))];
}

/** Every option, keyed "stage.option": its type, range and one-line documentation. */
export const OPTIONS: Record<string, OptionSpec> = Object.fromEntries(
  STAGES.flatMap((s) => optionDecls(s).map(([k, { default: _default, ...spec }]) => [`${s}.${k}`, spec])),
);
export type OptionKey = keyof typeof OPTIONS;

/** Every option's declared default (a paper value as its Reference). */
export function stageDefaults(stage: StageId): Record<string, PresetValue<unknown>> {
  return Object.fromEntries(optionDecls(stage).map(([k, o]) => [k, o.default as PresetValue<unknown> | Reference<unknown>]));
}

/** Stages whose options, columns and funnel rows a run with these stages has: every stage but an opt-in one it does not list. */
export function configuredStages(stages: readonly string[]): StageId[] {
  return STAGES.filter((s) => !DECLARATION[s].optIn || stages.includes(s));
}

/** The declarations a run with these stages has, from `list` (default: the pipeline's; a test passes its own to add a stage). */
export function configuredDeclarations(stages: readonly string[], list: readonly StageDecl<string, unknown, unknown>[] = DECLARATIONS as unknown as StageDecl<string, unknown, unknown>[]): StageDecl<string, unknown, unknown>[] {
  return list.filter((d) => !d.optIn || stages.includes(d.id));
}

/** The reasons of one stage, in the order reports list them. */
export function reasonsOf(stage: StageId): Reason[] {
  return REASONS.filter((r) => REASON_INFO[r].stage === stage);
}

export * from "./declare.js";
export { IMAGE_DECL, IMAGE_HEADER_RULES, IMAGE_PIXEL_RULES } from "../image.js";
export { TEXT_DECL, TEXT_RULES } from "../text.js";
export { GROUNDING_DECL } from "../grounding.js";
export { TRANSFORM_DECL } from "../transform.js";
export { ENTITY_TYPE_DECL } from "../entity-types.js";
export { NEAR_DUPLICATE_DECL } from "../near-duplicate.js";
export type { EntityTypeFeatures } from "../entity-types.js";
export type { NearDuplicateFeatures } from "../near-duplicate.js";
