/**
 * Facts about an image file from its bytes alone: format (magic number), declared size (header),
 * byte count, completeness (structure walk), and whether its declared pixel count is acceptable.
 * Nothing is decoded, so a hostile header cannot make this allocate a huge pixel buffer.
 */
import { isComplete, readImageHeader, type ImageFormat } from "./header.js";

/** Verdict on an image's bytes. Closed union: callers tally by these keys. */
export type ImageStatus =
  /** A supported format with a readable header, complete, within the pixel limit. */
  | "ok"
  /** Not a JPEG, PNG, GIF, WebP or BMP by magic number (HTML error pages, SVG, HEIC, ...). */
  | "not_an_image"
  /** A supported signature but a header that is cut off or declares a zero size. */
  | "bad_header"
  /** Header readable but the file ends before its structure does (cut-off download). */
  | "truncated"
  /** Declared width × height exceeds `maxPixels` (decompression-bomb guard). */
  | "too_many_pixels";

export const IMAGE_STATUSES: readonly ImageStatus[] = ["ok", "not_an_image", "bad_header", "truncated", "too_many_pixels"];

export interface ImageFacts {
  status: ImageStatus;
  format: ImageFormat | null;
  width: number | null;
  height: number | null;
  /** File size in bytes. */
  bytes: number;
  /** Why the status is not "ok"; null when it is. */
  message: string | null;
}

/** Pillow's decompression-bomb threshold (Image.MAX_IMAGE_PIXELS), the default pixel limit. */
export const DEFAULT_MAX_PIXELS = 89_478_485;

export interface FactsOptions {
  /** Largest declared width × height accepted. Default {@link DEFAULT_MAX_PIXELS}. */
  maxPixels?: number;
  /** Check that the file is structurally complete (default true); false for header-only prefixes. */
  checkComplete?: boolean;
}

/** Reads an image's facts from its bytes; never throws on bad input. */
export function imageFacts(bytes: Uint8Array, options: FactsOptions = {}): ImageFacts {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = readImageHeader(bytes);
  if (!header.ok) return { status: header.reason, format: header.format, width: null, height: null, bytes: bytes.byteLength, message: header.message };
  const { format, width, height } = header;
  const facts = { format, width, height, bytes: bytes.byteLength };
  if (width * height > maxPixels) {
    return { ...facts, status: "too_many_pixels", message: `declared ${width}×${height} = ${width * height} pixels, more than maxPixels ${maxPixels}` };
  }
  if (options.checkComplete !== false && !isComplete(bytes, format)) {
    return { ...facts, status: "truncated", message: `${format} file ends before its end marker (${bytes.byteLength} bytes)` };
  }
  return { ...facts, status: "ok", message: null };
}
