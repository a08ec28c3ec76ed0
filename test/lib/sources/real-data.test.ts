// Reads the real datasets in ../shared/datasets (never copied into the repository); skips with a
// message where they are absent.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { openSource, readCc3mTsv, readImageFolder, type SourceBatch } from "../../../src/lib/sources/index.js";
import { drain, HAVE_SHARED, SHARED } from "./helpers.js";

if (!HAVE_SHARED) console.warn(`real-data tests skipped: ${SHARED} is absent (the shared datasets live beside the repository)`);

const CC3M_VAL = join(SHARED, "conceptual-captions", "Validation_GCC-1.1.0-Validation.tsv");
const COCO = join(SHARED, "coco-mini");

async function all(batches: AsyncGenerator<SourceBatch>) {
  const rows: object[] = [];
  const errors = [];
  for await (const b of batches) {
    rows.push(...b.tables[0]!);
    errors.push(...b.errors);
  }
  return { rows, errors };
}

describe.skipIf(!HAVE_SHARED)("real data: CC3M validation TSV", () => {
  it("reads every line of the file as a row, none lost, in small batches", async () => {
    const bytes = readFileSync(CC3M_VAL);
    // Count records independently of the reader: newline-terminated lines (the file ends with one).
    let lines = 0;
    for (const b of bytes) if (b === 0x0a) lines++;
    const { rows, errors, batches } = await drain(readCc3mTsv(CC3M_VAL, { batchSize: 1000 }));
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(lines);
    // Note: the dataset's documentation gives 15,840 validation pairs; this copy of the file has 15,833 lines.
    expect(lines).toBe(15_833);
    expect(batches).toBeGreaterThanOrEqual(16);
    expect(rows.map((r) => r.line)).toEqual(Array.from({ length: lines }, (_, i) => i + 1));
    expect(rows[0]).toEqual({ line: 1, caption: "author : a life in photography -- in pictures", url: "https://i.pinimg.com/736x/66/01/6c/66016c3ba27c0e04f39e2bd81a934e3e--anita-ekberg-bob-hope.jpg" });
    // Byte-for-byte: re-serialising the rows gives the file back.
    expect(rows.map((r) => `${r.caption}\t${r.url}\n`).join("")).toBe(bytes.toString("utf-8"));
  });
});

describe.skipIf(!HAVE_SHARED)("real data: coco-mini", () => {
  it("reads the captions annotations: 5 captions per train image, joined with file names", async () => {
    const json = JSON.parse(readFileSync(join(COCO, "annotations", "captions_train2017.json"), "utf-8")) as { annotations: unknown[] };
    const { rows, errors } = await all(openSource("coco-captions", join(COCO, "annotations", "captions_train2017.json")).batches);
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(json.annotations.length);
    expect(rows).toHaveLength(400);
    expect(rows.every((r) => typeof (r as { file_name: unknown }).file_name === "string")).toBe(true);
    const files = new Set(readdirSync(join(COCO, "train2017")));
    expect(new Set(rows.map((r) => (r as { file_name: string }).file_name)).size).toBe(80);
    expect(rows.every((r) => files.has((r as { file_name: string }).file_name))).toBe(true);
  });

  it("reads the instances annotations with category names and boxes", async () => {
    for (const split of ["train2017", "val2017"]) {
      const path = join(COCO, "annotations", `instances_${split}.json`);
      const json = JSON.parse(readFileSync(path, "utf-8")) as { annotations: unknown[]; categories: unknown[] };
      const { rows, errors } = await all(openSource("coco-instances", path).batches);
      expect(errors).toEqual([]);
      expect(rows).toHaveLength(json.annotations.length);
      expect(json.categories).toHaveLength(80);
      for (const r of rows as { category: string; bbox_w: number; bbox_h: number }[]) {
        expect(r.category.length).toBeGreaterThan(0);
        expect(r.bbox_w).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it("reads the image folder with sizes that match the images array and the decoder", async () => {
    const json = JSON.parse(readFileSync(join(COCO, "annotations", "captions_train2017.json"), "utf-8")) as { images: { file_name: string; width: number; height: number }[] };
    const declared = new Map(json.images.map((i) => [i.file_name, [i.width, i.height]]));
    const { rows, errors } = await drain(readImageFolder(join(COCO, "train2017")));
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(80);
    for (const r of rows) {
      expect([r.format, r.status]).toEqual(["jpeg", "ok"]);
      expect([r.width, r.height]).toEqual(declared.get(r.file));
    }
    const first = rows[0]!;
    const meta = await sharp(join(COCO, "train2017", first.file)).metadata();
    expect([first.width, first.height]).toEqual([meta.width, meta.height]);
  });
});
