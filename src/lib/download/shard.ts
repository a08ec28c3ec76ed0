/**
 * A download split into N tasks and merged (Node). Input row j (in the order the reader yields rows, unusable lines
 * included) belongs to task j mod N, so every row is one task's; splitting rows rather than files keeps one big URL
 * list parallel. Task I writes its own resumable output (journal, status tables, stats.json last, as its completion
 * marker) in `<out>/shards/task-I-of-N/` and its images under `<out>/images/` (keys are distinct, so tasks never
 * write the same file, and status paths are relative to `<out>` as in a one-process run). `<out>/shards/download.json`
 * records the input (size + SHA-256), N and the options; every task must agree with it. The merge concatenates the
 * tasks' status tables, by Parquet row group, into `<out>/status.arrow` and `status.parquet` and sums their stats.
 */
import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { readParquetRowGroups, rowsFromArrow } from "../arrow/index.js";
import { createOrRead, describeIdentity, sameContent, writeAtomic, type FileIdentity, type ShardTask } from "../files/index.js";
import { openTableSink } from "../sources/index.js";
import type { DownloadStats } from "./downloader.js";
import { DOWNLOAD_STATUSES, emptyStatusCounts } from "./status.js";
import { STATUS_COLUMNS, type StatusRow } from "./table.js";

export const DOWNLOAD_MANIFEST_FORMAT = "ccw-download-run/1";

/** `<out>/shards/download.json`: what every task of a download agrees on. */
export interface DownloadManifest {
  format: typeof DOWNLOAD_MANIFEST_FORMAT;
  /** The input as given, and its content. */
  input: string;
  source: FileIdentity;
  tasks: number;
  /** Options that decide a row's status (fetch limits, retries, resize); concurrency may differ per task. */
  options: Record<string, unknown>;
}

/** A task disagreeing with the download recorded in its folder, or a merge that cannot be done (which tasks are missing). */
export class DownloadShardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DownloadShardError";
  }
}

export const downloadManifestPath = (out: string) => join(out, "shards", "download.json");
export const taskFolder = (out: string, { task, count }: ShardTask) => join(out, "shards", `task-${task}-of-${count}`);

/** Records the download in `<out>/shards/download.json`, or checks this task against the one recorded there. */
export async function agreeDownloadManifest(out: string, manifest: DownloadManifest): Promise<void> {
  const path = downloadManifestPath(out);
  await mkdir(join(out, "shards"), { recursive: true });
  const recordedText = await createOrRead(path, `${JSON.stringify(manifest, null, 2)}\n`);
  if (recordedText === null) return;
  const recorded = JSON.parse(recordedText) as DownloadManifest;
  const difference = !sameContent(recorded.source, manifest.source)
    ? `the input differs (${describeIdentity(recorded.source)} vs ${describeIdentity(manifest.source)})`
    : recorded.tasks !== manifest.tasks ? `the task count differs (${recorded.tasks} vs ${manifest.tasks})`
    : JSON.stringify(recorded.options) !== JSON.stringify(manifest.options) ? `the options differ (${JSON.stringify(recorded.options)} vs ${JSON.stringify(manifest.options)})`
    : "";
  if (difference) throw new DownloadShardError(`${path} belongs to another download: ${difference} (recorded vs this task); use another --out, or delete ${path} to start a new one there`);
}

/** What `<out>/stats.json` holds after a merge: the tasks' stats summed, and how many tasks there were. */
export type MergedDownloadStats = DownloadStats & { tasks: number };

/**
 * Merges a download's N tasks into `<out>/status.arrow`, `status.parquet` and `stats.json`; refuses, naming them, while
 * any task has not finished (no stats.json) or was run on another input.
 */
export async function mergeDownloads(out: string): Promise<MergedDownloadStats> {
  const path = downloadManifestPath(out);
  if (!existsSync(path)) throw new DownloadShardError(`${path} does not exist: no sharded download was started there (run \`ccw download <input> --out ${out} --shard I/N\` first)`);
  const manifest = JSON.parse(await readFile(path, "utf-8")) as DownloadManifest;
  if (manifest.format !== DOWNLOAD_MANIFEST_FORMAT) throw new DownloadShardError(`${path} is not a download manifest (format ${JSON.stringify(manifest.format)}; expected ${DOWNLOAD_MANIFEST_FORMAT})`);
  const tasks: { folder: string; stats: DownloadStats }[] = [];
  const missing: string[] = [];
  const foreign: string[] = [];
  for (let task = 0; task < manifest.tasks; task++) {
    const folder = taskFolder(out, { task, count: manifest.tasks });
    const statsPath = join(folder, "stats.json");
    if (!existsSync(statsPath) || !existsSync(join(folder, "status.parquet"))) {
      missing.push(`task ${task} of ${manifest.tasks}`);
      continue;
    }
    const stats = JSON.parse(await readFile(statsPath, "utf-8")) as DownloadStats;
    if (!sameContent(stats.source, manifest.source)) foreign.push(`task ${task} of ${manifest.tasks} (downloaded ${describeIdentity(stats.source)})`);
    else tasks.push({ folder, stats });
  }
  if (missing.length || foreign.length) {
    const parts = [missing.length ? `${missing.length} of ${manifest.tasks} tasks have not finished: ${missing.join(", ")}` : "", foreign.length ? `not of this input: ${foreign.join(", ")}` : ""].filter(Boolean);
    throw new DownloadShardError(`download merge ${out}: ${parts.join("; ")}. Run them (\`ccw download ${manifest.input} --out ${out} --shard I/${manifest.tasks}\`), then merge again`);
  }

  // The status tables, task by task and row group by row group: memory is one row group, not the list.
  const counts = emptyStatusCounts();
  const outputs = await Promise.all((["arrow", "parquet"] as const).map(async (format) => {
    const target = join(out, `status.${format}`);
    const handle = await open(`${target}.tmp`, "w");
    const sink = await openTableSink(STATUS_COLUMNS, format, async (chunk) => void (await handle.write(chunk)));
    return { target, handle, sink };
  }));
  let total = 0;
  for (const { folder } of tasks) {
    const { openAsBlob } = await import("node:fs");
    for await (const table of readParquetRowGroups(await openAsBlob(join(folder, "status.parquet")))) {
      const rows = rowsFromArrow<StatusRow>(table);
      for (const r of rows) counts[r.status]++;
      total += rows.length;
      for (const o of outputs) await o.sink.write(rows);
    }
  }
  for (const o of outputs) {
    await o.sink.close();
    await o.handle.close();
    await rename(`${o.target}.tmp`, o.target);
  }
  const sum = (f: (s: DownloadStats) => number) => tasks.reduce((a, t) => a + f(t.stats), 0);
  const expected = sum((s) => s.total);
  if (total !== expected) throw new DownloadShardError(`download merge ${out}: the tasks' status tables hold ${total} rows but their stats.json say ${expected}`);
  const runCounts = emptyStatusCounts();
  for (const t of tasks) for (const status of DOWNLOAD_STATUSES) runCounts[status] += t.stats.this_run.counts[status] ?? 0;
  const startedAt = tasks.map((t) => t.stats.this_run.started_at).sort()[0]!;
  const finishedAt = tasks.map((t) => t.stats.this_run.finished_at).sort().at(-1)!;
  const elapsed = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
  const attempted = sum((s) => s.this_run.attempted);
  const errors: Record<string, number> = {};
  for (const t of tasks) for (const [kind, n] of Object.entries(t.stats.input?.errors ?? {})) errors[kind] = (errors[kind] ?? 0) + n;
  const stats: MergedDownloadStats = {
    total,
    counts,
    success_rate: total ? counts.ok / total : 0,
    this_run: {
      started_at: startedAt,
      finished_at: finishedAt,
      elapsed_s: Math.round(elapsed * 1000) / 1000,
      attempted,
      resumed_ok: sum((s) => s.this_run.resumed_ok),
      counts: runCounts,
      bytes_saved: sum((s) => s.this_run.bytes_saved),
      // Tasks run side by side: the rate over the span from the first start to the last finish.
      urls_per_s: elapsed > 0 ? Math.round((attempted / elapsed) * 10) / 10 : 0,
    },
    input: { path: manifest.input, records: sum((s) => s.input?.records ?? 0), errors },
    source: manifest.source,
    options: tasks[0]!.stats.options,
    tasks: manifest.tasks,
  };
  await writeAtomic(join(out, "stats.json"), `${JSON.stringify(stats, null, 2)}\n`);
  return stats;
}
