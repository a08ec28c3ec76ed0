/**
 * The NSFW classifier of stage 1 (Node): nsfwjs's bundled MobileNetV2 (Drawing, Hentai, Neutral,
 * Porn, Sexy), loaded offline from the package's own weight modules (no URL), run on the TF.js
 * WASM backend. Images are decoded with a pixel limit and shrunk to 224 px by sharp before they
 * become tensors, so memory per image is bounded whatever the source size.
 */
import * as tf from "@tensorflow/tfjs";
import { DecodeError, imageFacts, loadSharp } from "../images/index.js";
import { useBackend } from "../tfjs/index.js";

export interface NsfwScores {
  drawing: number;
  hentai: number;
  neutral: number;
  porn: number;
  sexy: number;
}

export interface NsfwModel {
  /** Scores for an encoded image; throws DecodeError (images/) when it cannot be decoded. */
  classify(bytes: Uint8Array, maxPixels: number): Promise<NsfwScores>;
  dispose(): void;
}

const SIZE = 224;

/** Silences nsfwjs's console.info banner while it loads. */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const info = console.info;
  console.info = () => {};
  try {
    return await run();
  } finally {
    console.info = info;
  }
}

/** Loads the classifier (about 0.6 s on WASM). */
export async function loadNsfwModel(): Promise<NsfwModel> {
  await useBackend("wasm");
  const [{ load }, { MobileNetV2Model }] = await Promise.all([import("nsfwjs/core"), import("nsfwjs/models/mobilenet_v2")]);
  const model = await quietly(() => load("MobileNetV2", { modelDefinitions: [MobileNetV2Model] }));
  const sharp = await loadSharp();
  return {
    async classify(bytes, maxPixels) {
      // The pixel limit is checked from the header before sharp touches the pixels, and sharp enforces it again.
      const facts = imageFacts(bytes, { maxPixels });
      if (facts.status !== "ok") throw new DecodeError(facts.status, facts.message ?? facts.status);
      let decoded: { data: Buffer; info: { width: number; height: number; channels: number } };
      try {
        decoded = await sharp(bytes, { limitInputPixels: maxPixels, failOn: "error", animated: false })
          .resize(SIZE, SIZE, { fit: "fill" })
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
      } catch (error) {
        throw new DecodeError("decode_error", `decoding ${facts.format}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const { data, info } = decoded;
      const pixels = tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), [info.height, info.width, info.channels], "int32");
      try {
        const predictions = await model.classify(pixels, 5);
        const score = (name: string) => predictions.find((p) => p.className === name)?.probability ?? 0;
        return { drawing: score("Drawing"), hentai: score("Hentai"), neutral: score("Neutral"), porn: score("Porn"), sexy: score("Sexy") };
      } finally {
        pixels.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}
