/** Node-only file helpers shared by the resumable writers (filter shards, pairs sets, training checkpoints). */
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";

export { fileIdentity, sameContent, describeIdentity, type FileIdentity } from "./identity.js";

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
