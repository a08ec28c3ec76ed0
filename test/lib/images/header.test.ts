import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage, DecodeError, imageFacts, isComplete, MAX_DIMENSION, readImageHeader, sniffFormat } from "../../../src/lib/images/index.js";
import { makeBmp, makeImage, pngHeader, type Encodable } from "./fixtures.js";

const FORMATS: [Encodable | "bmp", string][] = [
  ["jpeg", "jpeg"], ["jpeg-progressive", "jpeg"], ["png", "png"], ["gif", "gif"], ["webp", "webp"],
  ["webp-lossless", "webp"], ["webp-alpha", "webp"], ["bmp", "bmp"],
];
const SIZES: [number, number][] = [[1, 1], [401, 300], [640, 1281], [1000, 17]];

describe("readImageHeader()", () => {
  for (const [encoding, format] of FORMATS) {
    it(`reads format and size of ${encoding} images without decoding, matching the encoder`, async () => {
      for (const [w, h] of SIZES) {
        const bytes = await makeImage(encoding, w, h);
        expect(readImageHeader(bytes)).toEqual({ ok: true, format, width: w, height: h });
        if (encoding !== "bmp") {
          const meta = await sharp(bytes).metadata();
          expect([meta.width, meta.height]).toEqual([w, h]);
        }
        expect(isComplete(bytes, format as never)).toBe(true);
      }
    });
  }

  it("reads a top-down BMP's height as positive", () => {
    expect(readImageHeader(makeBmp(7, 5, true))).toMatchObject({ ok: true, width: 7, height: 5 });
  });

  it("decides the format by magic number, not by what the bytes claim elsewhere", () => {
    expect(sniffFormat(Buffer.from("<!doctype html><html><img src=x.jpg>"))).toBeNull();
    expect(sniffFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffFormat(Buffer.from("BM but just text, not a bitmap"))).toBeNull();
    expect(sniffFormat(Buffer.alloc(0))).toBeNull();
    expect(readImageHeader(Buffer.from("GIF89a"))).toMatchObject({ ok: false, format: "gif", reason: "bad_header" });
  });

  it("reports a header cut off before the frame size as bad_header", async () => {
    const jpeg = await makeImage("jpeg", 50, 40);
    expect(readImageHeader(jpeg.subarray(0, 20))).toMatchObject({ ok: false, format: "jpeg", reason: "bad_header" });
    expect(readImageHeader(pngHeader(0, 10))).toMatchObject({ ok: false, reason: "bad_header" });
  });
});

describe("isComplete()", () => {
  for (const [encoding, format] of FORMATS) {
    it(`detects a ${encoding} file cut in half or missing its last byte`, async () => {
      const bytes = await makeImage(encoding, 120, 90);
      expect(isComplete(bytes.subarray(0, Math.floor(bytes.length / 2)), format as never)).toBe(false);
      expect(isComplete(bytes.subarray(0, bytes.length - 1), format as never)).toBe(false);
    });
  }

  it("accepts trailing bytes after a JPEG's end-of-image marker", async () => {
    const jpeg = await makeImage("jpeg", 30, 30);
    expect(isComplete(Buffer.concat([jpeg, Buffer.alloc(100)]), "jpeg")).toBe(true);
  });
});

describe("imageFacts()", () => {
  it("gives status, format, size and byte count, and never throws on junk", async () => {
    const png = await makeImage("png", 64, 48);
    expect(imageFacts(png)).toEqual({ status: "ok", format: "png", width: 64, height: 48, bytes: png.length, message: null });
    expect(imageFacts(Buffer.from("not an image"))).toMatchObject({ status: "not_an_image", format: null, bytes: 12 });
    expect(imageFacts(png.subarray(0, png.length - 20))).toMatchObject({ status: "truncated", format: "png", width: 64, height: 48 });
    for (let i = 0; i < 200; i++) expect(() => imageFacts(Buffer.from(Array.from({ length: i }, (_, j) => (j * 37 + i) & 0xff)))).not.toThrow();
  });

  it("refuses a declared pixel count over maxPixels before anything is decoded", () => {
    const bomb = pngHeader(100_000, 100_000);
    expect(imageFacts(bomb)).toMatchObject({ status: "too_many_pixels", width: 100_000, height: 100_000 });
    expect(imageFacts(bomb, { maxPixels: 1e12 }).status).toBe("truncated");
  });

  it("calls a PNG side of 2^31 px or more a bad_header (the PNG limit, and what an int32 column holds), whatever maxPixels allows", () => {
    for (const [w, h] of [[2 ** 31, 1], [1, 2 ** 31], [2 ** 32 - 1, 2 ** 32 - 1]]) {
      const facts = imageFacts(pngHeader(w!, h!), { maxPixels: Infinity });
      expect(facts).toMatchObject({ status: "bad_header", format: "png", width: null, height: null });
      expect(facts.message).toContain(`${w}×${h}`);
    }
    expect(imageFacts(pngHeader(MAX_DIMENSION, 1)).status).toBe("too_many_pixels");
  });
});

describe("decodeImage()", () => {
  it("decodes within the pixel limit to [height, width, channels] bytes", async () => {
    const decoded = await decodeImage(await makeImage("jpeg", 33, 21));
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([33, 21, 3]);
    expect(decoded.data.length).toBe(33 * 21 * 3);
  });

  it("refuses a decompression bomb from its header, without decoding", async () => {
    await expect(decodeImage(pngHeader(60_000, 60_000))).rejects.toMatchObject({ reason: "too_many_pixels" });
    await expect(decodeImage(await makeImage("png", 100, 100), { maxPixels: 9_999 })).rejects.toBeInstanceOf(DecodeError);
  });

  it("refuses truncated and non-image bytes with the reason", async () => {
    const jpeg = await makeImage("jpeg", 100, 100);
    await expect(decodeImage(jpeg.subarray(0, jpeg.length / 2))).rejects.toMatchObject({ reason: "truncated" });
    await expect(decodeImage(Buffer.from("<html>"))).rejects.toMatchObject({ reason: "not_an_image" });
  });
});
