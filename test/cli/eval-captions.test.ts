import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ccw } from "./run-ccw.js";
import { COCO_MINI, COCO_MINI_SKIP, HAS_COCO_MINI, VECTOR_CANDIDATES, VECTOR_REFERENCES } from "../lib/metrics/fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "ccw-eval-captions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

// The reference test vector as COCO files, plus one malformed result and one result for an unknown image.
const annotations = file("captions.json", {
  images: [{ id: 1 }, { id: 2 }],
  annotations: VECTOR_REFERENCES.flatMap((refs, i) => refs.map((caption) => ({ image_id: i + 1, caption }))),
});
const results = file("results.json", [
  ...VECTOR_CANDIDATES.map((caption, i) => ({ image_id: i + 1, caption })),
  { image_id: "3", caption: "string id" },
  { image_id: 99, caption: "no such image" },
]);
const instances = file("instances.json", {
  categories: [{ id: 1, name: "person" }, { id: 16, name: "bird" }],
  // Image 1 is annotated with a bird only: its caption's "man" is absent from the boxes but named by its references.
  annotations: [{ image_id: 1, category_id: 16, bbox: [0, 0, 10, 10] }],
});

describe("ccw eval-captions", () => {
  it("prints the toolkit's BLEU-1..4, ROUGE-L and CIDEr-D for the reference test vector, and a summary", async () => {
    const { code, out, err } = await ccw("eval-captions", "--results", results, "--annotations", annotations);
    expect(code).toBe(0);
    expect(out).toMatch(/BLEU-1\s+0\.4278/);
    expect(out).toMatch(/BLEU-4\s+0\.4565/);
    expect(out).toMatch(/ROUGE-L\s+0\.4871/);
    expect(out).toMatch(/CIDEr-D\s+0\.9614/);
    expect(out).not.toMatch(/CHAIR/);
    expect(out).toMatch(/Summary: 2 images evaluated in [\d.]+ s; 2 malformed or unmatched entries skipped \(results 2, annotations 0\)/);
    expect(err).toMatch(/wrong_type: results\[2\]: "image_id" must be an integer, got "3" \(a string\)/);
    expect(err).toMatch(/unknown_id: results\[3\]: image_id 99 has no reference captions/);
  });

  it("adds CHAIR with --instances, and --json gives per-image scores and hallucinated words", async () => {
    const { code, out } = await ccw("eval-captions", "--results", results, "--annotations", annotations, "--instances", instances, "--chair-truth", "instances", "--json");
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.metrics["CIDEr-D"]).toBeCloseTo(0.9614, 4);
    expect(report.metrics["CHAIR-i"]).toBe(1);
    expect(report.metrics["CHAIR-s"]).toBe(0.5);
    expect(report.perImage[0].hallucinated).toEqual([{ word: "man", category: "person" }]);
    expect(report.perImage.map((i: { imageId: number }) => i.imageId)).toEqual([1, 2]);
    expect(report.perImage[0].ciderD).toBeCloseTo(1.3641, 4);
    expect(report.perImage[0].bleu).toHaveLength(4);
    expect(report.errorCounts.results).toMatchObject({ wrong_type: 1, unknown_id: 1 });
    expect(report.errors.map((e: { file: string; where: string }) => `${e.file} ${e.where}`)).toEqual(["results results[2]", "results results[3]"]);
  });

  it("counts objects named by the references as present by default, as the original CHAIR", async () => {
    const { code, out } = await ccw("eval-captions", "--results", results, "--annotations", annotations, "--instances", instances);
    expect(code).toBe(0);
    expect(out).toMatch(/CHAIR-i\s+0\.0000\s+0 of 1 object mentions hallucinated/);
    expect(out).toMatch(/CHAIR-s\s+0\.0000/);
    expect(out).toMatch(/CHAIR truth: instances\+captions/);
  });

  it("--help lists every option with its default", async () => {
    const { code, out } = await ccw("eval-captions", "--help");
    expect(code).toBe(0);
    for (const option of ["--results <file>", "--annotations <file>", "--instances <file>", "--chair-truth <which>", "--specificity", "--json"]) expect(out).toContain(option);
    expect(out).toMatch(/default: instances\+captions/);
  });

  it("exits 2 naming what is missing or wrong in the arguments", async () => {
    expect(await ccw("eval-captions", "--annotations", annotations)).toMatchObject({ code: 2, err: expect.stringMatching(/--results is required/) });
    expect(await ccw("eval-captions")).toMatchObject({ code: 2, err: expect.stringMatching(/--results and --annotations are required/) });
    const badTruth = await ccw("eval-captions", "--results", results, "--annotations", annotations, "--instances", instances, "--chair-truth", "boxes");
    expect(badTruth).toMatchObject({ code: 2, err: expect.stringMatching(/--chair-truth must be one of instances\+captions, instances, got "boxes"/) });
    expect((await ccw("eval-captions", "--results", results, "--annotations", annotations, "--chair-truth", "instances")).err).toMatch(/--chair-truth needs --instances/);
  });

  it("exits 2 on a missing file, non-JSON text or a document of the wrong shape, naming the file and what was expected", async () => {
    const missing = await ccw("eval-captions", "--results", join(dir, "nope.json"), "--annotations", annotations);
    expect(missing).toMatchObject({ code: 2, err: expect.stringMatching(/cannot read --results .*nope\.json \(ENOENT\); expected a JSON array of \{"image_id", "caption"\}/) });
    const notJson = await ccw("eval-captions", "--results", results, "--annotations", file("broken.json", "{ not json"));
    expect(notJson).toMatchObject({ code: 2, err: expect.stringMatching(/--annotations .*broken\.json is not JSON: .*; expected a COCO captions JSON object/) });
    const swapped = await ccw("eval-captions", "--results", annotations, "--annotations", results);
    expect(swapped).toMatchObject({ code: 2, err: expect.stringMatching(/--results .*captions\.json: expected a COCO caption results file \(an array of \{image_id, caption\}\), got an object/) });
  });

  it("exits 1 when no result matches an annotated image", async () => {
    const stray = file("stray.json", [{ image_id: 42, caption: "a dog" }]);
    const { code, err } = await ccw("eval-captions", "--results", stray, "--annotations", annotations);
    expect(code).toBe(1);
    expect(err).toMatch(/nothing to evaluate: none of the 1 results has reference captions/);
  });
});

describe(`ccw eval-captions on coco-mini${COCO_MINI_SKIP}`, () => {
  it.skipIf(!HAS_COCO_MINI)("evaluates a leave-one-out results file against the remaining captions, with CHAIR and specificity", async () => {
    const captions = JSON.parse(readFileSync(join(COCO_MINI, "captions_train2017.json"), "utf-8")) as { annotations: { image_id: number; caption: string }[] };
    const seen = new Set<number>();
    const candidates: { image_id: number; caption: string }[] = [];
    const references = captions.annotations.filter((a) => {
      if (seen.has(a.image_id)) return true;
      seen.add(a.image_id);
      candidates.push({ image_id: a.image_id, caption: a.caption });
      return false;
    });
    const refsFile = file("mini-refs.json", { ...captions, annotations: references });
    const resultsFile = file("mini-results.json", candidates);
    const { code, out } = await ccw("eval-captions", "--results", resultsFile, "--annotations", refsFile, "--instances", join(COCO_MINI, "instances_train2017.json"), "--specificity", "--json");
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.images).toBe(80);
    expect(report.imagesWithoutResult).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.metrics["BLEU-4"]).toBeGreaterThan(0.1);
    expect(report.metrics["CIDEr-D"]).toBeGreaterThan(0.5);
    expect(report.metrics["CHAIR-i"]).toBeLessThan(0.1);
    expect(report.specificity.vocabularySize).toBeGreaterThan(200);
    expect(report.perImage).toHaveLength(80);
  });
});
