// deploy/slurm/ on a real single-node Slurm cluster (slurm-wlm + munge, brought up in a temporary folder by
// slurm-cluster.ts): the array job's shard assignment, afterok ordering, resubmitting only failed tasks, and a
// sharded filter run over 8 synthetic WARC shards that must equal a one-process run.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC, fromParquet } from "../../src/lib/arrow/index.js";
import { ccw } from "../cli/run-ccw.js";
import { slurmAvailability, startSlurmCluster, type SlurmCluster } from "./slurm-cluster.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SUBMIT = join(ROOT, "deploy/slurm/submit.sh");
const CCW = join(ROOT, "bin/ccw.js");
/** Small resources, so that 2 tasks run at once on 2 cores. */
const SMALL = ["--sbatch", "--cpus-per-task=1", "--sbatch", "--mem=2G", "--merge-sbatch", "--mem=2G"];

const availability = slurmAvailability();
const inCi = process.env.CI === "true";

/** The job id submit.sh printed for "array job N" or "merge job N". */
function jobId(printed: string, kind: "array" | "merge"): string {
  const id = new RegExp(`^${kind} job (\\d+)`, "m").exec(printed)?.[1];
  if (!id) throw new Error(`submit.sh printed no ${kind} job id:\n${printed}`);
  return id;
}

/** The environment without a surrounding Slurm or Kubernetes job's variables, which would pick a shard. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("SLURM_") || key.startsWith("SBATCH_") || key === "JOB_COMPLETION_INDEX") delete env[key];
  return env;
}

/** Rows of an Arrow IPC file as plain JSON values (list columns as arrays, 64-bit integers as strings). */
const arrowRows = (path: string) =>
  JSON.parse(JSON.stringify(fromArrowIPC(readFileSync(path)).toArray(), (_key, v) => (typeof v === "bigint" ? String(v) : ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v)));
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** funnel.json without what differs between two runs of the same work: the time taken and whether shards were reused. */
function comparableFunnel(path: string) {
  const { elapsedMs: _elapsed, shards, ...rest } = JSON.parse(readFileSync(path, "utf-8"));
  return { ...rest, shards: (shards as { name: string; reused?: boolean }[]).map(({ reused: _reused, ...s }) => s).sort((a, b) => a.name.localeCompare(b.name)) };
}

if (!availability.ok && inCi) {
  describe("deploy/slurm on a single-node Slurm cluster", () => {
    it("has slurm-wlm and munge (.ci/run installs them)", () => {
      throw new Error(`CI must run the Slurm test: ${availability.reason}`);
    });
  });
} else if (!availability.ok) {
  describe("deploy/slurm on a single-node Slurm cluster", () => {
    it.skip(`skipped: ${availability.reason}`, () => {});
  });
} else {
  describe("deploy/slurm on a single-node Slurm cluster", () => {
    let cluster: SlurmCluster;
    const work = mkdtempSync(join(tmpdir(), "ccw-slurm-work-"));
    const submit = (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const r = cluster.run(SUBMIT, args, env);
      if (r.code !== 0) throw new Error(`submit.sh ${args.join(" ")} exited ${r.code}:\n${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    const states = (id: string) => Object.fromEntries(cluster.jobRecords(id).map((r) => [r.ArrayTaskId ?? "job", r.JobState]));

    beforeAll(async () => {
      cluster = await startSlurmCluster();
    }, 90_000);
    afterAll(async () => {
      await cluster?.stop();
      rmSync(work, { recursive: true, force: true });
    }, 60_000);

    it("submit.sh gives task I of N the inputs' frozen list and --shard I/N, holds the merge until every task succeeded, and resubmits only the failed task", async () => {
      // A stand-in for ccw that records its arguments: this case is about the scripts and Slurm, not the filter.
      const dir = join(work, "mechanics");
      mkdirSync(join(dir, "in"), { recursive: true });
      for (let j = 0; j < 6; j++) writeFileSync(join(dir, "in", `part-${j}.warc.gz`), "");
      const recorder = join(dir, "record-args.sh");
      writeFileSync(recorder, `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> ${JSON.stringify(join(dir, "calls.txt"))}\n`, { mode: 0o755 });
      const out = join(dir, "out");

      // Held at submission, so that task 2 can be cancelled before it runs: a task that failed.
      const first = submit(["--input", join(dir, "in"), "--out", out, "--tasks", "4", ...SMALL, "--", "--preset", "cc12m"], { CCW: recorder, SBATCH_HOLD: "1" });
      const [array, merge] = [jobId(first, "array"), jobId(first, "merge")];
      expect(cluster.run("scancel", [`${array}_2`]).code).toBe(0);
      expect(cluster.run("scontrol", ["release", array]).code).toBe(0);
      expect(cluster.run("scontrol", ["release", merge]).code).toBe(0);
      await cluster.waitForJobs([array, merge], 60_000);
      expect(states(array)).toEqual({ 0: "COMPLETED", 1: "COMPLETED", 3: "COMPLETED" });
      expect(cluster.jobRecords(merge)[0]).toMatchObject({ JobState: "CANCELLED", Reason: "DependencyNeverSatisfied" });

      const listed = cluster.run(SUBMIT, ["--out", out, "--list-failed"]);
      expect(listed.stdout.trim(), listed.stderr).toBe("2");
      const again = submit(["--out", out, "--resubmit-failed", ...SMALL], { CCW: recorder });
      expect(again).toMatch(/array job \d+: tasks 2 /);
      await cluster.waitForJobs([jobId(again, "array"), jobId(again, "merge")], 60_000);
      expect(cluster.jobRecords(jobId(again, "merge"))[0]!.JobState).toBe("COMPLETED");
      expect(cluster.run(SUBMIT, ["--out", out, "--list-failed"]).stdout.trim()).toBe("");

      const inputs = Array.from({ length: 6 }, (_, j) => join(dir, "in", `part-${j}.warc.gz`)).join(" ");
      const calls = readFileSync(join(dir, "calls.txt"), "utf-8").trim().split("\n").sort();
      expect(calls).toEqual([
        `filter ${inputs} --out ${out} --shard 0/4 --workers 1 --preset cc12m`,
        `filter ${inputs} --out ${out} --shard 1/4 --workers 1 --preset cc12m`,
        // The resubmitted task keeps N = 4 and the first submission's filter options.
        `filter ${inputs} --out ${out} --shard 2/4 --workers 1 --preset cc12m`,
        `filter ${inputs} --out ${out} --shard 3/4 --workers 1 --preset cc12m`,
        `filter merge ${out}`,
      ].sort());
    }, 180_000);

    it("a 4-task array over 8 synthetic WARC shards, then the merge, writes what a one-process ccw filter writes", async () => {
      const dir = join(work, "filter");
      const input = join(dir, "warc");
      mkdirSync(input, { recursive: true });
      const names = Array.from({ length: 8 }, (_, j) => `crawl-${String(j).padStart(2, "0")}`);
      for (const [j, name] of names.entries()) {
        const synth = await ccw("synth", "--pages", "8", "--seed", `slurm-${j}`, "--out", join(dir, "synth", name));
        expect(synth.code, synth.err).toBe(0);
        copyFileSync(join(dir, "synth", name, "crawl.warc.gz"), join(input, `${name}.warc.gz`));
      }
      const inputs = names.map((n) => join(input, `${n}.warc.gz`));
      const sharded = join(dir, "sharded");
      const started = Date.now();
      const printed = submit(["--input", input, "--out", sharded, "--tasks", "4", ...SMALL], { CCW });
      const [array, merge] = [jobId(printed, "array"), jobId(printed, "merge")];
      await cluster.waitForJobs([array, merge], 240_000);
      const logs = join(sharded, "slurm", "logs");
      const jobLogs = () => readdirSync(logs).map((f) => `--- ${f}\n${readFileSync(join(logs, f), "utf-8")}`).join("\n");
      expect(states(array), jobLogs()).toEqual({ 0: "COMPLETED", 1: "COMPLETED", 2: "COMPLETED", 3: "COMPLETED" });
      expect(cluster.jobRecords(merge)[0]!.JobState, jobLogs()).toBe("COMPLETED");
      console.log(`slurm: 4 filter tasks over 8 WARC shards and the merge took ${((Date.now() - started) / 1000).toFixed(1)} s`);

      // Task i filtered inputs i and i + 4 only.
      for (let i = 0; i < 4; i++) {
        const log = readFileSync(join(logs, `filter-${array}_${i}.out`), "utf-8");
        const done = names.filter((n) => new RegExp(`^${n}: done`, "m").test(log));
        expect(done, log).toEqual([names[i], names[i + 4]]);
      }

      const single = join(dir, "single");
      const one = spawnSync(CCW, ["filter", ...inputs, "--out", single, "--workers", "1"], { env: cleanEnv(), encoding: "utf-8", timeout: 180_000 });
      expect(one.status, `${one.stdout}${one.stderr}`).toBe(0);

      const rows = arrowRows(join(sharded, "candidates.arrow"));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toEqual(arrowRows(join(single, "candidates.arrow")));
      expect(arrowRows(join(sharded, "funnel.arrow"))).toEqual(arrowRows(join(single, "funnel.arrow")));
      expect(comparableFunnel(join(sharded, "funnel.json"))).toEqual(comparableFunnel(join(single, "funnel.json")));
      expect((await fromParquet(readFileSync(join(sharded, "candidates.parquet")))).numRows).toBe(rows.length);
      // The merge writes the one-process files byte for byte.
      for (const file of ["candidates.arrow", "candidates.parquet", "funnel.arrow"]) expect(sha256(join(sharded, file)), file).toBe(sha256(join(single, file)));
    }, 300_000);
  });
}
