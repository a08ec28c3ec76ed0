/**
 * What a rule and a stage declaration are. A rule is written once: its reason and description, the
 * options it reads (type, range, default, one-line doc; a paper value as its Reference), the feature
 * columns it reads, its predicate, its SQL for the attrition page and its worded verdict. The option
 * table, the reason union, the presets' validation, the explanation and the page's SQL derive from
 * these (rules/index.ts). Dependency-free: pages load it.
 */
import type { Reference } from "../../reference/index.js";

export const IMAGE_FORMAT_NAMES = ["jpeg", "png", "gif", "webp", "bmp"] as const;
export type AllowedFormat = (typeof IMAGE_FORMAT_NAMES)[number];
export const LABELERS = ["auto", "input", "tsv", "synth-cnn"] as const;
export type LabelerChoice = (typeof LABELERS)[number];
export const TRANSFORM_MODES = ["hypernymize", "person-only", "none"] as const;
export type TransformMode = (typeof TRANSFORM_MODES)[number];

export type ValueType = "number" | "number?" | "integer" | "integer?" | "boolean" | "formats" | "labeler" | "mode";

/** The TypeScript type of an option's value. */
export type ValueOf<T extends ValueType> = T extends "number" | "integer" ? number
  : T extends "number?" | "integer?" ? number | null
  : T extends "boolean" ? boolean
  : T extends "formats" ? AllowedFormat[]
  : T extends "labeler" ? LabelerChoice
  : T extends "mode" ? TransformMode
  : never;

/** A preset value: a plain value (ours) or a paper Reference (its value is used, its source recorded). */
export type PresetValue<T> = T | Reference<T>;

/** An option's type, range and one-line documentation (the `--set` parser reads these). */
export interface OptionSpec {
  type: ValueType;
  doc: string;
  min?: number;
  max?: number;
}

/** An option as declared: its spec and the default a configuration gets when a preset does not set it. */
export interface OptionDecl extends OptionSpec {
  default: PresetValue<ValueOf<ValueType>>;
}

export type OptionDecls = Readonly<Record<string, OptionDecl>>;

/** The options object a rule's predicate receives for these declarations. */
export type OptionsOf<D extends OptionDecls> = { -readonly [K in keyof D]: ValueOf<D[K]["type"]> };

/** What a rule's SQL may need beside its options: the corpus-scaled entity-type threshold. */
export interface SqlContext {
  entityTypeThreshold: number;
}

/** How a rule's verdict on one candidate is worded: what it reads, the value, what passes. */
export interface Wording<F, O> {
  feature: string;
  value(f: F): string;
  /** What passes under the options ("≤ 0.6"), or "off" when the options switch the rule off. */
  threshold(o: O): string;
}

export interface RuleDecl<F, O, R extends string = string, D extends OptionDecls = OptionDecls> {
  reason: R;
  /** One line: what rejected the candidate. */
  description: string;
  /** The options this rule reads, declared here (the stage's option type is the union of its rules'). */
  options: D;
  /** Feature columns the rule reads (stored, or derived in SQL by the stage declaration). */
  reads: readonly string[];
  /** The SQL shown as "what tripped it" beside an example (default: the first column read). */
  shown?: string;
  // Method syntax: a rule reading fewer options fits a stage whose options are a superset.
  rejects(features: F, options: O): boolean;
  /** The same predicate over the prepared table, FALSE when the options switch the rule off. */
  sql(options: O, context: SqlContext): string;
  explain: Wording<F, O>;
  /** Reports list the reason after this one (the order funnels have always shown), though it runs where declared. */
  listedAfter?: string;
}

/** A rule constructor for one stage's feature type: the options type is inferred from the declared options. */
export function ruleFor<F>() {
  return <const R extends string, const D extends OptionDecls>(rule: RuleDecl<F, OptionsOf<D>, R, D>): RuleDecl<F, OptionsOf<D>, R, D> => rule;
}

/** A column a stage's SQL computes once from stored ones (features kept out of the stored row, corpus counts). */
export interface DerivedColumn {
  name: string;
  /** Common table expressions it needs, over the stored table `t` (quoted). */
  with?(t: string): string;
  /** A scalar expression over the stored row `c`. */
  sql: string;
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A stage's options: its own and every rule's. */
export type StageOptions<S extends OptionDecls, Rules extends readonly { options: OptionDecls }[]> = Simplify<OptionsOf<S> & UnionToIntersection<OptionsOf<Rules[number]["options"]>>>;

/** Which of the reference's attrition stages (src/lib/reference ATTRITION_STAGES) a stage reports against. */
export type ReferenceStage = "image" | "text" | "image-text" | "transformation" | "entity-type";

export interface StageDecl<Id extends string = string, F = never, O = never> {
  id: Id;
  /** One line: what the stage does. */
  description: string;
  reference: ReferenceStage | null;
  /** An opt-in stage runs only where a preset or --stages lists it, and when off adds no option, column or funnel row. */
  optIn: boolean;
  /** "candidate": in the shard, per candidate; "corpus": at the merge, over every shard's rows. */
  level: "candidate" | "corpus";
  /** Options of the stage's features rather than of one rule. */
  options: OptionDecls;
  /** In the order they run. */
  rules: readonly RuleDecl<F, O>[];
  /** Whether the rules apply at all under these options (an `enabled` switch); default always. */
  applies?(options: O): boolean;
  /** Columns the SQL derives once per prepared table. */
  derived: readonly DerivedColumn[];
  /** Type only (never set): the stage's options type, for FilterConfig. */
  readonly optionsType?: O;
}

/** A stage declaration over its features and options (StageOptions of its own and its rules' declarations); keeps the rules' reason literals. */
export function stageDecl<F, O>() {
  return <const Id extends string, const OptIn extends boolean, const Rules extends readonly RuleDecl<F, O>[]>(
    stage: StageDecl<Id, F, O> & { optIn: OptIn; rules: Rules },
  ): StageDecl<Id, F, O> & { optIn: OptIn; rules: Rules } => stage;
}

// Shared pieces of predicates, SQL and wording.

/** An option that is null switches its rule off. */
export const on = <T>(v: T | null): v is T => v !== null;

export const num = (v: number): string => {
  if (!Number.isFinite(v)) throw new RangeError(`threshold ${v} is not a finite number`);
  return String(v);
};
export const str = (v: string): string => `'${v.replace(/'/g, "''")}'`;
/** A nullable limit as SQL: FALSE when off. */
export const limit = (v: number | null, expr: (n: string) => string): string => (v === null ? "FALSE" : `(${expr(num(v))})`);
/** A boolean switch as SQL: FALSE when off. */
export const when = (v: boolean, expr: string): string => (v ? `(${expr})` : "FALSE");

export const OFF = "off";
/** A number as shown: whole numbers as they are, large ones rounded, others to 3 significant digits. */
export function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 1000) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}
export const atLeast = (n: number | null): string => (n === null ? OFF : `≥ ${formatValue(n)}`);
export const atMost = (n: number | null): string => (n === null ? OFF : `≤ ${formatValue(n)}`);
export const required = (on: boolean, what: string): string => (on ? what : OFF);
export const yesNo = (b: boolean): string => (b ? "yes" : "no");
export const shownOrNone = (v: number | string | null): string => (v === null ? "none" : typeof v === "number" ? formatValue(v) : v);
