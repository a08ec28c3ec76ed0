/**
 * Bounded decoding (Node only: uses sharp, loaded on first use so browser bundles never see it).
 * The declared pixel count is checked from the header before any pixel is decoded, and sharp is
 * given the same limit, so neither a lying header nor a decompression bomb can exhaust memory.
 */
import { DEFAULT_MAX_PIXELS, imageFacts } from "./facts.js";

export interface DecodedImage {
  width: number;
  height: number;
  /** Channels per pixel in `data` (3 = RGB, 4 = RGBA). */
  channels: number;
  /** Interleaved 8-bit pixels, row-major: [height, width, channels]. */
  data: Uint8Array;
}

/** Thrown when an image cannot be decoded; `reason` says why, from the image status union or "decode_error". */
export class DecodeError extends Error {
  constructor(
    readonly reason: "not_an_image" | "bad_header" | "truncated" | "too_many_pixels" | "decode_error",
    message: string,
  ) {
    super(message);
    this.name = "DecodeError";
  }
}

type Sharp = typeof import("sharp").default;
let sharpModule: Promise<Sharp> | undefined;

/** Loads sharp once (Node only). */
export function loadSharp(): Promise<Sharp> {
  const specifier = "sharp"; // a variable, so browser bundlers never try to resolve sharp
  sharpModule ??= (import(/* @vite-ignore */ specifier) as Promise<typeof import("sharp")>).then((m) => m.default);
  return sharpModule;
}

/** Decodes an image to 8-bit pixels, refusing (DecodeError) anything over `maxPixels` before decoding. */
export async function decodeImage(bytes: Uint8Array, options: { maxPixels?: number } = {}): Promise<DecodedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const facts = imageFacts(bytes, { maxPixels });
  if (facts.status !== "ok") throw new DecodeError(facts.status, facts.message ?? facts.status);
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: "error", animated: false })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    throw new DecodeError("decode_error", `decoding ${facts.format} ${facts.width}×${facts.height}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
