/**
 * Image facts from the first bytes of a file, without decoding pixels: the format by magic number
 * (never by extension or Content-Type) and the declared width and height from the header.
 * Pure byte parsing, so it runs in Node and the browser alike.
 */

/** Formats recognised by magic number. */
export type ImageFormat = "jpeg" | "png" | "gif" | "webp" | "bmp";
export const IMAGE_FORMATS: readonly ImageFormat[] = ["jpeg", "png", "gif", "webp", "bmp"];

/** File extension written for each format. */
export const FORMAT_EXTENSIONS: Record<ImageFormat, string> = { jpeg: "jpg", png: "png", gif: "gif", webp: "webp", bmp: "bmp" };

/** Result of reading a header: the declared size, or why it could not be read. */
export type HeaderResult =
  | { ok: true; format: ImageFormat; width: number; height: number }
  | { ok: false; format: ImageFormat | null; reason: "not_an_image" | "bad_header"; message: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, sig: readonly number[], offset = 0): boolean {
  if (bytes.byteLength < offset + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[offset + i] !== sig[i]) return false;
  return true;
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const RIFF = ascii("RIFF");
const WEBP = ascii("WEBP");
const GIF87 = ascii("GIF87a");
const GIF89 = ascii("GIF89a");

/** The image format by magic number, or null when the bytes are not a supported image. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, PNG_SIGNATURE)) return "png";
  if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return "gif";
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return "webp";
  // "BM" alone is too weak (text can start with it): also require a known DIB header size.
  if (startsWith(bytes, [0x42, 0x4d]) && bytes.byteLength >= 18 && [12, 40, 52, 56, 64, 108, 124].includes(le32(bytes, 14))) return "bmp";
  return null;
}

function le16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
function le24(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
}
function le32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
function be16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
function be32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

type Dims = { width: number; height: number } | string;

/** Largest side any header may declare: PNG's own ceiling, and what an int32 width/height column holds. */
export const MAX_DIMENSION = 2 ** 31 - 1;

/** JPEG: walk marker segments to the first start-of-frame (SOF0-15 except DHT, JPG, DAC). */
function jpegSize(b: Uint8Array): Dims {
  let o = 2;
  while (o + 4 <= b.byteLength) {
    if (b[o] !== 0xff) return `expected a marker at byte ${o}`;
    let marker = b[o + 1]!;
    while (marker === 0xff && o + 2 < b.byteLength) marker = b[++o + 1]!; // fill bytes
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2; // standalone markers carry no length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return "no frame header before the image data";
    if (o + 4 > b.byteLength) break;
    const length = be16(b, o + 2);
    if (length < 2) return `segment length ${length} at byte ${o}`;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (o + 9 > b.byteLength) break;
      return { height: be16(b, o + 5), width: be16(b, o + 7) };
    }
    o += 2 + length;
  }
  return "header ends before the frame header";
}

function pngSize(b: Uint8Array): Dims {
  if (b.byteLength < 24) return "header ends before IHDR";
  if (!startsWith(b, ascii("IHDR"), 12)) return "first chunk is not IHDR";
  const width = be32(b, 16);
  const height = be32(b, 20);
  // The PNG spec caps both at 2^31 - 1; a larger value is a corrupt (or hostile) header, not a huge image.
  if (width > MAX_DIMENSION || height > MAX_DIMENSION) return `IHDR declares ${width}×${height}, over the PNG limit of 2^31 - 1 per side`;
  return { width, height };
}

function gifSize(b: Uint8Array): Dims {
  if (b.byteLength < 10) return "header ends before the logical screen descriptor";
  return { width: le16(b, 6), height: le16(b, 8) };
}

function webpSize(b: Uint8Array): Dims {
  if (b.byteLength < 30) return "header ends before the first chunk";
  const chunk = String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!);
  if (chunk === "VP8 ") {
    // Lossy: frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return "VP8 start code missing";
    return { width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  }
  if (chunk === "VP8L") {
    if (b[20] !== 0x2f) return "VP8L signature missing";
    const bits = le32(b, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") return { width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  return `unknown first chunk ${JSON.stringify(chunk)}`;
}

function bmpSize(b: Uint8Array): Dims {
  const dib = le32(b, 14);
  if (dib === 12) {
    if (b.byteLength < 22) return "header ends before the core header";
    return { width: le16(b, 18), height: le16(b, 20) };
  }
  if (b.byteLength < 26) return "header ends before the info header";
  const height = le32(b, 22) | 0; // signed: negative means top-down rows
  return { width: le32(b, 18) | 0, height: Math.abs(height) };
}

const SIZE_READERS: Record<ImageFormat, (b: Uint8Array) => Dims> = { jpeg: jpegSize, png: pngSize, gif: gifSize, webp: webpSize, bmp: bmpSize };

/** Reads the format and declared dimensions from an image's header bytes (a prefix is enough). */
export function readImageHeader(bytes: Uint8Array): HeaderResult {
  const format = sniffFormat(bytes);
  if (!format) return { ok: false, format: null, reason: "not_an_image", message: "bytes do not start with a JPEG, PNG, GIF, WebP or BMP signature" };
  const dims = SIZE_READERS[format](bytes);
  if (typeof dims === "string") return { ok: false, format, reason: "bad_header", message: `${format}: ${dims}` };
  if (!(dims.width > 0 && dims.height > 0)) return { ok: false, format, reason: "bad_header", message: `${format}: declared size ${dims.width}×${dims.height}` };
  if (dims.width > MAX_DIMENSION || dims.height > MAX_DIMENSION) return { ok: false, format, reason: "bad_header", message: `${format}: declared size ${dims.width}×${dims.height} is over 2^31 - 1 per side` };
  return { ok: true, format, ...dims };
}

/**
 * Whether the file is complete, judged from its structure without decoding: JPEG has an end-of-image
 * marker after its first scan, PNG reaches IEND by walking chunk lengths, GIF reaches its trailer by
 * walking blocks, WebP and BMP hold at least the byte count their headers declare.
 */
export function isComplete(bytes: Uint8Array, format: ImageFormat): boolean {
  switch (format) {
    case "jpeg": return jpegComplete(bytes);
    case "png": return pngComplete(bytes);
    case "gif": return gifComplete(bytes);
    case "webp": return bytes.byteLength >= 12 && le32(bytes, 4) + 8 <= bytes.byteLength;
    case "bmp": return bytes.byteLength >= 6 && le32(bytes, 2) <= bytes.byteLength;
  }
}

function jpegComplete(b: Uint8Array): boolean {
  // Find the first start-of-scan segment, then an EOI (ff d9) after it. Entropy-coded data never
  // contains ff d9 (ff is byte-stuffed), so an EOI there is the real end; trailing bytes are allowed.
  let o = 2;
  let sos = -1;
  while (o + 4 <= b.byteLength) {
    if (b[o] !== 0xff) return false;
    const marker = b[o + 1]!;
    if (marker === 0xff) {
      o++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2;
      continue;
    }
    if (marker === 0xd9) return false;
    const length = be16(b, o + 2);
    if (marker === 0xda) {
      sos = o + 2 + length;
      break;
    }
    o += 2 + length;
  }
  if (sos < 0) return false;
  for (let i = b.byteLength - 2; i >= sos; i--) if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  return false;
}

function pngComplete(b: Uint8Array): boolean {
  let o = 8;
  while (o + 12 <= b.byteLength) {
    const length = be32(b, o);
    const type = String.fromCharCode(b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!);
    const next = o + 12 + length;
    if (next > b.byteLength) return false;
    if (type === "IEND") return true;
    o = next;
  }
  return false;
}

function gifComplete(b: Uint8Array): boolean {
  if (b.byteLength < 13) return false;
  let o = 13;
  const packed = b[10]!;
  if (packed & 0x80) o += 3 * (1 << ((packed & 7) + 1)); // global colour table
  const skipSubBlocks = (): boolean => {
    while (o < b.byteLength) {
      const size = b[o]!;
      o += 1 + size;
      if (size === 0) return true;
    }
    return false;
  };
  while (o < b.byteLength) {
    const block = b[o]!;
    if (block === 0x3b) return true; // trailer
    if (block === 0x21) {
      o += 2; // introducer + label
      if (!skipSubBlocks()) return false;
    } else if (block === 0x2c) {
      if (o + 10 > b.byteLength) return false;
      const local = b[o + 9]!;
      o += 10;
      if (local & 0x80) o += 3 * (1 << ((local & 7) + 1));
      o += 1; // LZW minimum code size
      if (!skipSubBlocks()) return false;
    } else return false;
  }
  return false;
}
