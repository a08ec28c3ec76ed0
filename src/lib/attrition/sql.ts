/**
 * Re-applies the filter's rules to stored per-candidate features in SQL (DuckDB), so a reader can
 * move a threshold and see the funnel without re-running any model. One SQL predicate per reason,
 * each the translation of that reason's rule in src/lib/filter (image.ts, text.ts, grounding.ts,
 * transform.ts, entity-types.ts); the parity test runs both over the same candidates.
 *
 * Rules whose feature is not a stored column (alt present, file name, SEO segments, decoding) have
 * no threshold: they are read from `all_reasons` of the stored run, which must be an all-reasons run
 * of a preset that switches them on (the cc3m loader is). NSFW scores exist only for images that
 * passed the stored run's header rules: an image a looser threshold lets through counts as safe.
 */
import type { FilterConfig } from "../filter/config.js";
// reasons.ts directly, not the filter door: the door also exports the NLP stages, whose packages a page does not load.
import { REASON_INFO, REASONS, STAGES, type Reason, type StageId, type Status } from "../filter/reasons.js";

/** What the funnel is recomputed with: the preset's stages and options, and the entity-type threshold. */
export interface Thresholds {
  stages: readonly StageId[];
  config: FilterConfig;
  /** The entity-type stage's exclusive count threshold (already scaled to the corpus). */
  entityTypeThreshold: number;
}

/** The minimal database the queries need (DuckDB-WASM in the page, its Node build in tests). */
export interface AttritionDb {
  query(sql: string): Promise<Record<string, unknown>[]>;
}

const num = (v: number): string => {
  if (!Number.isFinite(v)) throw new RangeError(`threshold ${v} is not a finite number`);
  return String(v);
};
const bool = (v: boolean): string => (v ? "TRUE" : "FALSE");
const str = (v: string): string => `'${v.replace(/'/g, "''")}'`;
const stored = (reason: Reason): string => `list_contains(all_reasons, ${str(reason)})`;
const limit = (v: number | null, expr: (n: string) => string): string => (v === null ? "FALSE" : `(${expr(num(v))})`);

/** Words of the transformed caption, counted as transform.ts counts out_words. */
const OUT_WORDS = "len(list_filter(string_split(caption_out, ' '), w -> regexp_matches(w, '[\\p{L}\\p{N}]')))";

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Creates `target` (replacing it): `table`'s rows plus the columns no threshold changes, computed
 * once so each recompute is one scan: `out_words` (words of the transformed caption) and
 * `min_type_count` (pairs containing the row's rarest entity type; types counted once per pair over
 * every row, as the pipeline's all-reasons run counts them). The queries below read `target`.
 */
export function prepareQuery(table: string, target: string): string {
  const t = quote(table);
  return `CREATE OR REPLACE TABLE ${quote(target)} AS
WITH typed AS (SELECT DISTINCT id, unnest(entity_types) AS type FROM ${t}),
type_counts AS (SELECT type, count(*) AS n FROM typed GROUP BY type),
rarest AS (SELECT id, min(n) AS min_type_count FROM typed JOIN type_counts USING (type) GROUP BY id)
SELECT c.*, ${OUT_WORDS} AS out_words, rarest.min_type_count FROM ${t} AS c LEFT JOIN rarest USING (id)`;
}

/** SQL predicate over a prepared table: whether `reason`'s rule rejects a row under `config` (FALSE when the rule is off). */
export function ruleSql(reason: Reason, config: FilterConfig, entityTypeThreshold = 0): string {
  const i = config.image;
  const t = config.text;
  const g = config.grounding;
  const x = config.transform;
  switch (reason) {
    case "image_missing": case "not_an_image": case "bad_image_header": case "truncated_image": case "too_many_pixels": case "undecodable":
      return stored(reason);
    case "format_not_allowed":
      return `coalesce(format, '') NOT IN (${i.formats.length ? i.formats.map(str).join(", ") : "''"})`;
    case "file_too_small":
      return limit(i.minFileBytes, (n) => `coalesce(file_bytes, 0) < ${n}`);
    case "image_too_small":
      return `least(coalesce(width, 0), coalesce(height, 0)) ${i.minSideInclusive ? "<" : "<="} ${num(i.minSidePx)}`;
    case "aspect_ratio":
      return limit(i.maxAspectRatio, (n) => `coalesce(aspect, 'Infinity'::DOUBLE) > ${n}`);
    case "nsfw":
      return i.nsfw ? `(nsfw_score IS NOT NULL AND nsfw_score > ${num(i.maxNsfwScore)})` : "FALSE";
    case "alt_missing": case "no_words":
      return stored(reason);
    case "boilerplate_pattern":
      return t.rejectBoilerplate ? "(boilerplate IS NOT NULL)" : "FALSE";
    case "too_few_words":
      return limit(t.minWords, (n) => `words < ${n}`);
    case "too_many_words":
      return limit(t.maxWords, (n) => `words > ${n}`);
    case "too_few_chars":
      return limit(t.minChars, (n) => `chars < ${n}`);
    case "too_many_chars":
      return limit(t.maxChars, (n) => `chars > ${n}`);
    case "file_name":
      return t.rejectFileNames ? stored(reason) : "FALSE";
    case "hashtags":
      return limit(t.maxHashtags, (n) => `hashtags > ${n}`);
    case "seo_keywords":
      return t.seoMinSegments === null ? "FALSE" : stored(reason);
    case "not_english":
      return t.requireEnglish ? `(language <> 'eng' AND english_share < ${num(t.minEnglishShare)})` : "FALSE";
    case "no_determiner":
      return t.requireDeterminer ? "(determiners = 0)" : "FALSE";
    case "no_noun":
      return t.requireNoun ? "(nouns = 0)" : "FALSE";
    case "no_preposition":
      return t.requirePreposition ? "(prepositions = 0)" : "FALSE";
    case "noun_ratio":
      return limit(t.maxNounRatio, (n) => `noun_ratio > ${n}`);
    case "repetition":
      return limit(t.maxRepetition, (n) => `repetition > ${n}`);
    case "first_word_lowercase":
      return t.requireCapitalizedFirst ? "(NOT first_capitalized)" : "FALSE";
    case "capitalized_ratio":
      return limit(t.maxCapitalizedRatio, (n) => `capitalized_ratio > ${n}`);
    case "rare_word":
      return limit(t.rareWordMinCount, (n) => `rarest_word_count < ${n}`);
    case "sentiment_polarity":
      return limit(t.maxAbsPolarity, (n) => `abs(polarity) > ${n}`);
    case "profanity":
      return limit(t.profanityMinRating, (n) => `profanity_rating >= ${n}`);
    case "no_labels":
      return "(labeler IS NULL OR coalesce(len(labels), 0) = 0)";
    case "no_label_match":
      return `(coalesce(len(matched_labels), 0) < ${num(g.minMatches)})`;
    case "unresolved_entity":
      return limit(x.maxUnresolved, (n) => `coalesce(unresolved, 0) > ${n}`);
    case "too_short_after_transform":
      return `(caption_out IS NOT NULL AND out_words < ${num(x.minWords)})`;
    case "rare_entity_type":
      return `coalesce(min_type_count <= ${num(entityTypeThreshold)}, FALSE)`;
  }
}

/** Reasons whose rules run under these thresholds, in the order the pipeline tries them. */
export function activeReasons(thresholds: Pick<Thresholds, "stages" | "config">): Reason[] {
  const entityTypes = thresholds.config["entity-type"].enabled;
  return REASONS.filter((r) => {
    const stage = REASON_INFO[r].stage;
    return thresholds.stages.includes(stage) && (stage !== "entity-type" || entityTypes);
  });
}

/**
 * A query over a prepared `table` (prepareQuery) giving every row's recomputed status, plus one
 * boolean column per active rule ("would reject").
 */
export function statusQuery(table: string, thresholds: Thresholds): string {
  const predicates = activeReasons(thresholds).map((r) => [r, ruleSql(r, thresholds.config, thresholds.entityTypeThreshold)] as const);
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
export function funnelFromCounts(statusCounts: Readonly<Record<string, number>>, stages: readonly StageId[], would?: Readonly<Record<string, number>>): MeasuredFunnel {
  for (const s of Object.keys(statusCounts)) {
    if (s !== "kept" && !(REASONS as readonly string[]).includes(s)) throw new RangeError(`unknown status ${JSON.stringify(s)}; valid: kept, ${REASONS.join(", ")}`);
  }
  const input = Object.values(statusCounts).reduce((a, b) => a + b, 0);
  let entering = input;
  const stageRows: StageCounts[] = [];
  const rules: RuleCounts[] = [];
  for (const stage of STAGES) {
    const reasons = REASONS.filter((r) => REASON_INFO[r].stage === stage);
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
  return funnelFromCounts(status, thresholds.stages, would);
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

/** The stored column each rule reads (what tripped it), for showing examples; null when the rule reads no stored column. */
export const RULE_FEATURE: Readonly<Partial<Record<Reason, string>>> = {
  format_not_allowed: "format", file_too_small: "file_bytes", image_too_small: "least(width, height)", aspect_ratio: "aspect", nsfw: "nsfw_score",
  boilerplate_pattern: "boilerplate", too_few_words: "words", too_many_words: "words", too_few_chars: "chars", too_many_chars: "chars",
  hashtags: "hashtags", not_english: "english_share", no_determiner: "determiners", no_noun: "nouns", no_preposition: "prepositions",
  noun_ratio: "noun_ratio", repetition: "repetition", first_word_lowercase: "first_capitalized", capitalized_ratio: "capitalized_ratio",
  rare_word: "rarest_word_count", sentiment_polarity: "polarity", profanity: "profanity_rating", no_labels: "labels",
  no_label_match: "labels", unresolved_entity: "unresolved", too_short_after_transform: "caption_out", rare_entity_type: "entity_types",
};

/** A few candidates a rule rejected in the stored run, with the feature value that tripped it and the image's URL and state (for a thumbnail). */
export function examplesQuery(table: string, reason: Reason, limit = 5): string {
  if (!(REASONS as readonly string[]).includes(reason)) throw new RangeError(`unknown reason ${JSON.stringify(reason)}; valid: ${REASONS.join(", ")}`);
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
