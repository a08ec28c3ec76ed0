import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSourceConfig } from "../../../src/lib/sources/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ccw-config-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("loadSourceConfig()", () => {
  it("resolves every role to builtin when nothing is configured", async () => {
    const config = await loadSourceConfig({ env: {}, cwd: dir });
    expect(config.file).toBeNull();
    expect(Object.values(config.sources).every((s) => s.kind === "builtin")).toBe(true);
    expect([config.sample, config.seed]).toEqual([20_000, 42]);
  });

  it("reads ccw.config.json, resolving relative paths against the file's folder", async () => {
    await writeFile(join(dir, "ccw.config.json"), JSON.stringify({
      sources: { captions: { path: "data/val.tsv", format: "cc12m" }, "coco-captions": "coco/captions_val2017.json", warc: "https://data.example.org/seg.warc.gz" },
      sample: 500,
    }));
    const config = await loadSourceConfig({ env: {}, cwd: dir });
    expect(config.sources.captions).toEqual({ kind: "path", location: join(dir, "data/val.tsv"), format: "cc12m", origin: `file:${join(dir, "ccw.config.json")}` });
    expect(config.sources["coco-captions"]).toMatchObject({ kind: "path", location: join(dir, "coco/captions_val2017.json"), format: "coco-captions" });
    expect(config.sources.warc).toMatchObject({ kind: "url", location: "https://data.example.org/seg.warc.gz", format: "warc" });
    expect(config.sources.images).toEqual({ kind: "builtin", origin: "default" });
    expect(config.sample).toBe(500);
  });

  it("lets environment variables override the file", async () => {
    const config = await loadSourceConfig({ env: { CCW_CAPTIONS: "/data/cc3m.tsv", CCW_CAPTIONS_FORMAT: "cc3m", CCW_SAMPLE: "1000", CCW_SEED: "7", CCW_IMAGES: "builtin" }, cwd: dir });
    expect(config.sources.captions).toEqual({ kind: "path", location: "/data/cc3m.tsv", format: "cc3m", origin: "env:CCW_CAPTIONS" });
    expect(config.sources.images.kind).toBe("builtin");
    expect([config.sample, config.seed]).toEqual([1000, 7]);
  });

  it("rejects unknown roles, formats and keys, naming the valid ones", async () => {
    await expect(loadSourceConfig({ env: { CCW_CAPTIONS: "x.tsv", CCW_CAPTIONS_FORMAT: "csv" }, cwd: dir })).rejects.toThrow(/valid: cc3m, cc12m, cc-labels/);
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ sources: { caption: "x.tsv" } }));
    await expect(loadSourceConfig({ env: { CCW_CONFIG: bad }, cwd: dir })).rejects.toThrow(/unknown source role\(s\) caption; valid: captions, coco-captions/);
    await writeFile(bad, JSON.stringify({ source: {} }));
    await expect(loadSourceConfig({ env: { CCW_CONFIG: bad }, cwd: dir })).rejects.toThrow(/unknown key\(s\) source; valid: sources, sample, seed/);
    await expect(loadSourceConfig({ env: { CCW_CONFIG: join(dir, "missing.json") }, cwd: dir })).rejects.toThrow(/cannot read/);
    await expect(loadSourceConfig({ env: { CCW_WARC: "ftp://x/y.warc" }, cwd: dir })).rejects.toThrow(/must be http\(s\) or a local path/);
    await expect(loadSourceConfig({ env: { CCW_SAMPLE: "lots" }, cwd: dir })).rejects.toThrow(/sample \(CCW_SAMPLE\) must be an integer/);
  });
});
