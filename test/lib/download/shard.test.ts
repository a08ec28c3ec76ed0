// A download as N tasks: tasks agree on one manifest, and the merge refuses unfinished or foreign tasks by name.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agreeDownloadManifest, DOWNLOAD_MANIFEST_FORMAT, DownloadShardError, mergeDownloads, taskFolder, type DownloadManifest } from "../../../src/lib/download/index.js";

const manifest = (sha256: string, tasks = 2): DownloadManifest => ({ format: DOWNLOAD_MANIFEST_FORMAT, input: "urls.tsv", source: { path: "urls.tsv", bytes: 10, sha256 }, tasks, options: { retries: 1 } });

describe("download shards", () => {
  it("a task agrees with the recorded download or is refused, naming the difference", async () => {
    const out = mkdtempSync(join(tmpdir(), "ccw-dl-shard-"));
    await agreeDownloadManifest(out, manifest("a".repeat(64)));
    await agreeDownloadManifest(out, manifest("a".repeat(64)));
    await expect(agreeDownloadManifest(out, manifest("b".repeat(64)))).rejects.toThrow(/belongs to another download: the input differs/);
    await expect(agreeDownloadManifest(out, manifest("a".repeat(64), 3))).rejects.toThrow(/the task count differs \(2 vs 3\)/);
  });

  it("the merge refuses while a task has no stats.json, and a task made from another input, naming both", async () => {
    const out = mkdtempSync(join(tmpdir(), "ccw-dl-shard-"));
    await expect(mergeDownloads(out)).rejects.toThrow(/download.json does not exist/);
    await agreeDownloadManifest(out, manifest("a".repeat(64)));
    const folder = taskFolder(out, { task: 1, count: 2 });
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "status.parquet"), "");
    writeFileSync(join(folder, "stats.json"), JSON.stringify({ source: { path: "urls.tsv", bytes: 10, sha256: "c".repeat(64) } }));
    const error = await mergeDownloads(out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadShardError);
    expect((error as Error).message).toMatch(/1 of 2 tasks have not finished: task 0 of 2; not of this input: task 1 of 2 \(downloaded /);
  });
});
