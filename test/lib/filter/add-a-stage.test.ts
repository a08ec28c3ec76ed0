/**
 * Adding a stage, as a spec: a real, tiny stage declared in this file alone (its rule, option, SQL and
 * wording; its stored column and its run) goes through filterCandidate, the funnel, the stored schema and
 * the attrition SQL by being put into a copy of the stage list. Nothing in src/ names it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { tableFromRows, toArrowIPC } from "../../../src/lib/arrow/index.js";
import { recomputeFunnel, statusQuery, prepareQuery, type Declarations, type Thresholds } from "../../../src/lib/attrition/index.js";
import {
  DECLARATIONS, PIPELINE_STAGES, REASONS, STAGES, decide, filterCandidate, formatValue, funnelOf, funnelRows, num, resolveConfig, resultColumns, ruleFor, stageDecl,
  type CandidateResult, type FilterConfig, type Lexicon, type PipelineContext, type PipelineStage, type ResolvedConfig, type StageId,
} from "../../../src/lib/filter/index.js";
import { loadLexicon } from "../../../src/lib/filter/node.js";
import { openDuckDB } from "../explore/duckdb.js";

// --- The new stage: everything it is, in one place. ---

/** What its rule reads: the transformed caption's length in characters (null: the transform did not run). */
interface CaptionLengthFeatures {
  caption_chars: number | null;
}

const rule = ruleFor<CaptionLengthFeatures>();
const RULES = [
  rule({
    reason: "caption_too_short", description: "transformed caption shorter than caption-length.minChars characters", reads: ["caption_chars"], shown: "caption_out",
    options: { minChars: { type: "integer", min: 0, default: 25, doc: "fewest characters a transformed caption keeps" } },
    rejects: (f, o) => f.caption_chars !== null && f.caption_chars < o.minChars,
    sql: (o) => `coalesce(caption_chars < ${num(o.minChars)}, FALSE)`,
    explain: { feature: "characters after the transform", value: (f) => (f.caption_chars === null ? "none" : formatValue(f.caption_chars)), threshold: (o) => `≥ ${o.minChars}` },
  }),
] as const;
type CaptionLengthOptions = { minChars: number };

const CAPTION_LENGTH_DECL = stageDecl<CaptionLengthFeatures, CaptionLengthOptions>()({
  id: "caption-length", description: "the transformed caption must be long enough", reference: null,
  optIn: true, level: "candidate", options: {}, rules: RULES, derived: [],
});

const CAPTION_LENGTH_STAGE: PipelineStage = {
  decl: CAPTION_LENGTH_DECL as unknown as PipelineStage["decl"],
  columns: [{ name: "caption_chars", type: "int32", nullable: true, description: "characters of the transformed caption", empty: null }],
  run(_c, row, ctx) {
    const chars = row.caption_out === null ? null : [...row.caption_out].length;
    row.caption_chars = chars;
    const options = (ctx.resolved.config as unknown as Record<string, CaptionLengthOptions>)["caption-length"]!;
    return [decide(CAPTION_LENGTH_DECL.rules, { caption_chars: chars }, options, ctx.allReasons)];
  },
};

/** The new reason is outside the built-in union of statuses (Status): compared as a string. */
const shortOne = (r: CandidateResult): boolean => (r.status as string) === "caption_too_short";

// --- Its one line: the stage list with it after the transform. ---

const at = PIPELINE_STAGES.findIndex((s) => s.decl.id === "transform") + 1;
const LIST: PipelineStage[] = [...PIPELINE_STAGES.slice(0, at), CAPTION_LENGTH_STAGE, ...PIPELINE_STAGES.slice(at)];
const DECLS: Declarations = LIST.map((s) => s.decl as unknown as Declarations[number]);

// A run with it: cc3m's text and transform stages, then the new one (its options beside the preset's).
const cc3m = resolveConfig("cc3m", { stages: ["text", "transform"] });
const stages = [...cc3m.stages, "caption-length"] as StageId[];
const resolved = { ...cc3m, stages, config: { ...cc3m.config, "caption-length": { minChars: 25 } } as FilterConfig } as ResolvedConfig;

const ALTS = [
  "A dog runs on the beach.",
  "A small red boat floats on the calm water near the old wooden pier.",
  "The cat sits on a mat.",
  "A man in a blue coat walks along the river at sunset.",
  "dog",
  "A bird on a branch.",
  "The view of a mountain lake from the top of the trail.",
  null,
];

describe("adding a stage is its declaration and stage object, and one line in the stage list", () => {
  let lexicon: Lexicon;
  let rows: CandidateResult[];

  beforeAll(async () => {
    lexicon = await loadLexicon();
    const ctx: PipelineContext = { resolved, skipped: {}, lexicon, wordnet: lexicon.wordnet, models: { nsfw: null, labelers: [] }, allReasons: true };
    rows = [];
    for (const [i, alt] of ALTS.entries()) rows.push(await filterCandidate({ id: `c-${i}`, alt, url: null }, ctx, LIST));
  }, 120_000);

  it("leaves the built-in pipeline as it is: no stage, reason or declaration of it outside this file", () => {
    expect(STAGES).not.toContain("caption-length");
    expect(REASONS).not.toContain("caption_too_short");
    expect(DECLARATIONS.map((d) => d.id)).not.toContain("caption-length");
    expect(resultColumns(resolved.stages).map((c) => c.name)).not.toContain("caption_chars");
  });

  it("filterCandidate runs it after the transform: its column in every row, its reason where the caption is short", () => {
    for (const r of rows) expect(r.caption_chars).toBe(r.caption_out === null ? null : [...(r.caption_out as string)].length);
    const short = rows.filter((r) => shortOne(r));
    expect(short.length).toBeGreaterThan(0);
    for (const r of short) {
      expect(r.rejected_stage).toBe("caption-length");
      expect(r.caption_chars as number).toBeLessThan(25);
    }
    expect(rows.some((r) => r.status === "kept")).toBe(true);
    // An earlier stage's rejection comes first; with all reasons the new rule still records its own verdict.
    expect(rows.some((r) => !shortOne(r) && r.all_reasons.includes("caption_too_short"))).toBe(true);
  });

  it("the funnel counts it as a stage of its own, conserved, with its rule's row", () => {
    const funnel = funnelOf(rows, stages, {}, true, LIST);
    expect(funnel.stages.map((s) => s.stage)).toEqual(["text", "transform", "caption-length"]);
    const stage = funnel.stages[2]!;
    expect(stage.in).toBe(funnel.stages[1]!.kept);
    expect(stage.rejected).toBe(rows.filter((r) => shortOne(r)).length);
    expect(funnelRows(funnel).filter((r) => r.stage === ("caption-length" as StageId)).map((r) => r.reason)).toEqual([null, "caption_too_short"]);
  });

  it("the stored schema gets its column after the transform's, and the attrition SQL recomputes every status the pipeline wrote", async () => {
    const columns = resultColumns(stages, LIST);
    const names = columns.map((c) => c.name);
    expect(names.indexOf("caption_chars")).toBe(names.indexOf("transform_changed") + 1);
    const db = await openDuckDB();
    await db.insertArrowIPC("stored", toArrowIPC(tableFromRows(rows, columns)));
    await db.query(prepareQuery("stored", "candidates", stages, DECLS));
    const thresholds: Thresholds = { stages, config: resolved.config, entityTypeThreshold: 0, declarations: DECLS };
    const recomputed = new Map(db.run(statusQuery("candidates", thresholds)).map((r) => [r.id, r.status]));
    for (const r of rows) expect([r.id, recomputed.get(r.id)]).toEqual([r.id, r.status]);
    const funnel = await recomputeFunnel(db, "candidates", thresholds);
    expect(funnel.stages.find((s) => s.stage === ("caption-length" as StageId))?.rejected).toBe(rows.filter((r) => shortOne(r)).length);
    // A looser threshold, in SQL alone: the new rule rejects nothing at 0 characters.
    const off = await recomputeFunnel(db, "candidates", { ...thresholds, config: { ...resolved.config, "caption-length": { minChars: 0 } } as FilterConfig });
    expect(off.rules.find((r) => r.reason === ("caption_too_short" as never))?.first).toBe(0);
  });
});
