/**
 * A folder of images with an optional sidecar of captions (Node only: walks the file system).
 *
 * Sidecar: `captions.jsonl` (one `{"file": "...", "caption": "..."}` per line) or `captions.tsv`
 * (`file<TAB>caption`, no header) at the folder's top, or any file passed as `sidecar`. `file` is
 * the path relative to the folder, with `/` separators. A file may have several captions: one row
 * per caption; an image with none gets one row with a null caption.
 *
 * Files are visited in sorted order (deterministic). Every file ends as rows or as a counted error:
 * non-images (`not_an_image`), unreadable headers (`bad_image_header`), unreadable files
 * (`unreadable_file`); sidecar lines that do not parse (`bad_json`, `wrong_type`, `missing_field`,
 * `field_count`, `bad_utf8`, ...) and sidecar entries naming absent files (`missing_file`) are
 * counted with `where` = `sidecar-name:line`. The sidecar is held in memory (it is small next to
 * the images); image files are read one at a time.
 *
 * Entries that are neither regular files nor folders are passed over, never opened, and counted by
 * kind in each batch's `skipped` ({@link SkippedEntryKind}): symlinks are not followed (they may
 * point outside the folder or loop), FIFOs/sockets/devices would block or never end. Files are
 * opened non-blocking and without following links, and checked again once open, so an entry
 * swapped for a FIFO between listing and reading is skipped too. A sub-folder that cannot be listed
 * is an `unreadable_file` error and the walk goes on; the walk keeps its own stack, so nesting depth
 * costs no call stack. So: rows (one per image and caption) + errors + skipped account for every entry.
 */
import { nodeFs, nodeFsPromises, nodePath } from "./node-only.js";
import { imageFacts, type ImageFormat, type ImageStatus } from "../images/index.js";
import { BatchCollector } from "./batch.js";
import { openInput } from "./bytes.js";
import { readLines } from "./lines.js";
import { excerpt, type ReadBatch, type ReadError, type ReaderOptions } from "./types.js";

/** One (image file, caption) pair from a folder. */
export interface FolderImageRow {
  /** Path relative to the folder, `/`-separated. */
  file: string;
  /** Caption from the sidecar; null when the image has none. */
  caption: string | null;
  /** Verdict from the bytes: "ok", "truncated" or "too_many_pixels" (non-images become errors, not rows). */
  status: ImageStatus;
  format: ImageFormat;
  width: number;
  height: number;
  /** File size in bytes. */
  bytes: number;
}

export interface FolderReaderOptions extends ReaderOptions {
  /** Captions sidecar path; default: `captions.jsonl` or `captions.tsv` in the folder when present. */
  sidecar?: string;
  /** Largest declared pixel count accepted (status `too_many_pixels` above). */
  maxPixels?: number;
}

/** Kinds of directory entries passed over (counted, never opened). */
export type SkippedEntryKind = "symlink" | "fifo" | "socket" | "device" | "other";
export const SKIPPED_ENTRY_KINDS: readonly SkippedEntryKind[] = ["symlink", "fifo", "socket", "device", "other"];

interface EntryType {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}

function skippedKind(entry: EntryType): SkippedEntryKind {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isFIFO()) return "fifo";
  if (entry.isSocket()) return "socket";
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return "device";
  return "other";
}

/** Sidecar file names looked for at the folder's top, in this order. */
export const SIDECAR_NAMES = ["captions.jsonl", "captions.tsv"] as const;

interface SidecarEntry {
  caption: string;
  where: string;
}

async function readSidecar(path: string, name: string, onError: (e: ReadError) => void): Promise<Map<string, SidecarEntry[]>> {
  const captions = new Map<string, SidecarEntry[]>();
  const jsonl = /\.jsonl?$/i.test(path);
  const opened = await openInput(path);
  for await (const lines of readLines(opened.chunks)) {
    for (const line of lines) {
      const where = `${name}:${line.no}`;
      if (line.text === null) {
        onError({ kind: line.problem, where, message: `${where}: ${line.problem === "bad_utf8" ? "not valid UTF-8" : `${line.bytes} bytes, too long`}` });
        continue;
      }
      if (line.text.trim() === "") continue; // blank lines separate nothing in JSONL/TSV sidecars; they carry no entry
      let file: unknown;
      let caption: unknown;
      if (jsonl) {
        let value: unknown;
        try {
          value = JSON.parse(line.text);
        } catch (error) {
          onError({ kind: "bad_json", where, message: `${where}: ${(error as Error).message}: ${excerpt(line.text)}` });
          continue;
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
          onError({ kind: "wrong_type", where, message: `${where}: expected an object {"file", "caption"}, got ${excerpt(line.text)}` });
          continue;
        }
        ({ file, caption } = value as { file?: unknown; caption?: unknown });
        if (file === undefined || caption === undefined) {
          onError({ kind: "missing_field", where, message: `${where}: needs "file" and "caption": ${excerpt(line.text)}` });
          continue;
        }
      } else {
        const fields = line.text.split("\t");
        if (fields.length !== 2) {
          onError({ kind: "field_count", where, message: `${where}: expected file<TAB>caption, found ${fields.length} fields` });
          continue;
        }
        [file, caption] = fields;
      }
      if (typeof file !== "string" || typeof caption !== "string") {
        onError({ kind: "wrong_type", where, message: `${where}: "file" and "caption" must be strings: ${excerpt(line.text)}` });
        continue;
      }
      const key = file.replace(/\\/g, "/").replace(/^\.\//, "");
      const list = captions.get(key) ?? [];
      list.push({ caption, where });
      captions.set(key, list);
    }
  }
  return captions;
}

/** Reads an image folder (recursively) and its captions sidecar. */
export async function* readImageFolder(folder: string, options: FolderReaderOptions = {}): AsyncGenerator<ReadBatch<FolderImageRow>> {
  const fs = await nodeFsPromises();
  const { constants } = await nodeFs();
  const { join, relative, sep, basename, resolve } = await nodePath();
  const root = resolve(folder);
  const batch = new BatchCollector<FolderImageRow>(options);
  let sidecarPath = options.sidecar ? resolve(options.sidecar) : null;
  if (!sidecarPath) {
    for (const name of SIDECAR_NAMES) {
      const candidate = join(root, name);
      if (await fs.stat(candidate).then((s) => s.isFile(), () => false)) {
        sidecarPath = candidate;
        break;
      }
    }
  }
  const captions = sidecarPath ? await readSidecar(sidecarPath, basename(sidecarPath), (e) => batch.error(e)) : new Map<string, SidecarEntry[]>();
  const used = new Set<string>();
  const nameOf = (path: string) => relative(root, path).split(sep).join("/") || ".";
  let skipped: Partial<Record<SkippedEntryKind, number>> = {};
  const skip = (kind: SkippedEntryKind) => {
    batch.records++;
    skipped[kind] = (skipped[kind] ?? 0) + 1;
  };
  const take = (): ReadBatch<FolderImageRow> => {
    const taken = batch.take();
    if (Object.keys(skipped).length) taken.skipped = skipped;
    skipped = {};
    return taken;
  };

  /** Regular files in sorted depth-first order; an explicit stack, not recursion. */
  async function* walk(): AsyncGenerator<string> {
    const stack: { dir: string; entries: string[]; types: Map<string, EntryType>; next: number }[] = [];
    const list = async (dir: string): Promise<void> => {
      try {
        const entries = await fs.readdir(dir, { withFileTypes: true });
        const names = entries.map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        stack.push({ dir, entries: names, types: new Map(entries.map((e) => [e.name, e])), next: 0 });
      } catch (error) {
        batch.records++;
        batch.error({ kind: "unreadable_file", where: nameOf(dir), message: `${nameOf(dir)}: folder cannot be listed: ${(error as Error).message}` });
      }
    };
    await list(root);
    while (stack.length) {
      const top = stack.at(-1)!;
      if (top.next >= top.entries.length) {
        stack.pop();
        continue;
      }
      const name = top.entries[top.next++]!;
      const entry = top.types.get(name)!;
      const path = join(top.dir, name);
      if (entry.isDirectory()) await list(path);
      else if (entry.isFile()) {
        if (path !== sidecarPath) yield path;
      } else skip(skippedKind(entry));
    }
  }

  // Non-blocking (a FIFO swapped in after the listing must not hang the read) and not through a link.
  const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

  for await (const path of walk()) {
    batch.checkAborted();
    const file = nameOf(path);
    let bytes: Uint8Array;
    try {
      const handle = await fs.open(path, openFlags);
      try {
        const info = await handle.stat();
        if (!info.isFile()) {
          skip(skippedKind(info));
          continue;
        }
        bytes = await handle.readFile();
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ELOOP") skip("symlink"); // swapped for a link after the listing
      else {
        batch.records++;
        batch.error({ kind: "unreadable_file", where: file, message: `${file}: ${(error as Error).message}` });
      }
      continue;
    }
    batch.records++;
    batch.bytesRead += bytes.byteLength;
    const facts = imageFacts(bytes, { maxPixels: options.maxPixels });
    if (facts.status === "not_an_image" || facts.status === "bad_header" || facts.format === null) {
      batch.error({ kind: facts.status === "bad_header" ? "bad_image_header" : "not_an_image", where: file, message: `${file}: ${facts.message}` });
    } else {
      const base = { file, status: facts.status, format: facts.format, width: facts.width!, height: facts.height!, bytes: facts.bytes };
      const entries = captions.get(file);
      if (entries) used.add(file);
      for (const entry of entries ?? [null]) batch.row({ ...base, caption: entry?.caption ?? null });
    }
    if (batch.full) yield take();
  }
  for (const [file, entries] of captions) {
    if (used.has(file)) continue;
    for (const entry of entries) batch.error({ kind: "missing_file", where: entry.where, message: `${entry.where}: names ${JSON.stringify(file)}, which is not an image in ${root}` });
  }
  yield take();
}
