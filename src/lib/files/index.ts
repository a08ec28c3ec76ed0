/** Node-only file helpers shared by the resumable writers (filter shards, pairs sets, training checkpoints). */
import { rename, writeFile } from "node:fs/promises";

/** Writes `<path>.tmp`, then renames it over `path`: a reader (or a resumed run) never sees half a file. */
export async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
}
