import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  captionsByImage, countCocoErrors, joinCocoResults, objectsByImage, parseCocoJson, readCocoCaptions, readCocoInstances, readCocoResults,
} from "../../../src/lib/sources/index.js";
import { COCO_MINI, COCO_MINI_SKIP, HAS_COCO_MINI } from "../metrics/fixtures.js";

const CATEGORIES = [{ id: 1, name: "person", supercategory: "person" }, { id: 18, name: "dog", supercategory: "animal" }];

describe("readCocoCaptions()", () => {
  it("reads images and captions, keeping annotation ids", () => {
    const read = readCocoCaptions({
      images: [{ id: 7, file_name: "7.jpg", width: 640, height: 480 }],
      annotations: [{ id: 1, image_id: 7, caption: "A dog." }, { image_id: 7, caption: "A puppy." }],
    });
    expect(read).toEqual({
      usable: true,
      errors: [],
      images: [{ id: 7, fileName: "7.jpg", width: 640, height: 480 }],
      captions: [{ id: 1, imageId: 7, caption: "A dog." }, { imageId: 7, caption: "A puppy." }],
    });
  });

  it("counts every malformed entry with its array and index, and reads the rest", () => {
    const read = readCocoCaptions({
      images: [{ id: 7 }, { id: 7 }, { id: "8" }],
      annotations: [
        { image_id: 7, caption: "ok" },
        { image_id: "7", caption: "string id" },
        { image_id: 7 },
        { image_id: 7, caption: "   " },
        { image_id: 7.5, caption: "fraction" },
        "not an object",
      ],
    });
    expect(read.captions).toEqual([{ imageId: 7, caption: "ok" }]);
    expect(read.errors.map((e) => [e.kind, e.where])).toEqual([
      ["wrong_type", "images[2]"],
      ["duplicate_id", "images[1]"],
      ["wrong_type", "annotations[1]"],
      ["missing_field", "annotations[2]"],
      ["empty_field", "annotations[3]"],
      ["bad_number", "annotations[4]"],
      ["wrong_type", "annotations[5]"],
    ]);
    expect(read.errors[2]!.message).toBe('annotations[1]: "image_id" must be an integer, got "7" (a string)');
    expect(read.errors[2]!.index).toBe(1);
    expect(countCocoErrors(read.errors)).toMatchObject({ wrong_type: 3, duplicate_id: 1, missing_field: 1, empty_field: 1, bad_number: 1, unknown_id: 0 });
  });

  it("marks a document of the wrong shape unusable instead of throwing", () => {
    const read = readCocoCaptions([{ image_id: 1, caption: "a results file" }]);
    expect(read.usable).toBe(false);
    expect(read.errors[0]!.message).toMatch(/expected a COCO captions file .* got an array/);
    expect(readCocoCaptions({ images: [] }).errors[0]).toMatchObject({ kind: "missing_field", where: "annotations" });
  });
});

describe("readCocoInstances()", () => {
  it("reads categories and object boxes", () => {
    const read = readCocoInstances({
      categories: CATEGORIES,
      annotations: [{ id: 3, image_id: 7, category_id: 18, bbox: [1, 2, 30, 40], area: 1200, iscrowd: 0 }],
    });
    expect(read.errors).toEqual([]);
    expect(read.objects).toEqual([{ id: 3, imageId: 7, categoryId: 18, bbox: [1, 2, 30, 40], area: 1200, iscrowd: false }]);
    expect(read.categories[1]).toEqual({ id: 18, name: "dog", supercategory: "animal" });
  });

  it("rejects unknown categories naming the valid ids, and malformed boxes", () => {
    const read = readCocoInstances({
      categories: CATEGORIES,
      annotations: [
        { image_id: 7, category_id: 99, bbox: [0, 0, 1, 1] },
        { image_id: 7, category_id: 1, bbox: [0, 0, 1] },
        { image_id: 7, category_id: 1, bbox: [0, 0, -1, 1] },
        { image_id: 7, category_id: 1, bbox: [0, "0", 1, 1] },
        { image_id: 7, category_id: 1 },
        { image_id: 7, category_id: 1, bbox: [0, 0, 1, 1], iscrowd: "yes" },
      ],
    });
    expect(read.objects).toEqual([]);
    expect(read.errors.map((e) => e.kind)).toEqual(["unknown_id", "wrong_type", "bad_number", "bad_number", "missing_field", "wrong_type"]);
    expect(read.errors[0]!.message).toBe("annotations[0]: category_id 99 is not among the file's categories (valid: 1, 18)");
  });

  it("needs both categories and annotations arrays", () => {
    expect(readCocoInstances({ annotations: [] })).toMatchObject({ usable: false, errors: [{ kind: "missing_field", where: "categories" }] });
  });
});

describe("readCocoResults()", () => {
  it("reads [{image_id, caption}], keeps an empty caption and the first of a repeated image", () => {
    const read = readCocoResults([
      { image_id: 1, caption: "a dog" },
      { image_id: 2, caption: "" },
      { image_id: 1, caption: "again" },
      { caption: "no id" },
    ]);
    expect(read.results.map((r) => [r.imageId, r.caption])).toEqual([[1, "a dog"], [2, ""]]);
    expect(read.errors.map((e) => `${e.kind} ${e.where}`)).toEqual(["missing_field results[3]", "duplicate_id results[2]"]);
  });

  it("is unusable when the document is not an array", () => {
    expect(readCocoResults({ annotations: [] })).toMatchObject({ usable: false, errors: [{ where: "$", kind: "wrong_type" }] });
  });
});

describe("parseCocoJson()", () => {
  it("turns a syntax error into a bad_json error", () => {
    expect(parseCocoJson("[{").error).toMatchObject({ kind: "bad_json", where: "$" });
    expect(parseCocoJson("[1]")).toEqual({ json: [1] });
  });
});

describe("joinCocoResults()", () => {
  it("pairs results with references and objects, counting results without references and images without results", () => {
    const refs = captionsByImage([{ imageId: 1, caption: "a" }, { imageId: 1, caption: "b" }, { imageId: 2, caption: "c" }, { imageId: 3, caption: "d" }]);
    const objects = objectsByImage({ categories: CATEGORIES, objects: [{ imageId: 1, categoryId: 18, bbox: [0, 0, 1, 1], iscrowd: false }, { imageId: 1, categoryId: 18, bbox: [0, 0, 2, 2], iscrowd: true }] });
    const join = joinCocoResults([{ imageId: 1, caption: "x" }, { imageId: 9, caption: "y", index: 4 }, { imageId: 2, caption: "z" }], refs, objects);
    expect(join.records).toEqual([
      { imageId: 1, caption: "x", references: ["a", "b"], objects: ["dog"] },
      { imageId: 2, caption: "z", references: ["c"], objects: [] },
    ]);
    expect(join.errors).toEqual([{ kind: "unknown_id", where: "results[4]", index: 4, message: "results[4]: image_id 9 has no reference captions in the annotations" }]);
    expect(join.imagesWithoutResult).toBe(1);
  });
});

describe(`COCO readers on coco-mini${COCO_MINI_SKIP}`, () => {
  it.skipIf(!HAS_COCO_MINI)("read the real annotation files without errors: 5 captions per image, boxes inside their images", () => {
    for (const split of ["train2017", "val2017"]) {
      const captions = readCocoCaptions(JSON.parse(readFileSync(join(COCO_MINI, `captions_${split}.json`), "utf-8")));
      const instances = readCocoInstances(JSON.parse(readFileSync(join(COCO_MINI, `instances_${split}.json`), "utf-8")));
      expect(captions.errors).toEqual([]);
      expect(instances.errors).toEqual([]);
      expect(instances.categories).toHaveLength(80);
      const perImage = captionsByImage(captions.captions);
      expect(perImage.size).toBe(captions.images.length);
      expect(Math.min(...[...perImage.values()].map((c) => c.length))).toBeGreaterThanOrEqual(4);
      const sizes = new Map(instances.images.map((i) => [i.id, i]));
      for (const o of instances.objects) {
        const image = sizes.get(o.imageId)!;
        expect(o.bbox[0] + o.bbox[2]).toBeLessThanOrEqual(image.width! + 1);
        expect(o.bbox[1] + o.bbox[3]).toBeLessThanOrEqual(image.height! + 1);
      }
    }
  });
});
