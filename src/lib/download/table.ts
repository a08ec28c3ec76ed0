/** The downloader's status table: one row per input row (the last attempt's outcome, or why it was not fetched), like img2dataset's per-shard Parquet. */
import type { ColumnSpec } from "../arrow/index.js";
import type { ImageFormat } from "../images/index.js";
import { DOWNLOAD_STATUSES, type DownloadStatus } from "./status.js";

export interface StatusRow {
  /** Null only for a bad_key row (the input's key was not a usable id). */
  key: number | null;
  url: string;
  caption: string | null;
  status: DownloadStatus;
  message: string | null;
  http_status: number | null;
  content_type: string | null;
  final_url: string | null;
  redirects: number;
  attempts: number;
  format: ImageFormat | null;
  width: number | null;
  height: number | null;
  bytes: number | null;
  path: string | null;
  saved_width: number | null;
  saved_height: number | null;
  elapsed_ms: number;
}

export const STATUS_COLUMNS: ColumnSpec<StatusRow>[] = [
  // float64, not int32: a table's own key (e.g. 3000000000) is kept exactly (integers to 2^53), not refused for our column's width.
  { name: "key", type: "float64", nullable: true, description: "input row id, an integer: the TSV line number, or the table's key/line column or row index; null for bad_key rows" },
  { name: "url", type: "utf8", description: "URL as given in the input" },
  { name: "caption", type: "utf8", nullable: true, description: "caption from the input, when it has one" },
  { name: "status", type: "utf8", description: `outcome: ${DOWNLOAD_STATUSES.join(" | ")}` },
  { name: "message", type: "utf8", nullable: true, description: "why the status is not ok (null when ok)" },
  { name: "http_status", type: "int32", nullable: true, description: "HTTP status of the last response, when one arrived" },
  { name: "content_type", type: "utf8", nullable: true, description: "Content-Type as served (the bytes decide the format, not this)" },
  { name: "final_url", type: "utf8", nullable: true, description: "URL of the last hop after redirects" },
  { name: "redirects", type: "int32", description: "redirects followed" },
  { name: "attempts", type: "int32", description: "attempts made in the run that produced this row (retries for transient failures)" },
  { name: "format", type: "utf8", nullable: true, description: "format by magic number: jpeg | png | gif | webp | bmp" },
  { name: "width", type: "int32", nullable: true, description: "declared width of the downloaded image (header); null when the header is unreadable, e.g. over 2^31 - 1 px (images/ refuses such a header: not_an_image)" },
  { name: "height", type: "int32", nullable: true, description: "declared height of the downloaded image (header); null as for width" },
  { name: "bytes", type: "int32", nullable: true, description: "downloaded body size in bytes" },
  { name: "path", type: "utf8", nullable: true, description: "saved file, relative to the output folder (null unless ok)" },
  { name: "saved_width", type: "int32", nullable: true, description: "width of the saved file (differs from width when resized)" },
  { name: "saved_height", type: "int32", nullable: true, description: "height of the saved file" },
  { name: "elapsed_ms", type: "float64", description: "wall time for this URL, retries included" },
];
