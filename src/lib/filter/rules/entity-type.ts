/**
 * The entity-type stage's rule (paper §3, after hypernymization): every type a pair's names were
 * resolved to must occur more than a threshold over the corpus, scaled to its size. Corpus-level:
 * it runs when shards are merged.
 */
import { ENTITY_TYPE_MIN_COUNT, RELEASED_TRAIN_PAIRS } from "../../reference/index.js";
import { formatValue, num, ruleFor, shownOrNone, stageDecl, type StageOptions } from "./declare.js";

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
