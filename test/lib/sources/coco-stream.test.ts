import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCocoBatches } from "../../../src/lib/sources/coco-stream.js";
import { emptyScanResult, jsonArrayElements } from "../../../src/lib/sources/json-stream.js";
import { chunked, utf8 } from "./helpers.js";

async function elements(text: string, wanted: string[], chunk: number) {
  const result = emptyScanResult();
  const out: [string, number, unknown][] = [];
  for await (const e of jsonArrayElements(chunked(utf8(text), chunk), new Set(wanted), result)) out.push([e.key, e.index, JSON.parse(e.text)]);
  return { out, result };
}

describe("jsonArrayElements()", () => {
  it("cuts out the elements of the wanted top-level arrays, whatever the chunking", async () => {
    const doc = JSON.stringify({ info: { nested: [1, 2, { "]": "[" }] }, "k\"ey": "v", images: [{ id: 1, f: "a,b]" }], annotations: [{ c: 'he said "hi", [ok]' }, 7, "s", [1, [2]], null] }, null, 2);
    for (const chunk of [1, 3, 7, 4096]) {
      const { out, result } = await elements(doc, ["annotations"], chunk);
      expect(out).toEqual([["annotations", 0, { c: 'he said "hi", [ok]' }], ["annotations", 1, 7], ["annotations", 2, "s"], ["annotations", 3, [1, [2]]], ["annotations", 4, null]]);
      expect([...result.keys]).toEqual([["info", "object"], ['k"ey', "string"], ["images", "array"], ["annotations", "array"]]);
      expect(result.error).toBeNull();
    }
  });

  it("reads a root array with key \"\"", async () => {
    const { out, result } = await elements('[ {"image_id": 1} , 2 ]', [""], 5);
    expect(out).toEqual([["", 0, { image_id: 1 }], ["", 1, 2]]);
    expect(result.rootArray).toBe(true);
  });

  it("keeps the complete elements of a cut-off document and says it was cut", async () => {
    const { out, result } = await elements('{"annotations": [{"a": 1}, {"b": 2}, {"c":', ["annotations"], 8);
    expect(out.map((o) => o[2])).toEqual([{ a: 1 }, { b: 2 }]);
    expect(result.error).toMatch(/ends before it is complete/);
  });

  it("reports documents that are not objects or arrays, and trailing junk", async () => {
    expect((await elements("hello", ["annotations"], 4)).result.error).toMatch(/starts with "h"/);
    expect((await elements('{"annotations": []} junk', ["annotations"], 4)).result.error).toMatch(/after the end/);
  });
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ccw-coco-stream-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function drainCoco(...args: Parameters<typeof readCocoBatches>) {
  const rows: Record<string, unknown>[] = [];
  const errors: { kind: string; where: string | number; message: string }[] = [];
  let batches = 0;
  for await (const b of readCocoBatches(...args)) {
    rows.push(...(b.rows as Record<string, unknown>[]));
    errors.push(...b.errors);
    batches++;
  }
  return { rows, errors, batches };
}

describe("readCocoBatches()", () => {
  it("streams captions in batches and names bad entries by their position in the whole file", async () => {
    const annotations: unknown[] = Array.from({ length: 35 }, (_, i) => ({ id: i, image_id: 1 + (i % 3), caption: `caption ${i}` }));
    annotations[25] = { id: 25, image_id: "two", caption: "x" };
    const text = JSON.stringify({ images: [{ id: 1, file_name: "1.jpg", width: 10, height: 20 }, { id: 2, file_name: "2.jpg" }], annotations });
    const path = join(dir, "captions.json");
    await writeFile(path, text);
    const { rows, errors, batches } = await drainCoco("coco-captions", path, { batchSize: 10 });
    expect(rows).toHaveLength(34);
    expect(batches).toBeGreaterThanOrEqual(4);
    expect(errors).toEqual([{ kind: "wrong_type", where: "annotations[25]", message: expect.stringMatching(/^annotations\[25\]: "image_id" must be an integer/) }]);
    expect(rows[0]).toEqual({ id: 0, image_id: 1, caption: "caption 0", file_name: "1.jpg", width: 10, height: 20 });
    expect(rows[2]).toMatchObject({ image_id: 3, file_name: null });
  });

  it("reads instances whose categories come after the annotations, from a file and from a stream", async () => {
    const text = `{"images": [{"id": 1, "file_name": "1.jpg"}], "annotations": [
      {"id": 1, "image_id": 1, "category_id": 18, "bbox": [1, 2, 3, 4], "iscrowd": 0},
      {not json},
      {"id": 3, "image_id": 1, "category_id": 99, "bbox": [1, 2, 3, 4]}
    ], "categories": [{"id": 18, "name": "dog", "supercategory": "animal"}, {"id": 18, "name": "again"}]}`;
    const path = join(dir, "instances.json");
    await writeFile(path, text);
    for (const input of [path, chunked(utf8(text), 16)]) {
      const { rows, errors } = await drainCoco("coco-instances", input, { batchSize: 2 });
      expect(rows).toEqual([expect.objectContaining({ id: 1, category: "dog", supercategory: "animal", file_name: "1.jpg" })]);
      expect(errors.map((e) => [e.kind, e.where])).toEqual([["duplicate_id", "categories[1]"], ["bad_json", "annotations[1]"], ["unknown_id", "annotations[2]"]]);
    }
  });

  it("keeps what precedes a cut and counts the cut", async () => {
    const text = '{"annotations": [{"image_id": 1, "caption": "a"}, {"image_id": 2, "caption": "b"}, {"image_id": 3, "capt';
    const { rows, errors } = await drainCoco("coco-captions", utf8(text));
    expect(rows.map((r) => r.image_id)).toEqual([1, 2]);
    expect(errors.map((e) => [e.kind, e.where])).toEqual([["bad_json", "$"]]);
  });

  it("finds duplicate result images across batches and rejects a results file that is not an array", async () => {
    const results = Array.from({ length: 12 }, (_, i) => ({ image_id: i % 10, caption: `c${i}` }));
    const { rows, errors } = await drainCoco("coco-results", utf8(JSON.stringify(results)), { batchSize: 5 });
    expect(rows).toHaveLength(10);
    expect(errors.map((e) => [e.kind, e.where])).toEqual([["duplicate_id", "results[10]"], ["duplicate_id", "results[11]"]]);
    const notArray = await drainCoco("coco-results", utf8('{"annotations": []}'));
    expect(notArray.errors.map((e) => e.kind)).toEqual(["wrong_type"]);
  });

  it("reports a captions file without annotations", async () => {
    const { errors } = await drainCoco("coco-captions", utf8('{"images": []}'));
    expect(errors).toEqual([expect.objectContaining({ kind: "missing_field", where: "annotations" })]);
  });
});
