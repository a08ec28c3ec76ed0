// Shared helpers for the source-reader tests.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { ReadBatch, ReadError } from "../../../src/lib/sources/index.js";

/** Repository root, and the shared datasets folder beside it (absent in a fresh clone elsewhere). */
export const ROOT = resolve(import.meta.dirname, "..", "..", "..");
export const SHARED = resolve(ROOT, "..", "shared", "datasets");
export const HAVE_SHARED = existsSync(SHARED);

/** Splits bytes into chunks of `size` (to exercise chunk boundaries). */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Drains a reader, returning every row and error and the number of batches. */
export async function drain<Row>(batches: AsyncIterable<ReadBatch<Row>>): Promise<{ rows: Row[]; errors: ReadError[]; batches: number }> {
  const rows: Row[] = [];
  const errors: ReadError[] = [];
  let n = 0;
  for await (const b of batches) {
    rows.push(...b.rows);
    errors.push(...b.errors);
    n++;
  }
  return { rows, errors, batches: n };
}

export const utf8 = (s: string) => new TextEncoder().encode(s);
