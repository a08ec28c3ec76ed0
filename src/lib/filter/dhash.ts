/**
 * The difference hash (dHash, Krawetz 2013) of decoded pixels: luma, box-averaged to a 9 × 8 grid,
 * one bit per horizontally adjacent pair (left brighter than right), 64 bits as 16 hex digits.
 * Resizing, re-encoding and small colour shifts keep most bits; different scenes differ in about half.
 */
import type { DecodedImage } from "../images/decode.js";

const COLS = 9;
const ROWS = 8;

/** The image's mean luma (Rec. 601) in each cell of a cols × rows grid, row-major. */
export function gridLuma(image: DecodedImage, cols = COLS, rows = ROWS): Float64Array {
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

/** The 64-bit dHash of decoded pixels, as 16 lower-case hex digits. */
export function dHash(image: DecodedImage): string {
  const grid = gridLuma(image);
  let hex = "";
  for (let y = 0; y < ROWS; y++) {
    let byte = 0;
    for (let x = 0; x < COLS - 1; x++) byte = (byte << 1) | (grid[y * COLS + x]! > grid[y * COLS + x + 1]! ? 1 : 0);
    hex += byte.toString(16).padStart(2, "0");
  }
  return hex;
}

const popcount32 = (v: number): number => {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/** A hash as two 32-bit halves, for fast Hamming distances. */
export const hashWords = (hex: string): [number, number] => [parseInt(hex.slice(0, 8), 16), parseInt(hex.slice(8, 16), 16)];

/** Bits in which two hashes (as hashWords) differ. */
export const hamming = (a: readonly [number, number], b: readonly [number, number]): number => popcount32((a[0] ^ b[0]) >>> 0) + popcount32((a[1] ^ b[1]) >>> 0);
