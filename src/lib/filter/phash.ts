/**
 * The perceptual hash of decoded pixels, 64 bits as 16 hex digits, and Hamming distances between
 * hashes. Resizing, re-encoding and small colour shifts keep most bits; different scenes differ in
 * about half.
 */
import type { DecodedImage } from "../images/decode.js";

/** The image's mean luma (Rec. 601) in each cell of a cols × rows grid, row-major. */
export function gridLuma(image: DecodedImage, cols: number, rows: number): Float64Array {
  const { width, height, channels, data } = image;
  const sums = new Float64Array(cols * rows);
  const counts = new Float64Array(cols * rows);
  for (let y = 0; y < height; y++) {
    const gy = Math.min(rows - 1, Math.floor((y * rows) / height));
    for (let x = 0; x < width; x++) {
      const gx = Math.min(cols - 1, Math.floor((x * cols) / width));
      const p = (y * width + x) * channels;
      const luma = channels >= 3 ? 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]! : data[p]!;
      sums[gy * cols + gx]! += luma;
      counts[gy * cols + gx]! += 1;
    }
  }
  // An image narrower or shorter than the grid leaves cells empty: they take the mean of the whole.
  const mean = sums.reduce((a, b) => a + b, 0) / Math.max(1, counts.reduce((a, b) => a + b, 0));
  return sums.map((s, i) => (counts[i]! > 0 ? s / counts[i]! : mean));
}

const PHASH_GRID = 32;
const PHASH_LOW = 8;

/** Orthonormal-free DCT-II basis: cos(π (2x + 1) u / 2n), [u][x]. */
const DCT = Array.from({ length: PHASH_LOW }, (_, u) => Float64Array.from({ length: PHASH_GRID }, (_, x) => Math.cos((Math.PI * (2 * x + 1) * u) / (2 * PHASH_GRID))));

/**
 * The 64-bit perceptual hash (pHash, as the imagehash package computes it): luma box-averaged to
 * 32 × 32, its 2-D DCT, and one bit per coefficient of the lowest 8 × 8 frequencies: above their
 * median (a difference hash flips on the ties of flat regions, which synthetic scenes are full of).
 */
export function pHash(image: DecodedImage): string {
  const grid = gridLuma(image, PHASH_GRID, PHASH_GRID); // [32 y, 32 x]
  const low = lowDctTransposed(lowDctTransposed(grid, PHASH_GRID), PHASH_LOW); // [8 v, 32 y] -> [8 u, 8 v]
  const sorted = [...low].sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  return toHex([...low].map((c) => c > median));
}

/** The lowest PHASH_LOW DCT-II coefficients of each row of a [rows, 32] matrix, transposed: [PHASH_LOW, rows]. */
function lowDctTransposed(m: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(PHASH_LOW * rows);
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < PHASH_LOW; u++) {
      let sum = 0;
      for (let x = 0; x < PHASH_GRID; x++) sum += m[r * PHASH_GRID + x]! * DCT[u]![x]!;
      out[u * rows + r] = sum;
    }
  }
  return out;
}

/** 64 bits, most significant first, as 16 hex digits. */
function toHex(bits: readonly boolean[]): string {
  let hex = "";
  for (let i = 0; i < bits.length; i += 8) {
    let byte = 0;
    for (let k = 0; k < 8; k++) byte = (byte << 1) | (bits[i + k] ? 1 : 0);
    hex += byte.toString(16).padStart(2, "0");
  }
  return hex;
}

/** Set bits of a 32-bit word. */
export const popcount32 = (v: number): number => {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/** A hash as two 32-bit halves, for fast Hamming distances. */
export const hashWords = (hex: string): [number, number] => [parseInt(hex.slice(0, 8), 16), parseInt(hex.slice(8, 16), 16)];

/** Bits in which two hashes (as hashWords) differ. */
export const hamming = (a: readonly [number, number], b: readonly [number, number]): number => popcount32((a[0] ^ b[0]) >>> 0) + popcount32((a[1] ^ b[1]) >>> 0);
