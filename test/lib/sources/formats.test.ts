import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectFormat, openSource, tablesOf, type SourceBatch } from "../../../src/lib/sources/index.js";
import { makeWarc } from "./warc-fixtures.js";

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ccw-formats-"));
  await writeFile(file("cc3m.tsv"), "a caption\thttp://a.com/1.jpg\nanother\thttp://a.com/2.jpg\n");
  await writeFile(file("cc12m.tsv.gz"), gzipSync("http://a.com/1.jpg\ta caption\n"));
  await writeFile(file("labels.tsv"), "c\thttp://a.com/1\tdog\t/m/1\t0.5\n");
  await writeFile(file("results.json"), JSON.stringify([{ image_id: 1, caption: "a dog" }]));
  await writeFile(file("caps.json"), JSON.stringify({ images: [{ id: 1, file_name: "1.jpg", width: 640, height: 480 }], annotations: [{ id: 5, image_id: 1, caption: "A dog." }] }));
  await writeFile(file("inst.json"), JSON.stringify({ images: [{ id: 1, file_name: "1.jpg" }], annotations: [{ id: 9, image_id: 1, category_id: 18, bbox: [1, 2, 3, 4], area: 12, iscrowd: 0 }], categories: [{ id: 18, name: "dog", supercategory: "animal" }] }));
  await writeFile(file("crawl.warc.gz"), (await makeWarc([{ url: "https://a.com/", body: "<img src=x.jpg alt=x>" }], true)).bytes);
  await writeFile(file("crawl.bin"), (await makeWarc([{ url: "https://a.com/", body: "<img src=x.jpg alt=x>" }], false)).bytes);
  await writeFile(file("prose.txt"), "Once upon a time\nthere was no tab\n");
  await writeFile(file("odd.json"), JSON.stringify({ hello: "world" }));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

async function all(batches: AsyncGenerator<SourceBatch>) {
  const tables: object[][] = [];
  const errors = [];
  for await (const b of batches) {
    b.tables.forEach((rows, i) => (tables[i] ??= []).push(...rows));
    errors.push(...b.errors);
  }
  return { tables, errors };
}

describe("detectFormat()", () => {
  it("recognises every format from its name or first bytes", async () => {
    expect(await detectFormat(file("cc3m.tsv"))).toBe("cc3m");
    expect(await detectFormat(file("cc12m.tsv.gz"))).toBe("cc12m");
    expect(await detectFormat(file("labels.tsv"))).toBe("cc-labels");
    expect(await detectFormat(file("results.json"))).toBe("coco-results");
    expect(await detectFormat(file("caps.json"))).toBe("coco-captions");
    expect(await detectFormat(file("inst.json"))).toBe("coco-instances");
    expect(await detectFormat(file("crawl.warc.gz"))).toBe("warc");
    expect(await detectFormat(file("crawl.bin"))).toBe("warc");
    expect(await detectFormat(dir)).toBe("images");
  });

  it("says which formats are valid when it cannot tell", async () => {
    await expect(detectFormat(file("prose.txt"))).rejects.toThrow(/pass --format \(valid: cc3m, cc12m, cc-labels, coco-captions/);
    await expect(detectFormat(file("odd.json"))).rejects.toThrow(/neither COCO captions, instances nor results/);
  });
});

describe("openSource()", () => {
  it("turns COCO captions and instances into flat rows joined with their images and categories", async () => {
    const caps = await all(openSource("coco-captions", file("caps.json")).batches);
    expect(caps.tables[0]).toEqual([{ id: 5, image_id: 1, caption: "A dog.", file_name: "1.jpg", width: 640, height: 480 }]);
    const inst = await all(openSource("coco-instances", file("inst.json")).batches);
    expect(inst.tables[0]).toEqual([{ id: 9, image_id: 1, category_id: 18, category: "dog", supercategory: "animal", bbox_x: 1, bbox_y: 2, bbox_w: 3, bbox_h: 4, area: 12, iscrowd: false, file_name: "1.jpg" }]);
  });

  it("counts JSON with wrong types and JSON that does not parse", async () => {
    await writeFile(file("bad.json"), '{"annotations": [{"image_id": "one", "caption": "x"}, {"image_id": 2, "caption": ["list"]}, {"image_id": 3, "caption": "ok"}]}');
    const bad = await all(openSource("coco-captions", file("bad.json")).batches);
    expect(bad.tables[0]).toHaveLength(1);
    expect(bad.errors.map((e) => [e.kind, e.where])).toEqual([["wrong_type", "annotations[0]"], ["wrong_type", "annotations[1]"]]);
    await writeFile(file("broken.json"), '{"annotations": [');
    const broken = await all(openSource("coco-captions", file("broken.json")).batches);
    expect(broken.errors.map((e) => e.kind)).toEqual(["bad_json"]);
  });

  it("gives WARC input two tables: candidates and image responses", async () => {
    expect(tablesOf("warc").map((t) => t.name)).toEqual(["warc_candidates", "warc_images"]);
    const warc = await all(openSource("warc", file("crawl.warc.gz")).batches);
    expect(warc.tables[0]).toHaveLength(1);
  });
});
