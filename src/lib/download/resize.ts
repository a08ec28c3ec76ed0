/**
 * Optional resizing of downloaded images (Node: sharp), img2dataset's modes:
 * - `no`: keep the original bytes (default; nothing decoded);
 * - `keep_ratio`: scale so the shorter side is `size`;
 * - `center_crop`: scale so the shorter side is `size`, then crop the centre to size × size;
 * - `border`: scale so the longer side is `size`, then pad to size × size with black.
 * The image is re-encoded in its own format (GIF becomes PNG). BMP cannot be resized: sharp's
 * prebuilt libvips does not decode it, so such images end as `resize_error` (counted).
 */
import { DecodeError, loadSharp, type ImageFormat } from "../images/index.js";

export type ResizeMode = "no" | "keep_ratio" | "center_crop" | "border";
export const RESIZE_MODES: readonly ResizeMode[] = ["no", "keep_ratio", "center_crop", "border"];

export interface ResizeOptions {
  mode: ResizeMode;
  /** Target side in pixels. */
  size: number;
}

export interface Resized {
  data: Uint8Array;
  format: ImageFormat;
  width: number;
  height: number;
}

/** Resizes an image that has already passed the header and pixel-limit checks. */
export async function resizeImage(bytes: Uint8Array, format: ImageFormat, options: ResizeOptions, maxPixels: number): Promise<Resized> {
  if (!RESIZE_MODES.includes(options.mode)) throw new RangeError(`unknown resize mode ${JSON.stringify(options.mode)}; valid: ${RESIZE_MODES.join(", ")}`);
  const sharp = await loadSharp();
  const fit = { keep_ratio: "outside", center_crop: "cover", border: "contain", no: "inside" } as const;
  const out: ImageFormat = format === "bmp" || format === "gif" ? "png" : format;
  try {
    let pipeline = sharp(bytes, { limitInputPixels: maxPixels, failOn: "error", animated: false })
      .rotate() // honour EXIF orientation before measuring sides
      .resize({ width: options.size, height: options.size, fit: fit[options.mode], background: { r: 0, g: 0, b: 0, alpha: 1 } });
    pipeline = out === "jpeg" ? pipeline.jpeg({ quality: 95 }) : out === "webp" ? pipeline.webp({ quality: 95 }) : pipeline.png();
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { data, format: out, width: info.width, height: info.height };
  } catch (error) {
    throw new DecodeError("decode_error", `resize (${options.mode} ${options.size}): ${error instanceof Error ? error.message : String(error)}`);
  }
}
