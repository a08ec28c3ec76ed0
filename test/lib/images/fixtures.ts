// Generated image fixtures for tests: real encoder output (sharp) plus hand-built headers.
import sharp from "sharp";

export type Encodable = "jpeg" | "png" | "gif" | "webp" | "webp-lossless" | "webp-alpha" | "jpeg-progressive";

/** A real image of the given size and format, with a gradient so encoders cannot make it trivially tiny. */
export async function makeImage(format: Encodable | "bmp", width: number, height: number): Promise<Buffer> {
  if (format === "bmp") return makeBmp(width, height);
  const channels = format === "webp-alpha" || format === "png" ? 4 : 3;
  const raw = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      raw[i] = (x * 255) / Math.max(1, width - 1);
      raw[i + 1] = (y * 255) / Math.max(1, height - 1);
      raw[i + 2] = ((x ^ y) & 0xff);
      if (channels === 4) raw[i + 3] = format === "webp-alpha" ? 128 : 255;
    }
  }
  const image = sharp(raw, { raw: { width, height, channels } });
  switch (format) {
    case "jpeg": return image.jpeg({ quality: 80 }).toBuffer();
    case "jpeg-progressive": return image.jpeg({ quality: 80, progressive: true }).toBuffer();
    case "png": return image.png().toBuffer();
    case "gif": return image.gif().toBuffer();
    case "webp": return image.webp({ quality: 80 }).toBuffer();
    case "webp-lossless": return image.webp({ lossless: true }).toBuffer();
    case "webp-alpha": return image.webp({ quality: 80, alphaQuality: 50 }).toBuffer();
  }
}

/** A 24-bit uncompressed BMP (sharp cannot write BMP). Negative height = top-down rows when `topDown`. */
export function makeBmp(width: number, height: number, topDown = false): Buffer {
  const rowSize = Math.ceil((width * 3) / 4) * 4;
  const pixels = rowSize * height;
  const b = Buffer.alloc(54 + pixels);
  b.write("BM", 0, "ascii");
  b.writeUInt32LE(54 + pixels, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(topDown ? -height : height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(pixels, 34);
  for (let i = 54; i < b.length; i++) b[i] = i & 0xff;
  return b;
}

/** A PNG whose IHDR declares a huge size (a decompression-bomb header); only the first chunks exist. */
export function pngHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write("IHDR", 12, "ascii");
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  b[24] = 8; // bit depth
  b[25] = 2; // colour type RGB
  return b;
}
