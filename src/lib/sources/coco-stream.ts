/**
 * COCO JSON files as streams of row batches. The entry rules are coco.ts's (readCocoCaptions,
 * readCocoInstances, readCocoResults), applied batch by batch to elements cut out of the file by
 * json-stream.ts, so memory is bounded by the small arrays (images, categories) plus one batch of
 * annotations, not by the file.
 *
 * Local files and in-memory bytes are read twice: first `images` and `categories` (COCO puts
 * `categories` after `annotations`), then `annotations`. Streams and URLs are read once; then
 * instances annotations wait in memory until the categories arrive.
 *
 * Errors name the entry's global position (`annotations[123456]`); an element that is not JSON
 * costs only itself (`bad_json`); a file cut off mid-way keeps every complete element and adds one
 * `bad_json` error for the document.
 */
import { readCocoCaptions, readCocoInstances, readCocoResults, type CocoCategory, type CocoError, type CocoImage } from "./coco.js";
import { openInput, type ByteInput } from "./bytes.js";
import { emptyScanResult, jsonArrayElements, type JsonElement, type JsonScanResult } from "./json-stream.js";
import type { CocoCaptionRow, CocoObjectRow, CocoResultRow } from "./schemas.js";
import { DEFAULT_BATCH_SIZE, ReadFailure, type ReadError, type ReaderOptions } from "./types.js";

export type CocoFormat = "coco-captions" | "coco-instances" | "coco-results";

interface CocoBatch {
  rows: object[];
  errors: ReadError[];
}

const WHAT: Record<CocoFormat, string> = {
  "coco-captions": 'a COCO captions file (an object with an "annotations" array of {image_id, caption})',
  "coco-instances": 'a COCO instances file (an object with "categories" and "annotations" arrays)',
  "coco-results": "a COCO caption results file (an array of {image_id, caption})",
};

/** Whether an input can be opened a second time (for the two-pass read). */
function reopenable(input: ByteInput): boolean {
  return input instanceof Uint8Array || (typeof input === "string" && !/^https?:\/\//i.test(input));
}

/**
 * Parses a batch of elements; returns the values and, for each, its global index. Bad JSON, and an
 * element past the scanner's depth or size limit (never parsed), become errors naming the file.
 */
function parseElements(elements: JsonElement[], errors: ReadError[], file: string): { values: unknown[]; indices: number[] } {
  const values: unknown[] = [];
  const indices: number[] = [];
  for (const e of elements) {
    if (e.problem) {
      const where = `${e.key || "results"}[${e.index}]`;
      errors.push({ kind: e.problem.kind === "too_deep" ? "bad_json" : "record_too_large", where, message: `${file}: ${where} is ${e.problem.message}; skipped` });
      continue;
    }
    try {
      values.push(JSON.parse(e.text));
      indices.push(e.index);
    } catch (error) {
      const where = `${e.key || "results"}[${e.index}]`;
      errors.push({ kind: "bad_json", where, message: `${where}: not JSON (${(error as Error).message})` });
    }
  }
  return { values, indices };
}

/** Maps a coco.ts error about batch entry j of `array` to the entry's global index. */
function globalError(e: CocoError, array: string, indices: number[]): ReadError {
  if (e.index < 0) return { kind: e.kind, where: e.where, message: e.message };
  const index = indices[e.index] ?? e.index;
  const local = `${array}[${e.index}]`;
  const where = `${array}[${index}]`;
  return { kind: e.kind, where, message: e.message.split(local).join(where) };
}

/** The input's name for messages: its path or URL, or "(bytes)"/"(stream)". */
function inputName(input: ByteInput): string {
  return input instanceof Uint8Array ? "(bytes)" : typeof input === "string" || input instanceof URL ? String(input) : "(stream)";
}

async function scan(input: ByteInput, wanted: string[], result: JsonScanResult, signal?: AbortSignal): Promise<AsyncGenerator<JsonElement>> {
  const opened = await openInput(input, { signal });
  return jsonArrayElements(opened.chunks, new Set(wanted), result);
}

async function collect(elements: AsyncGenerator<JsonElement>): Promise<Map<string, JsonElement[]>> {
  const byKey = new Map<string, JsonElement[]>();
  for await (const e of elements) {
    const list = byKey.get(e.key) ?? [];
    list.push(e);
    byKey.set(e.key, list);
  }
  return byKey;
}

function documentErrors(format: CocoFormat, result: JsonScanResult, required: string[]): ReadError[] {
  const errors: ReadError[] = [];
  if (result.error) errors.push({ kind: "bad_json", where: "$", message: `${result.error}; every complete entry before that point was read` });
  if (format === "coco-results") {
    if (!result.rootArray && !result.error) errors.push({ kind: "wrong_type", where: "$", message: `expected ${WHAT[format]}, got an object` });
    return errors;
  }
  if (result.rootArray) {
    errors.push({ kind: "wrong_type", where: "$", message: `expected ${WHAT[format]}, got an array` });
    return errors;
  }
  for (const key of required) {
    const type = result.keys.get(key);
    if (type === undefined && !result.error) errors.push({ kind: "missing_field", where: key, message: `${WHAT[format]}: "${key}" must be an array, got nothing` });
    else if (type !== undefined && type !== "array") errors.push({ kind: "wrong_type", where: key, message: `${WHAT[format]}: "${key}" must be an array, got ${type === "other" ? "a scalar" : `an ${type}`}` });
  }
  return errors;
}

const categoryJson = (c: CocoCategory) => ({ id: c.id, name: c.name, ...(c.supercategory !== undefined ? { supercategory: c.supercategory } : {}) });

/** Reads a COCO captions, instances or results file as batches of rows for its table. */
export async function* readCocoBatches(format: CocoFormat, input: ByteInput, options: ReaderOptions = {}): AsyncGenerator<CocoBatch> {
  const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const source = inputName(input);
  let totalRows = 0;
  let totalErrors = 0;
  let records = 0;
  const emit = (rows: object[], errors: ReadError[]): CocoBatch => {
    if (options.strict && errors.length) throw new ReadFailure(errors[0]!);
    totalRows += rows.length;
    totalErrors += errors.length;
    options.onProgress?.({ bytesRead: 0, totalBytes: null, records, rows: totalRows, errors: totalErrors });
    return { rows, errors };
  };

  if (format === "coco-results") {
    const result = emptyScanResult();
    const seen = new Set<number>();
    let pending: JsonElement[] = [];
    const flush = (): CocoBatch => {
      const errors: ReadError[] = [];
      const { values, indices } = parseElements(pending, errors, source);
      records += pending.length;
      pending = [];
      const file = readCocoResults(values);
      errors.push(...file.errors.map((e) => globalError(e, "results", indices)));
      const rows: CocoResultRow[] = [];
      for (const r of file.results) {
        const index = indices[r.index ?? 0]!;
        if (seen.has(r.imageId)) {
          errors.push({ kind: "duplicate_id", where: `results[${index}]`, message: `results[${index}]: id ${r.imageId} appears again; the first entry is kept` });
          continue;
        }
        seen.add(r.imageId);
        rows.push({ index, image_id: r.imageId, caption: r.caption });
      }
      return emit(rows, errors);
    };
    for await (const e of await scan(input, [""], result, options.signal)) {
      pending.push(e);
      if (pending.length >= size) yield flush();
    }
    yield flush();
    const docErrors = documentErrors(format, result, []);
    if (docErrors.length) yield emit([], docErrors);
    return;
  }

  const twoPass = reopenable(input);
  const result = emptyScanResult();
  const small = format === "coco-captions" ? ["images"] : ["images", "categories"];
  // Pass 1 (or the single pass): the small arrays, validated once.
  let early: Map<string, JsonElement[]>;
  let annotationSource: AsyncIterable<JsonElement>;
  if (twoPass) {
    early = await collect(await scan(input, small, emptyScanResult(), options.signal));
    annotationSource = await scan(input, ["annotations"], result, options.signal);
  } else {
    early = new Map();
    // One pass: small arrays are collected as they pass; annotations stream (captions) or wait (instances).
    const all = await scan(input, [...small, "annotations"], result, options.signal);
    annotationSource = (async function* () {
      const waiting: JsonElement[] = [];
      for await (const e of all) {
        if (e.key !== "annotations") {
          const list = early.get(e.key) ?? [];
          list.push(e);
          early.set(e.key, list);
        } else if (format === "coco-instances") waiting.push(e);
        else yield e;
      }
      yield* waiting;
    })();
  }

  let images = new Map<number, CocoImage>();
  let categoriesJson: unknown[] = [];
  let categories = new Map<number, CocoCategory>();
  let smallReady = false;
  const prepareSmall = (): ReadError[] => {
    smallReady = true;
    const errors: ReadError[] = [];
    const imagesParsed = parseElements(early.get("images") ?? [], errors, source);
    if (format === "coco-captions") {
      const file = readCocoCaptions({ images: imagesParsed.values, annotations: [] });
      errors.push(...file.errors.map((e) => globalError(e, "images", imagesParsed.indices)));
      images = new Map(file.images.map((i) => [i.id, i]));
    } else {
      const categoriesParsed = parseElements(early.get("categories") ?? [], errors, source);
      const file = readCocoInstances({ images: imagesParsed.values, categories: categoriesParsed.values, annotations: [] });
      errors.push(...file.errors.map((e) => globalError(e, e.where.startsWith("categories") ? "categories" : "images", e.where.startsWith("categories") ? categoriesParsed.indices : imagesParsed.indices)));
      images = new Map(file.images.map((i) => [i.id, i]));
      categories = new Map(file.categories.map((c) => [c.id, c]));
      categoriesJson = file.categories.map(categoryJson);
    }
    records += imagesParsed.values.length + categoriesJson.length;
    return errors;
  };

  let pending: JsonElement[] = [];
  const annotationIds = new Set<number>(); // every annotation id read so far: a repeat in a later batch is a duplicate too
  const flush = (): CocoBatch => {
    const errors = smallReady ? [] : prepareSmall();
    const parsed = parseElements(pending, errors, source);
    records += pending.length;
    pending = [];
    if (format === "coco-captions") {
      const file = readCocoCaptions({ annotations: parsed.values }, { annotationIds });
      errors.push(...file.errors.map((e) => globalError(e, "annotations", parsed.indices)));
      const rows = file.captions.map((c): CocoCaptionRow => {
        const image = images.get(c.imageId);
        return { id: c.id ?? null, image_id: c.imageId, caption: c.caption, file_name: image?.fileName ?? null, width: image?.width ?? null, height: image?.height ?? null };
      });
      return emit(rows, errors);
    }
    const file = readCocoInstances({ categories: categoriesJson, annotations: parsed.values }, { annotationIds });
    errors.push(...file.errors.map((e) => globalError(e, "annotations", parsed.indices)));
    const rows = file.objects.map((o): CocoObjectRow => {
      const category = categories.get(o.categoryId)!;
      const [x, y, w, h] = o.bbox;
      return {
        id: o.id ?? null, image_id: o.imageId, category_id: o.categoryId, category: category.name, supercategory: category.supercategory ?? null,
        bbox_x: x, bbox_y: y, bbox_w: w, bbox_h: h, area: o.area ?? null, iscrowd: o.iscrowd, file_name: images.get(o.imageId)?.fileName ?? null,
      };
    });
    return emit(rows, errors);
  };

  for await (const e of annotationSource) {
    pending.push(e);
    if (pending.length >= size) yield flush();
  }
  yield flush();
  const docErrors = documentErrors(format, result, format === "coco-captions" ? ["annotations"] : ["annotations", "categories"]);
  if (docErrors.length) yield emit([], docErrors);
}
