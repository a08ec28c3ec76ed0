import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { imageDecision, imageFeatures, imageHeaderDecision, resolveConfig, type ImageOptions } from "../../../src/lib/filter/index.js";
import { loadNsfwModel } from "../../../src/lib/filter/node.js";

const cc3m = (): ImageOptions => resolveConfig("cc3m").config.image;

/** A real encoded image of the given size (flat colour with a stripe, so encoders have something to do). */
async function image(width: number, height: number, format: "jpeg" | "png" | "webp" = "jpeg"): Promise<Uint8Array> {
  const base = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } });
  const out = format === "jpeg" ? base.jpeg() : format === "png" ? base.png() : base.webp();
  return new Uint8Array(await out.toBuffer());
}

/** A PNG header declaring a size, with nothing after IHDR. */
function pngHeader(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  return b;
}

const reason = async (bytes: Uint8Array | null, options: Partial<ImageOptions> = {}) => {
  const o = { ...cc3m(), ...options };
  return imageHeaderDecision(imageFeatures(bytes, o), o).reason;
};

describe("image header rules (cc3m)", () => {
  it("keeps a JPEG of 401 × 401 and rejects 400 × 401: both sides must exceed 400 px", async () => {
    expect(await reason(await image(401, 401))).toBeNull();
    expect(await reason(await image(400, 401))).toBe("image_too_small");
    expect(await reason(await image(400, 400), { minSideInclusive: true })).toBeNull();
  });

  it("keeps aspect ratio 2 exactly and rejects just above it", async () => {
    expect(await reason(await image(802, 401))).toBeNull();
    expect(await reason(await image(804, 401))).toBe("aspect_ratio");
  });

  it("decides the format by magic number: a PNG is rejected by the JPEG-only rule whatever it is called", async () => {
    expect(await reason(await image(500, 500, "png"))).toBe("format_not_allowed");
    expect(await reason(await image(500, 500, "webp"), { formats: ["jpeg", "webp"] })).toBeNull();
  });

  it("names missing, non-image, truncated and absurdly large images without decoding them", async () => {
    expect(await reason(null)).toBe("image_missing");
    expect(await reason(new TextEncoder().encode("<!doctype html><html>404</html>"))).toBe("not_an_image");
    const jpeg = await image(600, 500);
    expect(await reason(jpeg.subarray(0, Math.floor(jpeg.byteLength / 2)))).toBe("truncated_image");
    expect(await reason(pngHeader(100_000, 100_000))).toBe("too_many_pixels");
    expect(await reason(pngHeader(0, 10))).toBe("bad_image_header");
  });

  it("rejects files under image.minFileBytes (COYO's 5 KB)", async () => {
    const small = await image(300, 300, "png");
    const coyo = resolveConfig("coyo").config.image;
    expect(small.byteLength).toBeLessThan(5 * 1024);
    expect(imageHeaderDecision(imageFeatures(small, coyo), coyo).reason).toBe("file_too_small");
  });

  it("records format, size, aspect and file size as features", async () => {
    const f = imageFeatures(await image(640, 480), cc3m());
    expect(f).toMatchObject({ image_state: "ok", format: "jpeg", width: 640, height: 480, nsfw_score: null });
    expect(f.aspect).toBeCloseTo(4 / 3);
  });
});

describe("pixel rules", () => {
  it("rejects an NSFW score above the threshold and keeps one at it", () => {
    const o = cc3m();
    const f = { ...imageFeatures(null, o), image_state: "ok" as const, format: "jpeg", width: 500, height: 500, aspect: 1, file_bytes: 9000 };
    expect(imageDecision({ ...f, nsfw_score: 0.5 }, o).reason).toBeNull();
    expect(imageDecision({ ...f, nsfw_score: 0.51 }, o).reason).toBe("nsfw");
    expect(imageDecision({ ...f, image_state: "undecodable" }, o).reason).toBe("undecodable");
  });

  it("the nsfwjs MobileNetV2 loads offline and scores a plain image as safe, with probabilities summing to 1", async () => {
    const model = await loadNsfwModel();
    try {
      const s = await model.classify(await image(500, 420), 89_478_485);
      const sum = s.drawing + s.hentai + s.neutral + s.porn + s.sexy;
      expect(sum).toBeCloseTo(1, 3);
      expect(s.porn + s.hentai + s.sexy).toBeLessThan(0.5);
      await expect(model.classify(pngHeader(100_000, 100_000), 89_478_485)).rejects.toThrow(/pixels/);
    } finally {
      model.dispose();
    }
  });
});
