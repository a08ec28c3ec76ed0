import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC } from "../../../src/lib/arrow/index.js";
import {
  CONTROLS, ENTITY_TYPE_COUNT, activeReasons, controlOverride, controlValue, examplesQuery, funnelFromCounts, prepareQuery, recomputeFunnel, repeatRowsQuery, statusQuery, thresholdsFor,
} from "../../../src/lib/attrition/index.js";
import {
  REASONS, applyNearDuplicateFilter, imageDecision, isFileName, listSegments, resolveConfig, type CandidateResult, type ImageFeatures,
} from "../../../src/lib/filter/index.js";
import { runFilter } from "../../../src/lib/filter/node.js";
import { openDuckDB, type NodeDuck } from "../explore/duckdb.js";

type Row = Record<string, unknown>;

/** An all-reasons run of `preset` over a 40-page crawl, as table "stored" and prepared (with the opt-in `stages` it has) as "candidates". */
async function storedRun(preset: string, stages: readonly string[] = [], overrides: string[] = []): Promise<{ out: string; db: NodeDuck; rows: Row[] }> {
  const out = await mkdtemp(join(tmpdir(), `ccw-attrition-${preset}-`));
  await runFilter({ inputs: ["synth:40:11"], resolved: resolveConfig(preset, { overrides }), out, allReasons: true, workers: 1 });
  const bytes = await readFile(join(out, "candidates.arrow"));
  const db = await openDuckDB();
  await db.insertArrowIPC("stored", bytes);
  await db.query(prepareQuery("stored", "candidates", stages));
  return { out, db, rows: fromArrowIPC(bytes).toArray().map((r) => r.toJSON() as Row) };
}

describe("the attrition SQL over a stored all-reasons cc3m run", () => {
  let out: string;
  let db: NodeDuck;
  let rows: Row[];

  beforeAll(async () => void ({ out, db, rows } = await storedRun("cc3m")), 180_000);

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it("recomputes, under the stored run's preset, every candidate's status as the pipeline wrote it", () => {
    const recomputed = new Map(db.run(statusQuery("candidates", thresholdsFor("cc3m", rows.length))).map((r) => [r.id, r.status]));
    expect(rows.length).toBeGreaterThan(50);
    expect(new Set(rows.map((r) => r.status)).size).toBeGreaterThan(4);
    for (const row of rows) expect([row.id, recomputed.get(row.id)]).toEqual([row.id, row.status]);
  });

  it("rejects at the image stage, for a moved minimum size, what imageDecision rejects over the stored features", async () => {
    const thresholds = thresholdsFor("cc3m", rows.length, { "image.minSidePx": 200 });
    const funnel = await recomputeFunnel(db, "candidates", thresholds);
    const expected = rows.filter((r) => !imageDecision(r as unknown as ImageFeatures, thresholds.config.image).keep).length;
    const atCc3m = await recomputeFunnel(db, "candidates", thresholdsFor("cc3m", rows.length));
    expect(funnel.stages[0]!.rejected).toBe(expected);
    expect(funnel.stages[0]!.rejected).toBeLessThan(atCc3m.stages[0]!.rejected);
  });

  it("lists a rule's examples with the image URL and state a thumbnail needs, and the feature that tripped the rule", () => {
    const shown = db.run(examplesQuery("stored", "image_too_small", 3));
    const expected = rows.filter((r) => (r.all_reasons as string[]).includes("image_too_small")).sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1)).slice(0, 3);
    expect(shown.length).toBe(3);
    expect(shown.map((r) => [r.id, r.url, r.image_state, r.alt_text, r.feature_value])).toEqual(
      expected.map((r) => [r.id, r.url, r.image_state, r.alt_text, Math.min(Number(r.width), Number(r.height))]),
    );
    expect(() => examplesQuery("stored", "no_such_rule" as never)).toThrow(/unknown reason "no_such_rule"; valid: image_missing/);
  });

  it("counts would-reject per rule at least as often as first rejections", async () => {
    const funnel = await recomputeFunnel(db, "candidates", thresholdsFor("cc3m", rows.length));
    for (const rule of funnel.rules) expect(rule.would ?? 0).toBeGreaterThanOrEqual(rule.first);
    expect(funnel.input).toBe(rows.length);
  });

  it("repeats the stored rows to an exact size, each rule's counts scaling with the copies", async () => {
    await db.query(repeatRowsQuery("stored", "stored_x3", rows.length * 3));
    await db.query(prepareQuery("stored_x3", "candidates_x3"));
    const once = await recomputeFunnel(db, "candidates", thresholdsFor("cc3m", rows.length, { [ENTITY_TYPE_COUNT]: 0 }));
    const thrice = await recomputeFunnel(db, "candidates_x3", thresholdsFor("cc3m", rows.length * 3, { [ENTITY_TYPE_COUNT]: 0 }));
    expect(thrice.input).toBe(3 * once.input);
    expect(thrice.stages.map((s) => s.kept)).toEqual(once.stages.map((s) => 3 * s.kept));
  });

  it("runs only the stages a preset lists (datacomp-basic: image and text)", async () => {
    const funnel = await recomputeFunnel(db, "candidates", thresholdsFor("datacomp-basic", rows.length));
    expect(funnel.stages.filter((s) => s.runs).map((s) => s.stage)).toEqual(["image", "text"]);
    expect(funnel.stages.filter((s) => !s.runs).every((s) => s.rejected === 0)).toBe(true);
  });
});

describe("funnelFromCounts()", () => {
  it("feeds each stage with what the stage before it kept", () => {
    const f = funnelFromCounts({ kept: 2, image_too_small: 5, no_noun: 3 }, ["image", "text", "grounding", "transform", "entity-type"]);
    expect(f.stages.map((s) => [s.stage, s.in, s.kept])).toEqual([["image", 10, 5], ["text", 5, 2], ["grounding", 2, 2], ["transform", 2, 2], ["entity-type", 2, 2]]);
  });

  it("refuses a status outside the closed union of reasons, naming it", () => {
    expect(() => funnelFromCounts({ kept: 1, blurry: 2 }, ["image"])).toThrow(/blurry/);
  });

  it("refuses rejections at a stage that does not run", () => {
    expect(() => funnelFromCounts({ kept: 1, no_noun: 2 }, ["image"])).toThrow(/text/);
  });
});

describe("threshold controls", () => {
  it("show a preset's null option at the control's off end, and turn that end back into null", () => {
    const config = resolveConfig("datacomp-basic").config;
    const ratio = CONTROLS.find((c) => c.key === "text.maxNounRatio")!;
    expect(controlValue(ratio, config, 100)).toBe(1);
    expect(controlOverride(ratio, 1)).toBe("text.maxNounRatio=null");
    expect(thresholdsFor("cc3m", 100, { "text.maxNounRatio": 1 }).config.text.maxNounRatio).toBeNull();
  });

  it("show the entity-type threshold the preset scales to the corpus size", () => {
    const control = CONTROLS.find((c) => c.key === ENTITY_TYPE_COUNT)!;
    const options = resolveConfig("cc3m").config["entity-type"];
    expect(controlValue(control, resolveConfig("cc3m").config, 1000)).toBeCloseTo((options.referenceCount * 1000) / options.referenceSize);
    expect(thresholdsFor("cc3m", 1000, { [ENTITY_TYPE_COUNT]: 4 }).entityTypeThreshold).toBe(4);
  });

  it("set only options the filter's option table knows", () => {
    for (const c of CONTROLS) expect(() => thresholdsFor("cc3m", 10, { [c.key]: c.min })).not.toThrow();
  });
});

describe("the attrition SQL re-derives what the stored row leaves out, as the text stage computes it", () => {
  let db: NodeDuck;
  const texts = [
    "IMG_2041.JPG", "photo (3).jpg", "DSC01234", "20140612_1234", "my holiday.png", "a dog on a beach.jpg", "one two three four.jpg", "",
    "dogs, cats, birds, fish", "red shoes | blue shoes | green shoes | cheap shoes online", "a dog - a cat - a bird", "wedding dress / bridal gown / lace",
    "A dog runs on the beach, chasing a ball.", "one, two", "x", "•a•b•c•d", "Straße, Ökologie, Ünïcödé, 😀 emoji", "a ,, b ,, c ,, d",
  ];

  beforeAll(async () => {
    db = await openDuckDB();
    await db.query(`CREATE TABLE texts AS SELECT * FROM (VALUES ${texts.map((t, i) => `(${i}, '${t.replace(/'/g, "''")}')`).join(", ")}) AS v(id, text_clean)`);
    await db.query(`CREATE TABLE stored_texts AS SELECT id::VARCHAR AS id, text_clean, NULL::VARCHAR[] AS entity_types, NULL::VARCHAR AS caption_out FROM texts`);
    await db.query(prepareQuery("stored_texts", "derived_texts"));
  });

  it("file_name, list_segments and short_segments equal isFileName() and listSegments() of the stored text", () => {
    const rows = db.run("SELECT id, file_name, list_segments, short_segments FROM derived_texts ORDER BY id::INTEGER");
    expect(rows.map((r) => [texts[Number(r.id)], r.file_name, Number(r.list_segments), Number(r.short_segments)])).toEqual(
      texts.map((t) => [t, isFileName(t), listSegments(t).segments, listSegments(t).short]),
    );
    expect(rows.filter((r) => r.file_name).length).toBeGreaterThan(3);
    expect(rows.filter((r) => Number(r.short_segments) >= 4).length).toBeGreaterThan(2);
  });
});

describe("the attrition SQL over a stored all-reasons coyo run (with the opt-in near-duplicate stage)", () => {
  let out: string;
  let db: NodeDuck;
  let rows: Row[];
  const stored = ["near-duplicate"];
  // A looser distance than coyo's, so that the crawl (which has no copies) has near-duplicates to recompute.
  const overrides = ["near-duplicate.maxDistance=14"];

  beforeAll(async () => void ({ out, db, rows } = await storedRun("coyo", stored, overrides)), 180_000);

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it("recomputes every candidate's status as the pipeline wrote it, near-duplicates included", () => {
    const { stages, config } = resolveConfig("coyo", { overrides });
    const recomputed = new Map(db.run(statusQuery("candidates", { stages, config, entityTypeThreshold: 0 })).map((r) => [r.id, r.status]));
    expect(rows.filter((r) => typeof r.phash === "string").length).toBeGreaterThan(50);
    expect(rows.filter((r) => r.status === "near_duplicate").length).toBeGreaterThan(0);
    for (const row of rows) expect([row.id, recomputed.get(row.id)]).toEqual([row.id, row.status]);
  });

  it("moves the near-duplicate distance: the SQL rejects what applyNearDuplicateFilter rejects over the stored rows", () => {
    const resolved = resolveConfig("coyo", { overrides: ["near-duplicate.maxDistance=20"] });
    const copies = rows.map((r) => ({ ...r, all_reasons: [...(r.all_reasons as string[])].filter((x) => x !== "near_duplicate") })) as unknown as CandidateResult[];
    applyNearDuplicateFilter(copies, resolved, true);
    const expected = copies.filter((r) => r.all_reasons.includes("near_duplicate")).map((r) => r.id).sort();
    const flagged = db.run(statusQuery("candidates", { stages: resolved.stages, config: resolved.config, entityTypeThreshold: 0 })).filter((r) => r.near_duplicate).map((r) => String(r.id)).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(flagged).toEqual(expected);
  });

  it("covers every rule of every stage between this run and the cc3m one", () => {
    const cc3m = activeReasons(thresholdsFor("cc3m", 1));
    const coyo = activeReasons(thresholdsFor("coyo", 1, {}, stored));
    expect(new Set([...cc3m, ...coyo])).toEqual(new Set(REASONS));
  });

  it("leaves an opt-in stage the stored run lacks out of the recomputed funnel", () => {
    expect(thresholdsFor("coyo", 1).stages).toEqual(["image", "text"]);
    expect(activeReasons(thresholdsFor("coyo", 1))).not.toContain("near_duplicate");
  });
});
