/** Node-only file helpers shared by the resumable writers (filter shards, pairs sets, training checkpoints). */
import { existsSync } from "node:fs";
import { link, readFile, rename, rm, writeFile } from "node:fs/promises";

export { fileIdentity, sameContent, describeIdentity, type FileIdentity } from "./identity.js";
export { startModuleWorker } from "./worker.js";
export { assignedInputs, parseShardTask, shardTaskFromEnv, type ShardTask } from "./shard-task.js";

/** Writes `<path>.tmp`, then renames it over `path`: a reader (or a resumed run) never sees half a file. */
export async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
}

/** A resumed run's log: keeps the JSON lines whose `step` is at most `step` (later ones are about updates to be redone). */
export async function keepLogUpTo(path: string, step: number): Promise<void> {
  if (!existsSync(path)) return;
  const kept = (await readFile(path, "utf-8")).split("\n").filter((l) => l && (JSON.parse(l) as { step: number }).step <= step);
  await writeAtomic(path, kept.map((l) => `${l}\n`).join(""));
}

/**
 * Creates `path` with `text` unless it exists (link(2) of a complete temporary file: atomic, so concurrent tasks never
 * see half a file and exactly one wins); returns null when this call created it, else the file's content.
 */
export async function createOrRead(path: string, text: string): Promise<string | null> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text);
  try {
    await link(temp, path);
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFile(path, "utf-8");
  } finally {
    await rm(temp, { force: true });
  }
}
