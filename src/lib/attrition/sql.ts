/**
 * Re-applies the filter's rules to stored per-candidate features in SQL (DuckDB), so a reader can
 * move a threshold and see the funnel without re-running any model. Every predicate is its rule's
 * own `sql` (in its stage module, src/lib/filter/<stage>.ts), beside the TypeScript predicate it translates; the parity test
 * runs both over the same candidates. Features the stored row leaves out (the text's file-name shape
 * and list segments, the transformed caption's words) and corpus counts (entity types, nearest
 * image hash) are the stages' derived columns, computed once by prepareQuery.
 *
 * The corpus-level columns count over every stored row, as an all-reasons run counts them (the
 * attrition loader's run is one). NSFW scores exist only for images that passed the stored run's
 * header rules: an image a looser threshold lets through counts as safe.
 */
import type { FilterConfig } from "../filter/config.js";
// The stage list's declarations, not the filter's door: the door plugs compromise in, whose ~0.4 s import a page does not pay.
import { DECLARATIONS, configuredDeclarations, listedReasons, type Reason, type RuleDecl, type StageDecl, type StageId, type Status } from "../filter/rules/index.js";

/** Stage declarations, in the order candidates meet them. */
export type Declarations = readonly StageDecl<string, unknown, unknown>[];
const BUILT_IN = DECLARATIONS as unknown as Declarations;

/** What the funnel is recomputed with: the preset's stages and options, and the entity-type threshold. */
export interface Thresholds {
  stages: readonly StageId[];
  config: FilterConfig;
  /** The entity-type stage's exclusive count threshold (already scaled to the corpus). */
  entityTypeThreshold: number;
  /** The stage declarations (default: the pipeline's, rules/index.ts; a test passes its own to add a stage). */
  declarations?: Declarations;
}

/** The minimal database the queries need (DuckDB-WASM in the page, its Node build in tests). */
export interface AttritionDb {
  query(sql: string): Promise<Record<string, unknown>[]>;
}

const str = (v: string): string => `'${v.replace(/'/g, "''")}'`;
const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

type AnyRule = RuleDecl<unknown, unknown>;
const rulesOf = (d: StageDecl<string, unknown, unknown>): readonly AnyRule[] => d.rules as readonly AnyRule[];

/** Every rule of the declarations by reason, with its stage (computed once per list). */
const RULES = new WeakMap<Declarations, Map<string, { stage: string; rule: AnyRule }>>();
function rulesBy(declarations: Declarations): Map<string, { stage: string; rule: AnyRule }> {
  let rules = RULES.get(declarations);
  if (!rules) RULES.set(declarations, (rules = new Map(declarations.flatMap((d) => rulesOf(d).map((rule) => [rule.reason, { stage: d.id, rule }] as const)))));
  return rules;
}
const RULE = rulesBy(BUILT_IN);
/** Every reason of the declarations, in the order reports list them (for errors naming the valid ones). */
const reasonList = (declarations: Declarations): string => declarations.flatMap((d) => listedReasons(d)).join(", ");
const DERIVED_NAMES = new Set(BUILT_IN.flatMap((d) => d.derived.map((c) => c.name)));

/**
 * Creates `target` (replacing it): `table`'s rows plus the derived columns of the stages a run with
 * `stages` has (by default, every stage but the opt-in ones), computed once so each recompute is one scan.
 */
export function prepareQuery(table: string, target: string, stages: readonly string[] = [], declarations: Declarations = BUILT_IN): string {
  const t = quote(table);
  const derived = configuredDeclarations(stages, declarations).flatMap((d) => d.derived);
  const withs = derived.flatMap((c) => (c.with ? [c.with(t)] : []));
  return `CREATE OR REPLACE TABLE ${quote(target)} AS
${withs.length ? `WITH ${withs.join(",\n")}\n` : ""}SELECT c.*${derived.map((c) => `, ${c.sql} AS ${quote(c.name)}`).join("")} FROM ${t} AS c`;
}

/** SQL predicate over a prepared table: whether `reason`'s rule rejects a row under `config` (FALSE when the rule is off). */
export function ruleSql(reason: Reason, config: FilterConfig, entityTypeThreshold = 0, declarations: Declarations = BUILT_IN): string {
  const found = rulesBy(declarations).get(reason);
  if (!found) throw new RangeError(`unknown reason ${JSON.stringify(reason)}; valid: ${reasonList(declarations)}`);
  const options = (config as unknown as Record<string, unknown>)[found.stage];
  if (options === undefined) throw new RangeError(`ruleSql: the configuration has no options for the ${found.stage} stage`);
  return found.rule.sql(options, { entityTypeThreshold });
}

/** Reasons whose rules run under these thresholds, in the order the pipeline tries them. */
export function activeReasons(thresholds: Pick<Thresholds, "stages" | "config" | "declarations">): Reason[] {
  return configuredDeclarations(thresholds.stages, thresholds.declarations ?? BUILT_IN)
    .filter((d) => thresholds.stages.includes(d.id as StageId))
    .filter((d) => !d.applies || d.applies((thresholds.config as unknown as Record<string, unknown>)[d.id] as never))
    .flatMap((d) => rulesOf(d).map((r) => r.reason as Reason));
}

/**
 * A query over a prepared `table` (prepareQuery) giving every row's recomputed status, plus one
 * boolean column per active rule ("would reject").
 */
export function statusQuery(table: string, thresholds: Thresholds): string {
  const predicates = activeReasons(thresholds).map((r) => [r, ruleSql(r, thresholds.config, thresholds.entityTypeThreshold, thresholds.declarations)] as const);
  const cases = predicates.map(([r, p]) => `WHEN ${p} THEN ${str(r)}`).join("\n      ");
  const flags = predicates.map(([r, p]) => `coalesce(${p}, FALSE) AS "${r}"`).join(",\n    ");
  return `SELECT id,
    CASE
      ${cases || "WHEN FALSE THEN NULL"}
      ELSE 'kept'
    END AS status${flags ? `,\n    ${flags}` : ""}
FROM ${quote(table)}`;
}

// Counts are cast to INTEGER: DuckDB's BIGINT/HUGEINT counts reach the page as BigInt or 128-bit words, not numbers.
/** One scan: rows per status, and per status how many each active rule would reject (summed by recomputeFunnel). */
export function countsQuery(table: string, thresholds: Thresholds): string {
  const sums = activeReasons(thresholds).map((r) => `, sum("${r}"::INTEGER)::INTEGER AS "${r}"`).join("");
  return `SELECT status, count(*)::INTEGER AS n${sums} FROM (${statusQuery(table, thresholds)}) GROUP BY status`;
}

/** One stage of a measured funnel. */
export interface StageCounts {
  stage: StageId;
  /** Whether the stage runs under these thresholds. */
  runs: boolean;
  in: number;
  kept: number;
  rejected: number;
}

/** One rule's counts: first rejections (conserved) and would-reject (every rule on its own merits). */
export interface RuleCounts {
  stage: StageId;
  reason: Reason;
  first: number;
  would: number | null;
}

export interface MeasuredFunnel {
  input: number;
  kept: number;
  stages: StageCounts[];
  rules: RuleCounts[];
}

/**
 * The funnel from per-status counts (and optional would-reject counts): a stage's input is the
 * previous stage's kept; throws when the statuses are not the closed union or do not add up.
 */
export function funnelFromCounts(statusCounts: Readonly<Record<string, number>>, stages: readonly StageId[], would?: Readonly<Record<string, number>>, declarations: Declarations = BUILT_IN): MeasuredFunnel {
  const known = rulesBy(declarations);
  for (const s of Object.keys(statusCounts)) {
    if (s !== "kept" && !known.has(s)) throw new RangeError(`unknown status ${JSON.stringify(s)}; valid: kept, ${reasonList(declarations)}`);
  }
  const input = Object.values(statusCounts).reduce((a, b) => a + b, 0);
  let entering = input;
  const stageRows: StageCounts[] = [];
  const rules: RuleCounts[] = [];
  for (const d of configuredDeclarations(stages, declarations)) {
    const stage = d.id as StageId;
    const reasons = listedReasons(d) as Reason[];
    const rejected = reasons.reduce((a, r) => a + (statusCounts[r] ?? 0), 0);
    const runs = stages.includes(stage);
    if (!runs && rejected > 0) throw new RangeError(`stage ${stage} does not run but ${rejected} candidates were rejected there`);
    stageRows.push({ stage, runs, in: entering, kept: entering - rejected, rejected });
    for (const reason of reasons) rules.push({ stage, reason, first: statusCounts[reason] ?? 0, would: would ? (would[reason] ?? 0) : null });
    entering -= rejected;
  }
  const kept = statusCounts.kept ?? 0;
  if (entering !== kept) throw new RangeError(`funnel does not add up: ${entering} left after the last stage, ${kept} kept`);
  return { input, kept, stages: stageRows, rules };
}

/** Runs countsQuery and builds the funnel. */
export async function recomputeFunnel(db: AttritionDb, table: string, thresholds: Thresholds): Promise<MeasuredFunnel> {
  const rows = await db.query(countsQuery(table, thresholds));
  const status: Record<string, number> = {};
  const would: Record<string, number> = {};
  for (const row of rows) {
    status[String(row.status)] = Number(row.n);
    for (const r of activeReasons(thresholds)) would[r] = (would[r] ?? 0) + Number(row[r]);
  }
  return funnelFromCounts(status, thresholds.stages, would, thresholds.declarations);
}

/** Per-status counts of a stored run (its `status` column), as the pipeline wrote them. */
export function storedCountsQuery(table: string): string {
  return `SELECT status AS key, count(*)::INTEGER AS n FROM "${table.replace(/"/g, '""')}" GROUP BY status`;
}

/** Per-rule would-reject counts of a stored run (its `all_reasons` column, a rule counted once per candidate). */
export function storedWouldQuery(table: string): string {
  return `SELECT reason AS key, count(*)::INTEGER AS n FROM (SELECT DISTINCT id, unnest(all_reasons) AS reason FROM "${table.replace(/"/g, '""')}") GROUP BY reason`;
}

/** How many candidates two threshold sets both keep, only one keeps, or neither keeps. */
export function overlapQuery(table: string, a: Thresholds, b: Thresholds): string {
  return `SELECT count_if(a.status = 'kept' AND b.status = 'kept')::INTEGER AS both_keep,
    count_if(a.status = 'kept' AND b.status <> 'kept')::INTEGER AS only_a,
    count_if(a.status <> 'kept' AND b.status = 'kept')::INTEGER AS only_b,
    count_if(a.status <> 'kept' AND b.status <> 'kept')::INTEGER AS neither
FROM (${statusQuery(table, a)}) AS a JOIN (${statusQuery(table, b)}) AS b USING (id)`;
}

/** The stored column each rule reads (what tripped it), for showing examples; absent when the rule reads only derived columns. */
export const RULE_FEATURE: Readonly<Partial<Record<Reason, string>>> = Object.fromEntries(
  [...RULE].flatMap(([reason, { rule }]) => {
    const shown = rule.shown ?? rule.reads[0];
    return shown !== undefined && !DERIVED_NAMES.has(shown) ? [[reason, shown]] : [];
  }),
);

/** A few candidates a rule rejected in the stored run, with the feature value that tripped it and the image's URL and state (for a thumbnail). */
export function examplesQuery(table: string, reason: Reason, limit = 5): string {
  if (!RULE.has(reason)) throw new RangeError(`unknown reason ${JSON.stringify(reason)}; valid: ${reasonList(BUILT_IN)}`);
  const feature = RULE_FEATURE[reason] ?? "NULL";
  return `SELECT id, url, image_state, noise_class, alt_text, ${feature} AS feature_value, status AS first_reason
FROM "${table.replace(/"/g, '""')}" WHERE list_contains(all_reasons, ${str(reason)}) ORDER BY id LIMIT ${Math.max(0, Math.floor(limit))}`;
}

/**
 * Creates `target` (replacing it) holding `table`'s rows repeated to exactly `size` rows, ids
 * suffixed "~k" to stay unique: the recompute cost at scale without a bigger crawl.
 */
export function repeatRowsQuery(table: string, target: string, size: number): string {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size ${size}: expected a positive integer`);
  const t = `"${table.replace(/"/g, '""')}"`;
  return `CREATE OR REPLACE TABLE "${target.replace(/"/g, '""')}" AS
SELECT * REPLACE (id || '~' || k AS id) FROM ${t}, (SELECT range AS k FROM range(0, ceil(${size} / (SELECT count(*) FROM ${t}))::BIGINT)) ORDER BY k, id LIMIT ${size}`;
}

/** One stage of a funnel with its shares: the stage's pass rate and the share of the input remaining after it. */
export interface StageShare extends StageCounts {
  /** kept / in; null when nothing entered the stage. */
  pass_rate: number | null;
  /** kept / the funnel's input; null for an empty input. */
  remaining: number | null;
}

export function stageShares(funnel: MeasuredFunnel): StageShare[] {
  return funnel.stages.map((s) => ({ ...s, pass_rate: s.in ? s.kept / s.in : null, remaining: funnel.input ? s.kept / funnel.input : null }));
}

export type { Status };
