/**
 * The datasets the explorer can show, and its facets. Data, not code: a new dataset is one entry
 * here plus one line binding its loader's file in the page.
 */

/** How the grid finds a row's picture. */
export type ImageSource = "synthetic" | "web" | "coco" | "none";

export interface DatasetInfo {
  id: string;
  /** SQL table name in the page's DuckDB (the SQL console queries it by this name). */
  table: string;
  label: string;
  /** One sentence for the page: what the rows are. */
  description: string;
  images: ImageSource;
  /** External source it reads, when not built in: the environment variable that configures it. */
  configuredBy: string | null;
  /** Made in the browser by SQL (src/lib/explore/generate.ts) instead of loaded from a file. */
  generated?: boolean;
  /** The file has another schema and becomes explore rows in DuckDB (src/lib/explore/adapt.ts). */
  adapter?: "filter-output";
}

export const DATASETS: readonly DatasetInfo[] = [
  {
    id: "synth",
    table: "synth",
    label: "Synthetic crawl: alt-text candidates",
    description: "every image/alt-text pair of the built-in synthetic web crawl, with its noise class, image style and objects",
    images: "synthetic",
    configuredBy: null,
  },
  {
    id: "filtered",
    table: "filtered",
    label: "Filter pipeline output",
    description: "the synthetic crawl's candidates through the cc3m filter preset (src/data/filter-candidates.arrow.ts), each with its status: kept (showing the transformed caption) or the first rule that rejected it (showing the alt-text); the full output, with every feature, is the SQL table filter_candidates",
    images: "synthetic",
    configuredBy: null,
    adapter: "filter-output",
  },
  {
    id: "cc3m",
    table: "cc3m",
    label: "Conceptual Captions (CC3M/CC12M TSV)",
    description: "caption/URL pairs from a Conceptual Captions TSV (CC3M captions are tokenised, lower-cased and hypernymized)",
    images: "web",
    configuredBy: "CCW_CAPTIONS",
  },
  {
    id: "coco-captions",
    table: "coco_captions",
    label: "COCO captions",
    description: "reference captions from a COCO captions file, five per image, with object categories when an instances file is configured",
    images: "coco",
    configuredBy: "CCW_COCO_CAPTIONS",
  },
  {
    id: "generated",
    table: "generated",
    label: "Generated at scale",
    description: "made-up captions generated in your browser by SQL, to try the explorer at the size of a real dataset (web image URLs on the reserved .example domain)",
    images: "web",
    configuredBy: null,
    generated: true,
  },
];

/** Row counts the generated dataset offers. */
export const GENERATED_SIZES = [10_000, 100_000, 1_000_000] as const;

export function datasetInfo(id: string): DatasetInfo {
  const found = DATASETS.find((d) => d.id === id);
  if (!found) throw new RangeError(`unknown dataset "${id}"; valid: ${DATASETS.map((d) => d.id).join(", ")}`);
  return found;
}

/** What explore-datasets.json says about each file-backed dataset. */
export interface DatasetStatus {
  configured: boolean;
  /** Where the setting came from (env:CCW_CAPTIONS, file:..., builtin). */
  origin: string;
  /** File name of the source (never its full path: the site may be published). */
  source: string | null;
}

/** A categorical facet: one column, values picked with checkboxes. */
export interface FacetInfo {
  id: string;
  column: string;
  label: string;
  /** "value": one value per row; "set": a comma-separated set per row (object categories). */
  kind: "value" | "set";
  /** Values listed (the selected ones always are). */
  limit: number;
}

export const FACETS: readonly FacetInfo[] = [
  { id: "noise_class", column: "noise_class", label: "Noise class", kind: "value", limit: 20 },
  { id: "status", column: "status", label: "Filter status", kind: "value", limit: 20 },
  { id: "style", column: "style", label: "Image style", kind: "value", limit: 20 },
  { id: "category", column: "categories", label: "Object category", kind: "set", limit: 15 },
  { id: "domain", column: "domain", label: "URL domain", kind: "value", limit: 12 },
];

/** A numeric facet: a histogram and a min/max range. */
export interface RangeInfo {
  id: string;
  column: string;
  label: string;
  unit: string;
}

export const RANGES: readonly RangeInfo[] = [
  { id: "chars", column: "chars", label: "Caption length", unit: "characters" },
  { id: "words", column: "words", label: "Word count", unit: "words" },
];
