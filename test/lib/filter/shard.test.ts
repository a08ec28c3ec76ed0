// The shard contract: task I of N owns inputs j with j mod N = I, tasks agree on one run manifest, the merge refuses
// missing or foreign shards by name, and N tasks plus a merge write the same files as one process.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC } from "../../../src/lib/arrow/index.js";
import { resolveConfig } from "../../../src/lib/filter/index.js";
import {
  assignedInputs, filterRows, mergeRun, parseShardTask, runFilter, runShardTask, RunManifestError, shardNames, shardTaskFromEnv, ShardMergeError,
  type FilterRunOptions,
} from "../../../src/lib/filter/node.js";
import { writeManifest, runManifest } from "../../../src/lib/filter/shard.js";

describe("shard assignment", () => {
  it("assignedInputs() gives task I of N the inputs j with j mod N = I, in input order", () => {
    expect(assignedInputs(7, { task: 0, count: 3 })).toEqual([0, 3, 6]);
    expect(assignedInputs(7, { task: 2, count: 3 })).toEqual([2, 5]);
    expect(assignedInputs(2, { task: 3, count: 4 })).toEqual([]);
    const all = [0, 1, 2, 3].flatMap((task) => assignedInputs(10, { task, count: 4 })).sort((a, b) => a - b);
    expect(all).toEqual([...Array(10).keys()]);
  });

  it("parseShardTask() reads I/N and names the valid form otherwise", () => {
    expect(parseShardTask("1/4")).toEqual({ task: 1, count: 4 });
    expect(parseShardTask("0/1")).toEqual({ task: 0, count: 1 });
    for (const bad of ["4/4", "1", "-1/4", "a/b", "1/0", "1/4/2"]) expect(() => parseShardTask(bad)).toThrow(/expected I\/N with N >= 1 and I from 0 to N - 1/);
  });

  it("shardTaskFromEnv() reads Slurm arrays (offset and step mapped to 0..N-1) and indexed Jobs with --shard-count", () => {
    expect(shardTaskFromEnv({})).toBeNull();
    expect(shardTaskFromEnv({ SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "3" })).toEqual({ task: 2, count: 3 });
    expect(shardTaskFromEnv({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "3", SLURM_ARRAY_TASK_MIN: "1" })).toEqual({ task: 2, count: 3 });
    expect(shardTaskFromEnv({ SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_COUNT: "3", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_STEP: "2" })).toEqual({ task: 2, count: 3 });
    expect(shardTaskFromEnv({ JOB_COMPLETION_INDEX: "5" }, 8)).toEqual({ task: 5, count: 8 });
    expect(() => shardTaskFromEnv({ JOB_COMPLETION_INDEX: "5" })).toThrow(/give --shard-count N/);
    expect(() => shardTaskFromEnv({ JOB_COMPLETION_INDEX: "8" }, 8)).toThrow(/not below --shard-count 8/);
    expect(() => shardTaskFromEnv({ SLURM_ARRAY_TASK_ID: "1" })).toThrow(/SLURM_ARRAY_TASK_COUNT is not/);
    expect(() => shardTaskFromEnv({ SLURM_ARRAY_TASK_ID: "x", SLURM_ARRAY_TASK_COUNT: "2" })).toThrow(/SLURM_ARRAY_TASK_ID="x"/);
  });

  it("shardNames() makes repeated base names distinct over the whole input list, so every task names shards alike", () => {
    expect(shardNames(["a/val.tsv", "b/val.tsv", "c.warc.gz", "d/val.tsv"])).toEqual(["val", "val-2", "c", "val-3"]);
  });
});

/** Three caption-only TSVs: each person and place type occurs once per file, so only corpus-wide counts keep it. */
function inputs(dir: string): string[] {
  const captions = [
    "Barack Obama speaks to the crowd in Chicago", "a dog on the beach with a ball", "#dog #beach #summer", "Tom Cruise with a dog in Paris",
    "IMG_2041.JPG", "Dos perros en la playa", "A DOG ON THE BEACH WITH A BALL", "a cat sitting on a red sofa in the kitchen",
  ];
  return [0, 1, 2].map((k) => {
    const path = join(dir, `part${k}.tsv`);
    writeFileSync(path, captions.map((c, i) => `${c}\thttps://example.com/${k}/${i}.jpg`).join("\n") + "\n");
    return path;
  });
}

describe("N shard tasks and a merge", () => {
  let dir: string;
  let options: Omit<FilterRunOptions, "out">;
  let one: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ccw-shard-"));
    // minCount 2: a type seen once per shard survives only when the merge counts it over all three.
    options = { inputs: inputs(dir), resolved: resolveConfig("cc3m", { overrides: ["entity-type.minCount=2"] }), workers: 1 };
    one = join(dir, "one");
    await runFilter({ ...options, out: one });
  }, 120_000);

  it("two tasks plus the merge write candidates.arrow, candidates.parquet and funnel.arrow byte for byte as one process, and the same funnel", async () => {
    const out = join(dir, "two");
    const first = await runShardTask({ ...options, out }, { task: 0, count: 2 });
    expect(first.shards.map((s) => s.name)).toEqual(["part0", "part2"]);
    const second = await runShardTask({ ...options, out }, { task: 1, count: 2 });
    expect(second.shards.map((s) => s.name)).toEqual(["part1"]);
    const summary = await mergeRun(out);
    for (const file of ["candidates.arrow", "candidates.parquet", "funnel.arrow"]) expect(readFileSync(join(out, file)).equals(readFileSync(join(one, file))), file).toBe(true);
    const expected = JSON.parse(readFileSync(join(one, "funnel.json"), "utf-8"));
    expect(summary.funnel).toEqual(expected.funnel);
    expect(summary.entityTypes).toEqual(expected.entityTypes);
    expect(summary.shards.map((s) => s.name)).toEqual(["part0", "part1", "part2"]);
    // The corpus-level stage saw all shards: a type that occurs once per shard is kept, never rare_entity_type.
    const rows = fromArrowIPC(readFileSync(join(out, "candidates.arrow"))).toArray() as { status: string; entity_types: { toArray(): string[] } | null }[];
    const person = rows.filter((r) => r.entity_types?.toArray().includes("person"));
    expect(person.length).toBeGreaterThanOrEqual(3);
    expect(person.some((r) => r.status === "kept")).toBe(true);
  }, 120_000);

  it("the merge refuses while a shard is missing, naming it, its input and the task that owns it", async () => {
    const out = join(dir, "missing");
    await runShardTask({ ...options, out }, { task: 0, count: 2 });
    const error = await mergeRun(out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardMergeError);
    expect((error as ShardMergeError).missing).toEqual([`part1 (input 1 ${JSON.stringify(options.inputs[1])}, task 1 of 2)`]);
    expect((error as Error).message).toMatch(/1 of 3 shards are not finished: part1 .*--shard I\/2/);
  }, 120_000);

  it("a task whose inputs or flags differ from the run's manifest is refused, naming the difference", async () => {
    const out = join(dir, "disagree");
    await writeManifest(join(out, "shards"), await runManifest({ ...options, tasks: 2 }), "agree");
    // The same manifest again: agreed.
    await writeManifest(join(out, "shards"), await runManifest({ ...options, tasks: 2 }), "agree");
    const other = { ...options, resolved: resolveConfig("cc3m", { overrides: ["entity-type.minCount=3"] }) };
    await expect(runShardTask({ ...other, out }, { task: 1, count: 2 })).rejects.toThrow(RunManifestError);
    await expect(runShardTask({ ...other, out }, { task: 1, count: 2 })).rejects.toThrow(/belongs to another run: the configuration differs/);
    await expect(runShardTask({ ...options, out }, { task: 1, count: 3 })).rejects.toThrow(/the task count differs \(2 vs 3\)/);
    await expect(runShardTask({ ...options, inputs: [...options.inputs].reverse(), out }, { task: 0, count: 2 })).rejects.toThrow(/the inputs differ .*first difference at input 0/);
  });

  it("the merge refuses a shard made with another configuration, naming it", async () => {
    const out = join(dir, "foreign");
    const elsewhere = join(dir, "elsewhere");
    await runShardTask({ ...options, out }, { task: 0, count: 2 });
    await runShardTask({ ...options, resolved: resolveConfig("cc3m", { overrides: ["text.maxNounRatio=0.9"] }), out: elsewhere }, { task: 1, count: 2 });
    for (const f of ["part1.parquet", "part1.funnel.json"]) cpSync(join(elsewhere, "shards", f), join(out, "shards", f));
    const error = await mergeRun(out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardMergeError);
    expect((error as ShardMergeError).mismatched[0]).toMatch(/^part1 \(input 1 .*task 1 of 2\): made with another configuration \(preset cc3m text.maxNounRatio=0.9/);
  }, 120_000);

  it("a re-run task reuses its finished shards", async () => {
    const out = join(dir, "two");
    const again = await runShardTask({ ...options, out }, { task: 0, count: 2 });
    expect(again.shards).toEqual([{ name: "part0", reused: true }, { name: "part2", reused: true }]);
  }, 60_000);

  it("filterRows() gives the rows of candidates.arrow without writing anything", async () => {
    const { rows, summary } = await filterRows(options);
    const table = fromArrowIPC(readFileSync(join(one, "candidates.arrow")));
    expect(rows.map((r) => [r.id, r.status])).toEqual(table.toArray().map((r: { id: string; status: string }) => [r.id, r.status]));
    expect(summary.funnel).toEqual(JSON.parse(readFileSync(join(one, "funnel.json"), "utf-8")).funnel);
  }, 120_000);

  it("a corpus stage that compares every pair (coyo's near-duplicate images) gives the same rows sharded as in one process", async () => {
    const resolved = resolveConfig("coyo");
    expect(resolved.stages).toContain("near-duplicate");
    const synth = { inputs: ["synth:3:dup-a", "synth:3:dup-b", "synth:3:dup-a"], resolved, workers: 1, allReasons: true };
    const single = join(dir, "coyo-one");
    const summary = await runFilter({ ...synth, out: single });
    expect(summary.funnel.stages.find((s) => s.stage === "near-duplicate")?.skipped).toBeNull();
    // The third input repeats the first: its images are near-duplicates of the first's (smaller ids keep theirs).
    expect(summary.funnel.byReason.near_duplicate ?? 0).toBeGreaterThan(0);
    const out = join(dir, "coyo-two");
    for (const task of [0, 1]) await runShardTask({ ...synth, out }, { task, count: 2 });
    await mergeRun(out);
    for (const file of ["candidates.arrow", "candidates.parquet", "funnel.arrow"]) expect(readFileSync(join(out, file)).equals(readFileSync(join(single, file))), file).toBe(true);
  }, 180_000);
});
