/** The downloader's status table: one row per input URL (the last attempt's outcome), like img2dataset's per-shard Parquet. */
import type { ColumnSpec } from "../arrow/index.js";
import type { ImageFormat } from "../images/index.js";
import type { DownloadStatus } from "./status.js";

export interface StatusRow {
  key: number;
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
  { name: "key", type: "int32", description: "input row id: the TSV line number, or the table's line/key column or row index" },
  { name: "url", type: "utf8", description: "URL as given in the input" },
  { name: "caption", type: "utf8", nullable: true, description: "caption from the input, when it has one" },
  { name: "status", type: "utf8", description: "outcome: ok | bad_url | blocked_address | dns_error | network_error | timeout | http_error | too_many_redirects | opted_out | too_large | not_an_image | truncated | too_many_pixels | resize_error" },
  { name: "message", type: "utf8", nullable: true, description: "why the status is not ok (null when ok)" },
  { name: "http_status", type: "int32", nullable: true, description: "HTTP status of the last response, when one arrived" },
  { name: "content_type", type: "utf8", nullable: true, description: "Content-Type as served (the bytes decide the format, not this)" },
  { name: "final_url", type: "utf8", nullable: true, description: "URL of the last hop after redirects" },
  { name: "redirects", type: "int32", description: "redirects followed" },
  { name: "attempts", type: "int32", description: "attempts made in the run that produced this row (retries for transient failures)" },
  { name: "format", type: "utf8", nullable: true, description: "format by magic number: jpeg | png | gif | webp | bmp" },
  { name: "width", type: "int32", nullable: true, description: "declared width of the downloaded image (header)" },
  { name: "height", type: "int32", nullable: true, description: "declared height of the downloaded image (header)" },
  { name: "bytes", type: "int32", nullable: true, description: "downloaded body size in bytes" },
  { name: "path", type: "utf8", nullable: true, description: "saved file, relative to the output folder (null unless ok)" },
  { name: "saved_width", type: "int32", nullable: true, description: "width of the saved file (differs from width when resized)" },
  { name: "saved_height", type: "int32", nullable: true, description: "height of the saved file" },
  { name: "elapsed_ms", type: "float64", description: "wall time for this URL, retries included" },
];
