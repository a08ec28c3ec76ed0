/**
 * The output table of every source format: stable column names, types and one-line descriptions
 * (stored as Arrow field metadata, and listed in docs/schemas.md, which a test keeps in step).
 */
import type { ColumnSpec } from "../arrow/index.js";
import type { FolderImageRow } from "./folder.js";
import type { CaptionRow, LabelsRow } from "./tsv.js";
import type { WarcCandidateRow, WarcImageRow } from "./warc.js";

/** `captions` table (cc3m, cc12m): one image URL and its alt-text caption per row. */
export const CAPTION_COLUMNS: ColumnSpec<CaptionRow>[] = [
  { name: "line", type: "int32", description: "1-based line number in the source TSV (stable id; survives sampling)" },
  { name: "caption", type: "utf8", description: "caption text exactly as in the file (CC3M: tokenized, lowercased, hypernymized)" },
  { name: "url", type: "utf8", description: "absolute http(s) image URL" },
];

/** `caption_labels` table (cc-labels): a caption pair plus the classifier labels of its image. */
export const LABELS_COLUMNS: ColumnSpec<LabelsRow>[] = [
  ...(CAPTION_COLUMNS as ColumnSpec<LabelsRow>[]),
  { name: "labels", type: "list<utf8>", description: "image classifier labels, by descending confidence" },
  { name: "mids", type: "list<utf8>", description: "Knowledge Graph machine ids, parallel to labels" },
  { name: "confidences", type: "list<float64>", description: "label confidences in [0, 1], parallel to labels" },
];

/** A reference caption from a COCO captions file, joined with its image's entry. */
export interface CocoCaptionRow {
  id: number | null;
  image_id: number;
  caption: string;
  file_name: string | null;
  width: number | null;
  height: number | null;
}

export const COCO_CAPTION_COLUMNS: ColumnSpec<CocoCaptionRow>[] = [
  { name: "id", type: "float64", nullable: true, description: "annotation id (null when the file has none); float64 because COCO ids can exceed int32" },
  { name: "image_id", type: "float64", description: "COCO image id" },
  { name: "caption", type: "utf8", description: "reference caption as written (not tokenized)" },
  { name: "file_name", type: "utf8", nullable: true, description: "image file name from the images array; null when the image is not listed" },
  { name: "width", type: "int32", nullable: true, description: "image width in pixels from the images array" },
  { name: "height", type: "int32", nullable: true, description: "image height in pixels from the images array" },
];

/** One annotated object from a COCO instances file, with its category's name. */
export interface CocoObjectRow {
  id: number | null;
  image_id: number;
  category_id: number;
  category: string;
  supercategory: string | null;
  bbox_x: number;
  bbox_y: number;
  bbox_w: number;
  bbox_h: number;
  area: number | null;
  iscrowd: boolean;
  file_name: string | null;
}

export const COCO_OBJECT_COLUMNS: ColumnSpec<CocoObjectRow>[] = [
  { name: "id", type: "float64", nullable: true, description: "annotation id (null when absent)" },
  { name: "image_id", type: "float64", description: "COCO image id" },
  { name: "category_id", type: "int32", description: "category id" },
  { name: "category", type: "utf8", description: "category name (e.g. \"dog\")" },
  { name: "supercategory", type: "utf8", nullable: true, description: "category's supercategory (e.g. \"animal\")" },
  { name: "bbox_x", type: "float64", description: "box left edge, pixels" },
  { name: "bbox_y", type: "float64", description: "box top edge, pixels" },
  { name: "bbox_w", type: "float64", description: "box width, pixels" },
  { name: "bbox_h", type: "float64", description: "box height, pixels" },
  { name: "area", type: "float64", nullable: true, description: "segmentation area in pixels, as given" },
  { name: "iscrowd", type: "bool", description: "true for a crowd region (many instances in one box)" },
  { name: "file_name", type: "utf8", nullable: true, description: "image file name from the images array" },
];

/** One model caption from a COCO caption results file. */
export interface CocoResultRow {
  index: number;
  image_id: number;
  caption: string;
}

export const COCO_RESULT_COLUMNS: ColumnSpec<CocoResultRow>[] = [
  { name: "index", type: "int32", description: "0-based position in the results array" },
  { name: "image_id", type: "float64", description: "COCO image id" },
  { name: "caption", type: "utf8", description: "the model's caption" },
];

export const FOLDER_IMAGE_COLUMNS: ColumnSpec<FolderImageRow>[] = [
  { name: "file", type: "utf8", description: "path relative to the folder, /-separated" },
  { name: "caption", type: "utf8", nullable: true, description: "caption from the sidecar; null when the image has none (one row per caption)" },
  { name: "status", type: "utf8", description: "verdict from the bytes: ok | truncated | too_many_pixels" },
  { name: "format", type: "utf8", description: "format by magic number: jpeg | png | gif | webp | bmp" },
  { name: "width", type: "int32", description: "declared width in pixels (from the header)" },
  { name: "height", type: "int32", description: "declared height in pixels (from the header)" },
  { name: "bytes", type: "int32", description: "file size in bytes" },
];

export const WARC_CANDIDATE_COLUMNS: ColumnSpec<WarcCandidateRow>[] = [
  { name: "record", type: "int32", description: "1-based number of the WARC record holding the page" },
  { name: "page_url", type: "utf8", description: "URL of the HTML page (WARC-Target-URI)" },
  { name: "page_title", type: "utf8", nullable: true, description: "the page's <title>, whitespace collapsed" },
  { name: "img_index", type: "int32", description: "0-based position of the <img> in the page" },
  { name: "src", type: "utf8", description: "absolute http(s) image URL (src, or data-src when src is absent), resolved against <base href> or the page URL" },
  { name: "alt", type: "utf8", nullable: true, description: "alt attribute as written, entities decoded; null when absent. Plain text: render with textContent, never as HTML" },
  { name: "width_attr", type: "int32", nullable: true, description: "the <img> width attribute when a plain integer" },
  { name: "height_attr", type: "int32", nullable: true, description: "the <img> height attribute when a plain integer" },
  { name: "context_chars", type: "int32", description: "visible text characters in the image's nearest block-level ancestor" },
  { name: "warc_date", type: "utf8", nullable: true, description: "capture time of the page (WARC-Date, ISO 8601)" },
];

export const WARC_IMAGE_COLUMNS: ColumnSpec<WarcImageRow>[] = [
  { name: "record", type: "int32", description: "1-based number of the WARC record" },
  { name: "url", type: "utf8", description: "image URL (WARC-Target-URI)" },
  { name: "warc_date", type: "utf8", nullable: true, description: "capture time (WARC-Date, ISO 8601)" },
  { name: "content_type", type: "utf8", nullable: true, description: "HTTP Content-Type as served (may disagree with the bytes)" },
  { name: "status", type: "utf8", description: "verdict from the bytes: ok | not_an_image | bad_header | truncated | too_many_pixels" },
  { name: "format", type: "utf8", nullable: true, description: "format by magic number: jpeg | png | gif | webp | bmp" },
  { name: "width", type: "int32", nullable: true, description: "declared width in pixels" },
  { name: "height", type: "int32", nullable: true, description: "declared height in pixels" },
  { name: "bytes", type: "int32", description: "payload size in bytes" },
];
