/**
 * Readers for the COCO caption toolkit's JSON files, from an already parsed JSON value:
 *
 * | reader               | file                                      | rows |
 * |----------------------|-------------------------------------------|------|
 * | `readCocoCaptions`   | `captions_*.json` (`images`, `annotations[].{image_id, caption}`) | {@link CocoCaption} |
 * | `readCocoInstances`  | `instances_*.json` (`images`, `categories`, `annotations[].{image_id, category_id, bbox}`) | {@link CocoObject} |
 * | `readCocoResults`    | a model's results, `[{image_id, caption}]`, one caption per image | {@link CocoResult} |
 *
 * A malformed entry never throws: it becomes a counted {@link CocoError} naming its array and index
 * (`annotations[12]`), and the rest is read. Only a document of the wrong shape (a results file that is
 * not an array) leaves the reader with `usable: false`. Ids (`id`, `image_id`, `category_id`) are
 * integers ≥ 0 (`bad_number` otherwise); a repeated image, category or annotation id is a
 * `duplicate_id` error naming the entry (the first is kept), so no two rows share a key. Messages
 * describe bad values one level deep, never walking a nested value (a bbox nested 100,000 deep).
 */

/** Why an entry was not read. Closed union: summaries tally by these keys. */
export type CocoErrorKind =
  /** The text is not JSON. */
  | "bad_json"
  /** A value has the wrong type (a string id, an object where an array belongs). */
  | "wrong_type"
  /** A required field is absent. */
  | "missing_field"
  /** A caption or name is empty after trimming. */
  | "empty_field"
  /** A number is not finite, not an integer where one is required, or out of range (negative box size). */
  | "bad_number"
  /** A second entry with the same id (image, category) or, in results, the same image_id; the first is kept. */
  | "duplicate_id"
  /** An id that points nowhere: a category_id not among the categories, a result image without references. */
  | "unknown_id";

export const COCO_ERROR_KINDS: readonly CocoErrorKind[] = ["bad_json", "wrong_type", "missing_field", "empty_field", "bad_number", "duplicate_id", "unknown_id"];

/** One entry that was not read. */
export interface CocoError {
  kind: CocoErrorKind;
  /** JSON path of the entry, e.g. `annotations[12]`; `$` for the document itself. */
  where: string;
  /** The entry's index in its array, from 0; -1 for the document itself. */
  index: number;
  message: string;
}

export interface CocoImage {
  id: number;
  fileName?: string;
  width?: number;
  height?: number;
}

export interface CocoCaption {
  /** The annotation id, when the file has one. */
  id?: number;
  imageId: number;
  caption: string;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory?: string;
}

/** One annotated object: its image, category and box `[x, y, width, height]` in pixels. */
export interface CocoObject {
  id?: number;
  imageId: number;
  categoryId: number;
  bbox: [number, number, number, number];
  area?: number;
  /** A crowd region (many instances in one box). */
  iscrowd: boolean;
}

export interface CocoResult {
  imageId: number;
  caption: string;
  /** Position in the results file, for error messages. */
  index?: number;
}

interface Read {
  /** False when the document itself has the wrong shape; then everything else is empty. */
  usable: boolean;
  errors: CocoError[];
}

export interface CocoCaptionsFile extends Read {
  images: CocoImage[];
  captions: CocoCaption[];
}

export interface CocoInstancesFile extends Read {
  images: CocoImage[];
  categories: CocoCategory[];
  objects: CocoObject[];
}

export interface CocoResultsFile extends Read {
  results: CocoResult[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)} (a string)`;
  if (typeof value === "object") return "an object";
  return `${String(value)} (a ${typeof value})`;
}

/** Collects entries and errors for one array of a document. */
class EntryReader {
  constructor(readonly errors: CocoError[]) {}

  fail(kind: CocoErrorKind, where: string, index: number, message: string): undefined {
    this.errors.push({ kind, where, index, message });
    return undefined;
  }

  /** Reads `array`'s entries with `parse`, which reports through `field` and returns undefined to skip. */
  each<T>(array: unknown[], name: string, parse: (entry: Json, field: Field) => T | undefined): T[] {
    const rows: T[] = [];
    // One Field moved along the array, its "name[index]" written only for an error: 30,000 entries read in ~10 ms less.
    const field = new Field(this, name);
    array.forEach((entry, index) => {
      if (!isObject(entry)) return this.fail("wrong_type", `${name}[${index}]`, index, `${name}[${index}] must be an object, got ${describe(entry)}`);
      const row = parse(entry, field.at(entry, index));
      if (row !== undefined) rows.push(row);
    });
    return rows;
  }
}

const ABSENT: unique symbol = Symbol("absent");
/** A caption is empty when trimming would leave nothing (tested without making the trimmed copy). */
const NOT_SPACE = /\S/;

/** Typed access to one entry's fields; each failed check records one error and returns undefined. */
class Field {
  private entry: Json = {};
  index = -1;

  constructor(private readonly reader: EntryReader, private readonly name: string) {}

  /** Points this field reader at entry `index` of the array. */
  at(entry: Json, index: number): this {
    this.entry = entry;
    this.index = index;
    return this;
  }

  get where(): string {
    return `${this.name}[${this.index}]`;
  }

  fail(kind: CocoErrorKind, message: string): undefined {
    return this.reader.fail(kind, this.where, this.index, `${this.where}: ${message}`);
  }

  /** The field's value, or ABSENT (recording missing_field unless optional): no wrapper object per field read. */
  private present(key: string, optional: boolean): unknown {
    const value = this.entry[key];
    if (value === undefined && !optional) this.fail("missing_field", `missing "${key}"`);
    return value === undefined ? ABSENT : value;
  }

  int(key: string, optional = false): number | undefined | null {
    const value = this.present(key, optional);
    if (value === ABSENT) return optional ? null : undefined;
    if (typeof value !== "number") return this.fail("wrong_type", `"${key}" must be an integer, got ${describe(value)}`);
    if (!Number.isSafeInteger(value)) return this.fail("bad_number", `"${key}" must be an integer, got ${value}`);
    return value;
  }

  /** An id: an integer ≥ 0 (a negative id is a key no table row should carry). */
  id(key: string, optional = false): number | undefined | null {
    const value = this.int(key, optional);
    if (typeof value === "number" && value < 0) return this.fail("bad_number", `"${key}" must be an id (an integer >= 0), got ${value}`);
    return value;
  }

  number(key: string, optional = false): number | undefined | null {
    const value = this.present(key, optional);
    if (value === ABSENT) return optional ? null : undefined;
    if (typeof value !== "number") return this.fail("wrong_type", `"${key}" must be a number, got ${describe(value)}`);
    if (!Number.isFinite(value)) return this.fail("bad_number", `"${key}" must be finite, got ${value}`);
    return value;
  }

  text(key: string, { optional = false, allowEmpty = false } = {}): string | undefined | null {
    const value = this.present(key, optional);
    if (value === ABSENT) return optional ? null : undefined;
    if (typeof value !== "string") return this.fail("wrong_type", `"${key}" must be a string, got ${describe(value)}`);
    if (!allowEmpty && !NOT_SPACE.test(value)) return this.fail("empty_field", `"${key}" is empty`);
    return value;
  }
}

/** The document's array `key`, or an error: absent arrays are `missing_field` unless optional. */
function arrayOf(doc: Json, key: string, errors: CocoError[], what: string, optional = false): unknown[] | undefined {
  const value = doc[key];
  if (value === undefined && optional) return [];
  if (!Array.isArray(value)) {
    errors.push({
      kind: value === undefined ? "missing_field" : "wrong_type",
      where: key,
      index: -1,
      message: `${what}: "${key}" must be an array, got ${value === undefined ? "nothing" : describe(value)}`,
    });
    return undefined;
  }
  return value;
}

function rootObject(json: unknown, what: string, errors: CocoError[]): Json | undefined {
  if (isObject(json)) return json;
  errors.push({ kind: "wrong_type", where: "$", index: -1, message: `expected ${what}, got ${describe(json)}` });
  return undefined;
}

/** Keeps the first entry per id (`seen`: ids of earlier batches, for streamed reading); later ones become `duplicate_id` errors. */
function uniqueBy<T>(rows: T[], idOf: (row: T) => number | undefined, name: string, errors: CocoError[], indexOf: (row: T, position: number) => number, seen = new Set<number>()): T[] {
  return rows.filter((row, position) => {
    const id = idOf(row);
    if (id === undefined) return true;
    if (!seen.has(id)) return seen.add(id);
    const index = indexOf(row, position);
    errors.push({ kind: "duplicate_id", where: `${name}[${index}]`, index, message: `${name}[${index}]: id ${id} appears again; the first entry is kept` });
    return false;
  });
}

function readImages(doc: Json, errors: CocoError[], what: string): CocoImage[] {
  const array = arrayOf(doc, "images", errors, what, true) ?? [];
  const reader = new EntryReader(errors);
  const rows = reader.each(array, "images", (_entry, f) => {
    const id = f.id("id");
    const fileName = f.text("file_name", { optional: true });
    const width = f.number("width", true);
    const height = f.number("height", true);
    if (id === undefined || fileName === undefined || width === undefined || height === undefined) return undefined;
    const image: CocoImage & { index: number } = { id: id!, index: f.index };
    if (fileName !== null) image.fileName = fileName;
    if (width !== null) image.width = width;
    if (height !== null) image.height = height;
    return image;
  });
  return uniqueBy(rows, (r) => r.id, "images", errors, (r) => r.index).map(({ index: _i, ...image }) => image);
}

/** Parses JSON text, turning a syntax error into a `bad_json` error instead of throwing. */
export function parseCocoJson(text: string): { json: unknown; error?: CocoError } {
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { json: undefined, error: { kind: "bad_json", where: "$", index: -1, message: `not JSON: ${detail}` } };
  }
}

const CAPTIONS_WHAT = 'a COCO captions file (an object with an "annotations" array of {image_id, caption})';

/** Options of the readers that coco-stream.ts needs to read a file batch by batch. */
export interface CocoReadOptions {
  /** Annotation ids already read (earlier batches); filled as the reader goes. */
  annotationIds?: Set<number>;
}

/** Annotation entries with their index, unique by id, index dropped. */
/** Annotations with a repeated id dropped (one duplicate_id error each); `indices[k]` is row k's index in the file. */
function uniqueAnnotations<T extends { id?: number }>(rows: T[], indices: readonly number[], errors: CocoError[], seen?: Set<number>): T[] {
  return uniqueBy(rows, (r) => r.id, "annotations", errors, (_r, position) => indices[position]!, seen);
}

/** readCocoCaptions(): the images and reference captions of a COCO captions annotation file. */
export function readCocoCaptions(json: unknown, options: CocoReadOptions = {}): CocoCaptionsFile {
  const errors: CocoError[] = [];
  const doc = rootObject(json, CAPTIONS_WHAT, errors);
  const annotations = doc && arrayOf(doc, "annotations", errors, CAPTIONS_WHAT);
  if (!doc || !annotations) return { usable: false, errors, images: [], captions: [] };
  const images = readImages(doc, errors, CAPTIONS_WHAT);
  const indices: number[] = [];
  const captions = new EntryReader(errors).each(annotations, "annotations", (_entry, f): CocoCaption | undefined => {
    const id = f.id("id", true);
    const imageId = f.id("image_id");
    const caption = f.text("caption");
    if (id === undefined || imageId === undefined || caption === undefined) return undefined;
    indices.push(f.index);
    // Object literals, not spreads: 25,000 references read without a copy each.
    return id !== null ? { id, imageId: imageId!, caption: caption! } : { imageId: imageId!, caption: caption! };
  });
  return { usable: true, errors, images, captions: uniqueAnnotations(captions, indices, errors, options.annotationIds) };
}

const INSTANCES_WHAT = 'a COCO instances file (an object with "categories" and "annotations" arrays)';

/** readCocoInstances(): the images, categories and object boxes of a COCO instances annotation file. */
export function readCocoInstances(json: unknown, options: CocoReadOptions = {}): CocoInstancesFile {
  const errors: CocoError[] = [];
  const doc = rootObject(json, INSTANCES_WHAT, errors);
  const categoryArray = doc && arrayOf(doc, "categories", errors, INSTANCES_WHAT);
  const annotations = doc && arrayOf(doc, "annotations", errors, INSTANCES_WHAT);
  if (!doc || !categoryArray || !annotations) return { usable: false, errors, images: [], categories: [], objects: [] };
  const images = readImages(doc, errors, INSTANCES_WHAT);
  const parsedCategories = new EntryReader(errors).each(categoryArray, "categories", (_entry, f) => {
    const id = f.id("id");
    const name = f.text("name");
    const supercategory = f.text("supercategory", { optional: true, allowEmpty: true });
    if (id === undefined || name === undefined || supercategory === undefined) return undefined;
    return { id: id!, name: name!, ...(supercategory !== null ? { supercategory } : {}), index: f.index };
  });
  const categories = uniqueBy(parsedCategories, (c) => c.id, "categories", errors, (c) => c.index).map(({ index: _i, ...c }) => c);
  const categoryIds = new Set(categories.map((c) => c.id));
  const validIds = categories.length > 8 ? `${categories.length} ids from ${Math.min(...categoryIds)} to ${Math.max(...categoryIds)}` : [...categoryIds].join(", ") || "none";
  const indices: number[] = [];
  const objects = new EntryReader(errors).each(annotations, "annotations", (entry, f): CocoObject | undefined => {
    const id = f.id("id", true);
    const imageId = f.id("image_id");
    const categoryId = f.id("category_id");
    const area = f.number("area", true);
    const bbox = entry.bbox;
    if (id === undefined || imageId === undefined || categoryId === undefined || area === undefined) return undefined;
    if (!categoryIds.has(categoryId!)) return f.fail("unknown_id", `category_id ${categoryId} is not among the file's categories (valid: ${validIds})`);
    if (bbox === undefined) return f.fail("missing_field", 'missing "bbox"');
    if (!Array.isArray(bbox) || bbox.length !== 4) return f.fail("wrong_type", `"bbox" must be [x, y, width, height], got ${describe(bbox)}${Array.isArray(bbox) ? ` of ${bbox.length}` : ""}`);
    // Each value described one level deep: a value nested 100,000 deep must not be walked (JSON.stringify recurses).
    if (!bbox.every((v) => typeof v === "number" && Number.isFinite(v))) return f.fail("bad_number", `"bbox" must hold 4 finite numbers, got [${bbox.map((v) => (typeof v === "number" ? String(v) : describe(v))).join(", ")}]`);
    if ((bbox[2] as number) < 0 || (bbox[3] as number) < 0) return f.fail("bad_number", `"bbox" width and height must be >= 0, got ${JSON.stringify(bbox)}`);
    const crowd = entry.iscrowd;
    if (crowd !== undefined && crowd !== 0 && crowd !== 1 && typeof crowd !== "boolean") return f.fail("wrong_type", `"iscrowd" must be 0 or 1, got ${describe(crowd)}`);
    indices.push(f.index);
    return {
      ...(id !== null ? { id } : {}),
      imageId: imageId!,
      categoryId: categoryId!,
      bbox: bbox as [number, number, number, number],
      ...(area !== null ? { area } : {}),
      iscrowd: crowd === 1 || crowd === true,
    };
  });
  return { usable: true, errors, images, categories, objects: uniqueAnnotations(objects, indices, errors, options.annotationIds) };
}

const RESULTS_WHAT = "a COCO caption results file (an array of {image_id, caption})";

/** readCocoResults(): a model's captions, one per image; a repeated image_id is a `duplicate_id` error (the first is kept). */
export function readCocoResults(json: unknown): CocoResultsFile {
  const errors: CocoError[] = [];
  if (!Array.isArray(json)) {
    errors.push({ kind: "wrong_type", where: "$", index: -1, message: `expected ${RESULTS_WHAT}, got ${describe(json)}` });
    return { usable: false, errors, results: [] };
  }
  const rows = new EntryReader(errors).each(json, "results", (_entry, f) => {
    const imageId = f.id("image_id");
    const caption = f.text("caption", { allowEmpty: true }); // an empty caption is a (bad) model output, scored 0
    if (imageId === undefined || caption === undefined) return undefined;
    return { imageId: imageId!, caption: caption!, index: f.index };
  });
  const results = uniqueBy(rows, (r) => r.imageId, "results", errors, (r) => r.index);
  return { usable: true, errors, results };
}

/** Reference captions per image id, in file order. */
export function captionsByImage(captions: readonly CocoCaption[]): Map<number, string[]> {
  const byImage = new Map<number, string[]>();
  for (const c of captions) {
    const list = byImage.get(c.imageId);
    if (list) list.push(c.caption);
    else byImage.set(c.imageId, [c.caption]);
  }
  return byImage;
}

/** Distinct annotated category names per image id (crowd regions included, as CHAIR does). */
export function objectsByImage(instances: Pick<CocoInstancesFile, "categories" | "objects">): Map<number, string[]> {
  const names = new Map(instances.categories.map((c) => [c.id, c.name]));
  const byImage = new Map<number, Set<string>>();
  for (const o of instances.objects) {
    const name = names.get(o.categoryId);
    if (name === undefined) continue;
    const set = byImage.get(o.imageId) ?? new Set<string>();
    set.add(name);
    byImage.set(o.imageId, set);
  }
  return new Map([...byImage].map(([id, set]) => [id, [...set]]));
}

/** One result joined with its image's references and (optionally) annotated objects: a metrics CaptionRecord. */
export interface CocoEvaluationRecord {
  imageId: number;
  caption: string;
  references: string[];
  objects?: string[];
}

export interface CocoJoin {
  records: CocoEvaluationRecord[];
  /** Results whose image has no reference captions (`unknown_id`), skipped. */
  errors: CocoError[];
  /** Images with references but no result: not evaluated, as in the toolkit. */
  imagesWithoutResult: number;
}

/**
 * joinCocoResults(): pairs each result with its references (and objects, when instances are given); the
 * toolkit evaluates exactly the result images. An image absent from the instances has no objects.
 */
export function joinCocoResults(results: readonly CocoResult[], references: ReadonlyMap<number, string[]>, objects?: ReadonlyMap<number, string[]>): CocoJoin {
  const errors: CocoError[] = [];
  const records: CocoEvaluationRecord[] = [];
  const seen = new Set<number>();
  results.forEach((r, i) => {
    const index = r.index ?? i;
    const refs = references.get(r.imageId);
    if (!refs) {
      errors.push({ kind: "unknown_id", where: `results[${index}]`, index, message: `results[${index}]: image_id ${r.imageId} has no reference captions in the annotations` });
      return;
    }
    seen.add(r.imageId);
    records.push({ imageId: r.imageId, caption: r.caption, references: refs, ...(objects ? { objects: objects.get(r.imageId) ?? [] } : {}) });
  });
  return { records, errors, imagesWithoutResult: [...references.keys()].filter((id) => !seen.has(id)).length };
}

/** Tally of errors by kind, every kind present (0 when none), for summaries. */
export function countCocoErrors(errors: readonly CocoError[]): Record<CocoErrorKind, number> {
  const counts = Object.fromEntries(COCO_ERROR_KINDS.map((k) => [k, 0])) as Record<CocoErrorKind, number>;
  for (const e of errors) counts[e.kind]++;
  return counts;
}
