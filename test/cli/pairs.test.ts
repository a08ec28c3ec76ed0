import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyDvaeFolder } from "../lib/pairs/helpers.js";
import { ccw } from "./run-ccw.js";

describe("ccw pairs", () => {
  let dir: string, weights: string;

  beforeAll(async () => {
    ({ dir, weights } = await tinyDvaeFolder("ccw-pairs-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--help documents both verbs, both sources, the cleaner crawl and the split", async () => {
    const { code, out } = await ccw("pairs", "--help");
    expect(code).toBe(0);
    for (const text of ["ccw pairs build", "ccw pairs info", "conceptual", "coco", "cleaner", "good 82%", "--heldout-from", "--dvae", "--pages", "out/pairs-<source>"]) expect(out).toContain(text);
  });

  it.each([
    [[], /expected a verb, one of build, info; got nothing/],
    [["make"], /expected a verb, one of build, info; got "make"/],
    [["build", "--source", "laion"], /--source must be one of conceptual, coco, got "laion"/],
    [["build", "--pages", "0"], /--pages must be an integer from 1 to 1000000, got "0"/],
    [["build", "--heldout-share", "2"], /--heldout-share must be a number from 0 to 1, got "2"/],
    [["build", "--min-count", "x"], /--min-count must be an integer/],
    [["build", "--dvae", "/nonexistent/dvae"], /--dvae \/nonexistent\/dvae has no model.json/],
    [["build", "--heldout-from", "/nonexistent/set"], /--heldout-from: no pairs set in \/nonexistent\/set/],
    [["build", "extra"], /takes no positional arguments/],
    [["info"], /give one pairs folder/],
    [["info", "/nonexistent/set"], /no pairs set in \/nonexistent\/set/],
    [["build", "--colour", "red"], /Unknown option '--colour'[\s\S]*Valid options: --source/],
  ])("ccw pairs %j exits 2 with a message naming the problem", async (args, message) => {
    const { code, err } = await ccw("pairs", ...(args as string[]));
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("builds a small set with progress on stderr, and info describes it", async () => {
    const out = join(dir, "set");
    const built = await ccw("pairs", "build", "--source", "coco", "--pages", "6", "--seed", "cli", "--out", out, "--dvae", weights);
    expect(built.code).toBe(0);
    expect(built.err).toMatch(/render \[#+\] \d+\/\d+ \(100%\)/);
    expect(built.err).toMatch(/encode \[#+\]/);
    expect(built.out).toMatch(/coco pairs, seed cli, 6 pages/);
    expect(built.out).toContain("wrote");
    const info = await ccw("pairs", "info", out);
    expect(info.code).toBe(0);
    expect(info.out).toMatch(/rows \d+: train \d+ \(\d+ images\), val \d+ \(\d+ images\), heldout \d+ \(\d+ images\)/);
    expect(info.out).toMatch(/candidates \d+: .*kept \d+/);
    expect(info.out).toMatch(/held-out compositions \(\d+, chosen\)/);
  });
});
