// The input formats the readers know (light: the CLI's help lists them; formats.ts detects and opens them).
export type SourceFormat = "cc3m" | "cc12m" | "cc-labels" | "coco-captions" | "coco-instances" | "coco-results" | "images" | "warc";
export const SOURCE_FORMATS: readonly SourceFormat[] = ["cc3m", "cc12m", "cc-labels", "coco-captions", "coco-instances", "coco-results", "images", "warc"];

/** The URL-list TSV layouts (tsv.ts reads them; `ccw download --help` lists them). */
export type TsvFormat = "cc3m" | "cc12m" | "cc-labels";
export const TSV_FORMATS: readonly TsvFormat[] = ["cc3m", "cc12m", "cc-labels"];
