import * as tf from "@tensorflow/tfjs";
import { codebookUsage, type CodebookUsage } from "./codebook.js";
import type { Dvae } from "./model.js";
import { psnr } from "./objective.js";

export interface ReconstructionReport {
  images: number;
  /** Mean PSNR (dB) of decode(encode(x)) against x, with hard (argmax) codes. */
  psnrMean: number;
  psnrPerImage: number[];
  usage: CodebookUsage;
}

/** Reconstructs images [N, S, S, C] in batches and reports PSNR and codebook use. */
export function evaluateReconstruction(dvae: Dvae, images: tf.Tensor4D, batchSize = 16): ReconstructionReport {
  const perImage: number[] = [];
  const ids: number[] = [];
  for (let start = 0; start < images.shape[0]; start += batchSize) {
    const size = Math.min(batchSize, images.shape[0] - start);
    const batch = tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
    const tokens = dvae.encode(batch);
    const decoded = dvae.decode(tokens);
    perImage.push(...psnr(batch, decoded));
    ids.push(...tokens.dataSync());
    tf.dispose([batch, tokens, decoded]);
  }
  return {
    images: images.shape[0],
    psnrMean: perImage.reduce((a, b) => a + b, 0) / Math.max(1, perImage.length),
    psnrPerImage: perImage,
    usage: codebookUsage(ids, dvae.config.vocabSize),
  };
}
