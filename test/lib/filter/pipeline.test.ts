import { describe, expect, it } from "vitest";
import {
  applyEntityTypeFilter, checkConservation, ConservationError, entityTypeThreshold, filterCandidate, funnelOf, mergeFunnels, noiseClassScores,
  resolveConfig, type Candidate, type CandidateResult,
} from "../../../src/lib/filter/index.js";
import { createContext, planRun, runCandidates } from "../../../src/lib/filter/node.js";
import { generateCrawl } from "../../../src/lib/synth/index.js";
import { defaultNameLists } from "../../../src/lib/synth/node-index.js";

const captions = (texts: (string | null)[]): Candidate[] => texts.map((alt, i) => ({ id: `t:${i + 1}`, alt, url: `https://example.com/${i}.jpg` }));

const CAPTION_ONLY = { captionOnly: true, hasLabels: false, cnnAvailable: false };

describe("planRun()", () => {
  it("skips the image stage for caption-only input and grounding without a labeler, saying why", () => {
    const plan = planRun(resolveConfig("cc3m"), CAPTION_ONLY);
    expect(plan.skipped.image).toMatch(/caption-only/);
    expect(plan.skipped.grounding).toMatch(/labels/);
    expect(plan.skipped.text).toBeUndefined();
    expect(plan.nsfw).toBe(false);
  });

  it("uses labels in the input for grounding, and skips entity types when the preset does not hypernymize", () => {
    expect(planRun(resolveConfig("cc3m"), { ...CAPTION_ONLY, hasLabels: true }).labelers).toEqual(["input", "tsv"]);
    expect(planRun(resolveConfig("cc12m"), CAPTION_ONLY).skipped["entity-type"]).toMatch(/not among the stages/);
    expect(planRun(resolveConfig("cc3m", { overrides: ["transform.mode=none"] }), CAPTION_ONLY).skipped["entity-type"]).toMatch(/hypernymizing/);
  });
});

describe("filterCandidate(): every candidate ends with exactly one status", () => {
  it("runs text, grounding and transform and records the first rejecting rule", async () => {
    const resolved = resolveConfig("cc3m");
    const ctx = await createContext(planRun(resolved, { ...CAPTION_ONLY, hasLabels: true }));
    const withLabels = (c: Candidate, names: string[]): Candidate => ({ ...c, labels: { source: "tsv", labels: names.map((name) => ({ name, confidence: 1 })) } });
    const [ok, lower, ungrounded] = captions(["Tom Cruise with a dog on the beach in Paris", "a dog on the beach", "A cat on a sofa in the kitchen"]);
    const kept = await filterCandidate(withLabels(ok!, ["dog", "sand"]), ctx);
    expect(kept).toMatchObject({ status: "kept", rejected_stage: null, labeler: "tsv", matched_labels: ["dog"], caption_out: "person with a dog on the beach" });
    expect((await filterCandidate(withLabels(lower!, ["dog"]), ctx)).status).toBe("first_word_lowercase");
    const g = await filterCandidate(withLabels(ungrounded!, ["dog"]), ctx);
    expect([g.status, g.rejected_stage]).toEqual(["no_label_match", "grounding"]);
    ctx.dispose();
  });
});

describe("the funnel conserves counts and checks it", () => {
  const rows = (statuses: string[]) => statuses.map((status) => ({ status, all_reasons: status === "kept" ? [] : [status] })) as Pick<CandidateResult, "status" | "all_reasons">[];

  it("in = kept + rejected per stage; each stage's input is the previous stage's kept", () => {
    const f = funnelOf(rows(["kept", "nsfw", "no_noun", "no_noun", "no_label_match", "kept"]), ["image", "text", "grounding", "transform"], {});
    expect(f.stages.map((s) => [s.stage, s.in, s.kept, s.rejected])).toEqual([
      ["image", 6, 5, 1], ["text", 5, 3, 2], ["grounding", 3, 2, 1], ["transform", 2, 2, 0],
    ]);
    expect(f.stages[1]!.byReason.no_noun).toBe(2);
    expect(f.kept).toBe(2);
  });

  it("throws ConservationError on a funnel that does not add up", () => {
    const f = funnelOf(rows(["kept", "no_noun"]), ["text"], {});
    expect(() => checkConservation({ ...f, stages: [{ ...f.stages[0]!, kept: 2 }] })).toThrow(ConservationError);
    expect(() => checkConservation({ ...f, kept: 0 })).toThrow(/not conserved/);
  });

  it("merges shard funnels stage by stage", () => {
    const a = funnelOf(rows(["kept", "no_noun"]), ["text"], {});
    const b = funnelOf(rows(["no_noun", "no_noun", "kept"]), ["text"], {});
    const m = mergeFunnels([a, b]);
    expect([m.input, m.kept, m.stages[0]!.byReason.no_noun]).toEqual([5, 2, 3]);
  });
});

describe("the entity-type filter", () => {
  it("scales the paper's 100-per-3.3M threshold with the input size unless given an absolute one", () => {
    const o = resolveConfig("cc3m").config["entity-type"];
    expect(entityTypeThreshold(o, 3_318_333)).toBeCloseTo(100);
    expect(entityTypeThreshold(o, 33_183_330)).toBeCloseTo(1000);
    expect(entityTypeThreshold({ ...o, minCount: 2 }, 10)).toBe(2);
  });

  it("rejects kept pairs with a type at or below the threshold", () => {
    const resolved = resolveConfig("cc3m", { overrides: ["entity-type.minCount=1"] });
    const results = [["person"], ["person"], ["city"], []].map((types, i) => ({ status: "kept", rejected_stage: null, all_reasons: [], entity_types: types, id: String(i) })) as unknown as CandidateResult[];
    const { counts } = applyEntityTypeFilter(results, resolved);
    expect(counts.get("person")).toBe(2);
    expect(results.map((r) => r.status)).toEqual(["kept", "kept", "rare_entity_type", "kept"]);
  });
});

describe("runCandidates(): worker threads", () => {
  it("gives the same results in the same order for 1 and 2 workers", async () => {
    const texts = Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? `A dog number ${i} on the beach in Paris` : i % 3 === 1 ? `#tag${i} #beach` : null));
    const plan = planRun(resolveConfig("cc3m"), CAPTION_ONLY);
    const one = await runCandidates(captions(texts), plan, { workers: 1 });
    const two = await runCandidates(captions(texts), plan, { workers: 2 });
    expect(two).toEqual(one);
    expect(one.map((r) => r.id)).toEqual(captions(texts).map((c) => c.id));
  }, 60_000);
});

describe("text-filter accuracy on the synthetic crawl (every alt-text's noise class is known)", () => {
  it("rejects every empty, hashtag and file-name alt-text and keeps most good ones", async () => {
    const crawl = generateCrawl({ seed: "filter-test", pages: 150 }, defaultNameLists());
    const plan = planRun(resolveConfig("cc3m", { stages: ["text"] }), CAPTION_ONLY);
    const candidates = crawl.images.map((im): Candidate => ({ id: im.id, alt: im.alt.present ? im.alt.text : null, url: im.url, noiseClass: im.alt.noiseClass }));
    const results = await runCandidates(candidates, plan, { workers: 1 });
    const { classes, precision, recall } = noiseClassScores(results);
    const share = (c: string) => classes.find((x) => x.noise_class === c)!.keptShare;
    expect(share("empty")).toBe(0);
    expect(share("hashtags")).toBe(0);
    expect(share("file-name")).toBe(0);
    expect(share("good")).toBeGreaterThan(0.85);
    expect(precision).toBeGreaterThan(0.8);
    expect(recall).toBeGreaterThan(0.4);
  }, 60_000);
});
