import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readImageFolder } from "../../../src/lib/sources/index.js";
import { makeImage } from "../images/fixtures.js";
import { drain } from "./helpers.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ccw-folder-"));
  await mkdir(join(dir, "sub"));
  await writeFile(join(dir, "a.jpg"), await makeImage("jpeg", 640, 480));
  await writeFile(join(dir, "b.png"), await makeImage("png", 100, 50));
  await writeFile(join(dir, "sub", "c.webp"), await makeImage("webp", 30, 40));
  await writeFile(join(dir, "mislabelled.jpg"), await makeImage("gif", 20, 20)); // a GIF named .jpg
  await writeFile(join(dir, "notes.txt"), "not an image");
  const jpeg = await makeImage("jpeg", 200, 200);
  await writeFile(join(dir, "cut.jpg"), jpeg.subarray(0, jpeg.length / 2));
  await writeFile(
    join(dir, "captions.jsonl"),
    [
      JSON.stringify({ file: "a.jpg", caption: "a gradient" }),
      JSON.stringify({ file: "a.jpg", caption: "a second caption" }),
      JSON.stringify({ file: "sub/c.webp", caption: "nested" }),
      "{not json",
      JSON.stringify({ file: "b.png", caption: 42 }),
      JSON.stringify(["b.png", "x"]),
      JSON.stringify({ file: "b.png" }),
      JSON.stringify({ file: "gone.jpg", caption: "no such file" }),
    ].join("\n"),
  );
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("readImageFolder()", () => {
  it("emits one row per (image, caption) with facts from the bytes, and counts everything else", async () => {
    const { rows, errors } = await drain(readImageFolder(dir));
    expect(rows.map((r) => [r.file, r.caption, r.format, r.width, r.height, r.status])).toEqual([
      ["a.jpg", "a gradient", "jpeg", 640, 480, "ok"],
      ["a.jpg", "a second caption", "jpeg", 640, 480, "ok"],
      ["b.png", null, "png", 100, 50, "ok"],
      ["cut.jpg", null, "jpeg", 200, 200, "truncated"],
      ["mislabelled.jpg", null, "gif", 20, 20, "ok"],
      ["sub/c.webp", "nested", "webp", 30, 40, "ok"],
    ]);
    expect(errors.map((e) => [e.kind, e.where])).toEqual([
      ["bad_json", "captions.jsonl:4"],
      ["wrong_type", "captions.jsonl:5"],
      ["wrong_type", "captions.jsonl:6"],
      ["missing_field", "captions.jsonl:7"],
      ["not_an_image", "notes.txt"],
      ["missing_file", "captions.jsonl:8"],
    ]);
  });

  it("reads a TSV sidecar given explicitly", async () => {
    const sidecar = join(dir, "..", `ccw-sidecar-${process.pid}.tsv`);
    await writeFile(sidecar, "b.png\ta small png\nsub/c.webp\ta webp\tEXTRA\n");
    try {
      const { rows, errors } = await drain(readImageFolder(dir, { sidecar }));
      expect(rows.find((r) => r.file === "b.png")?.caption).toBe("a small png");
      expect(errors.filter((e) => e.kind === "field_count").map((e) => e.where)).toEqual([`ccw-sidecar-${process.pid}.tsv:2`]);
    } finally {
      await rm(sidecar, { force: true });
    }
  });
});
