/** What a resumable writer records about its input so that a later run can tell it is the same one: by content, not by name. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

export interface FileIdentity {
  /** The path as given (for messages only: two paths with the same content are the same input). */
  path: string;
  bytes: number;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
}

/** Size and SHA-256 of a file, read as a stream (memory O(1) whatever its size). */
export async function fileIdentity(path: string): Promise<FileIdentity> {
  const { size } = await stat(path);
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { path, bytes: size, sha256: hash.digest("hex") };
}

/** Whether two identities name the same content (the paths may differ). */
export function sameContent(a: Pick<FileIdentity, "bytes" | "sha256"> | null | undefined, b: Pick<FileIdentity, "bytes" | "sha256"> | null | undefined): boolean {
  return (a ?? null) === null ? (b ?? null) === null : b != null && a!.bytes === b.bytes && a!.sha256 === b.sha256;
}

/** An identity in words: `path (N bytes, sha256 abcdef123456…)`. */
export function describeIdentity(id: FileIdentity | null | undefined): string {
  return id ? `${id.path} (${id.bytes} bytes, sha256 ${id.sha256.slice(0, 12)}…)` : "an input with no recorded identity";
}
