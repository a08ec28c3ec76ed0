/**
 * The entity-type frequency filter (paper §3, after hypernymization): every entity type the
 * transformation substituted is counted over the whole corpus, and a pair is kept only when each
 * of its types occurs more than a threshold. The paper's threshold, 100, belongs to a corpus of
 * its size; ours scales it with the input: referenceCount × inputSize / referenceSize (exclusive),
 * unless an absolute `minCount` is given. This stage needs every shard's counts, so it runs when
 * shards are merged, not inside a shard.
 */
import { ENTITY_TYPE_MIN_COUNT, RELEASED_TRAIN_PAIRS } from "../reference/index.js";
import type { CandidateResult } from "./pipeline.js";
import type { ResolvedConfig } from "./presets.js";
import { decide } from "./reasons.js";
import { formatValue, num, ruleFor, shownOrNone, stageDecl, type StageOptions } from "./rules/declare.js";
import { rejectAtMerge, streamedMerge, type StageOf } from "./stage.js";

/** What the rule reads of one pair, once the corpus is counted. */
export interface EntityTypeFeatures {
  /** Pairs containing the pair's rarest entity type (types counted once per pair); null: no entity types. */
  min_type_count: number | null;
  /** The exclusive threshold for this corpus (entityTypeThreshold). */
  threshold: number;
}

const rule = ruleFor<EntityTypeFeatures>();

const RULES = [
  rule({
    reason: "rare_entity_type", description: "an entity type occurring no more than the (size-scaled) entity-type threshold", options: {},
    reads: ["min_type_count"], shown: "entity_types",
    rejects: (f) => f.min_type_count !== null && f.min_type_count <= f.threshold,
    sql: (_o, context) => `coalesce(min_type_count <= ${num(context.entityTypeThreshold)}, FALSE)`,
    explain: {
      feature: "pairs with its rarest entity type", value: (f) => `${shownOrNone(f.min_type_count)} (threshold ${formatValue(f.threshold)})`,
      threshold: () => "> the threshold (entity-type.minCount, or referenceCount scaled to the input)",
    },
  }),
] as const;

const OPTIONS = {
  enabled: { type: "boolean", default: true, doc: "apply the entity-type frequency filter" },
  referenceCount: { type: "number", min: 0, default: ENTITY_TYPE_MIN_COUNT, doc: "a type must occur more than this in a corpus of referenceSize pairs" },
  referenceSize: { type: "integer", min: 1, default: RELEASED_TRAIN_PAIRS, doc: "corpus size of referenceCount; threshold = referenceCount × input size / referenceSize" },
  minCount: { type: "number?", min: 0, default: null, doc: "absolute exclusive threshold instead of the scaled one; null = scaled" },
} as const;

export type EntityTypeOptions = StageOptions<typeof OPTIONS, typeof RULES>;
export type EntityTypeReason = (typeof RULES)[number]["reason"];

export const ENTITY_TYPE_DECL = stageDecl<EntityTypeFeatures, EntityTypeOptions>()({
  id: "entity-type", description: "corpus-level: every resolved entity type must be frequent enough over the whole input", reference: "entity-type",
  optIn: false, level: "corpus", options: OPTIONS, rules: RULES, applies: (o) => o.enabled,
  // Types counted once per pair over every row, as the pipeline's all-reasons run counts them.
  derived: [{
    name: "min_type_count",
    with: (t) => `typed AS (SELECT DISTINCT id, unnest(entity_types) AS type FROM ${t}),
type_counts AS (SELECT type, count(*) AS n FROM typed GROUP BY type),
rarest AS (SELECT id, min(n) AS min_type_count FROM typed JOIN type_counts USING (type) GROUP BY id)`,
    sql: "(SELECT r.min_type_count FROM rarest AS r WHERE r.id = c.id)",
  }],
});

/** The exclusive count threshold for a corpus of `inputSize` pairs. */
export function entityTypeThreshold(options: EntityTypeOptions, inputSize: number): number {
  return options.minCount ?? (options.referenceCount * inputSize) / options.referenceSize;
}

/** Counts of every entity type over the pairs (a type counts once per pair). */
export function countEntityTypes(pairs: Iterable<readonly string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const types of pairs) for (const t of new Set(types)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Whether a pair passes: every type it contains occurs more than the threshold. */
export function entityTypesPass(types: readonly string[], counts: ReadonlyMap<string, number>, threshold: number): boolean {
  return types.every((t) => (counts.get(t) ?? 0) > threshold);
}

/**
 * The corpus-level stage over merged rows (in place): kept pairs (every pair, with allReasons) with a
 * type at or below the size-scaled threshold become `rare_entity_type`. Returns the threshold and the counts.
 * `corpus`: counts and size of the whole corpus when `results` is one batch of it (the streamed merge).
 */
export function applyEntityTypeFilter(
  results: CandidateResult[], resolved: ResolvedConfig, allReasons = false, corpus?: { counts: Map<string, number>; size: number },
): { threshold: number; counts: Map<string, number> } {
  const options = resolved.config["entity-type"];
  const seen = results.filter((r) => r.status === "kept" || allReasons);
  const counts = corpus?.counts ?? countEntityTypes(seen.map((r) => r.entity_types ?? []));
  const threshold = entityTypeThreshold(options, corpus?.size ?? results.length);
  for (const r of seen) {
    const types = r.entity_types ?? [];
    const f = { min_type_count: types.length ? Math.min(...types.map((t) => counts.get(t) ?? 0)) : null, threshold };
    rejectAtMerge(r, "entity-type", decide(ENTITY_TYPE_DECL.rules, f, options));
  }
  return { threshold, counts };
}

/** What funnel.json records of the stage: the threshold, how many types, the 20 commonest. */
export interface EntityTypeSummary {
  threshold: number;
  types: number;
  top: [string, number][];
}

export const ENTITY_TYPE_STAGE: StageOf<typeof ENTITY_TYPE_DECL> = {
  decl: ENTITY_TYPE_DECL,
  columns: [],
  plan(resolved, _input, skipped) {
    if (!resolved.config["entity-type"].enabled) return { skip: "entity-type.enabled is false for this preset" };
    if (skipped.transform || resolved.config.transform.mode !== "hypernymize") return { skip: "needs the hypernymizing transform (entity types come from it)" };
    return {};
  },
  merge: (rows, resolved, allReasons) => applyEntityTypeFilter(rows, resolved, allReasons),
  mergeReads: ["entity_types"],
  // Its counts are all it needs of the corpus: a type counts once per pair, so per-batch counts add up.
  streamed: streamedMerge<Map<string, number>>({
    columns: ["status", "entity_types"],
    gather(acc, batch, allReasons) {
      const counts = acc ?? new Map<string, number>();
      for (const [type, n] of countEntityTypes(batch.filter((r) => r.status === "kept" || allReasons).map((r) => r.entity_types ?? []))) counts.set(type, (counts.get(type) ?? 0) + n);
      return counts;
    },
    apply: (batch, resolved, allReasons, corpus) => applyEntityTypeFilter(batch, resolved, allReasons, { counts: corpus.acc ?? new Map(), size: corpus.size }),
  }),
  summary: {
    field: "entityTypes",
    of(recorded): EntityTypeSummary {
      const { threshold, counts } = recorded as ReturnType<typeof applyEntityTypeFilter>;
      return { threshold, types: counts.size, top: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 20) };
    },
  },
};
