// Where text and image tokens sit in the sequence, and which earlier positions each position may attend to.
import type { AttentionKind, TransformerConfig } from "./config.js";

/**
 * The sequence the model is trained on, s[0..L-1], is [text | image] (or [image | text] for image-to-text).
 * The model's input at position p is a BOS vector for p = 0 and s[p-1] otherwise; its output at p predicts s[p].
 */
export interface Layout {
  length: number; // L = textLength + grid²
  textStart: number; // index in s of the first text token
  imageStart: number; // index in s of the first image token
  imageTokens: number; // grid²
}

export function layoutOf(c: TransformerConfig): Layout {
  const imageTokens = c.grid * c.grid;
  const textFirst = c.direction === "text-to-image";
  return {
    length: c.textLength + imageTokens,
    textStart: textFirst ? 0 : imageTokens,
    imageStart: textFirst ? c.textLength : 0,
    imageTokens,
  };
}

/** The image-token index (row-major) of sequence index i, or -1 when s[i] is text. */
export function imageIndex(layout: Layout, i: number): number {
  const j = i - layout.imageStart;
  return j >= 0 && j < layout.imageTokens ? j : -1;
}

/** Whether image token j (earlier or equal) is in image token i's pattern. Row: the previous grid tokens (Sparse Transformer's strided row); column: same column; conv: a k×k window. */
export function patternAllows(kind: AttentionKind, grid: number, convKernel: number, i: number, j: number): boolean {
  if (j > i) return false;
  switch (kind) {
    case "dense":
      return true;
    case "row":
      return i - j < grid;
    case "column":
      return (i - j) % grid === 0;
    case "conv": {
      const h = (convKernel - 1) / 2;
      return Math.abs(Math.floor(i / grid) - Math.floor(j / grid)) <= h && Math.abs((i % grid) - (j % grid)) <= h;
    }
  }
}

/** Whether input position q may attend to input position k (causal; image-to-image pairs follow the layer's pattern). */
export function attends(c: TransformerConfig, layout: Layout, kind: AttentionKind, q: number, k: number): boolean {
  if (k > q) return false;
  if (q === 0 || k === 0) return true; // BOS
  const iq = imageIndex(layout, q - 1);
  const ik = imageIndex(layout, k - 1);
  if (iq < 0 || ik < 0) return true; // text sees everything before it; image tokens see all text
  return patternAllows(kind, c.grid, c.convKernel, iq, ik);
}

/** Additive attention bias [L, L] (0 allowed, −1e9 masked) for one layer's pattern, row-major by query. */
export function attentionBias(c: TransformerConfig, kind: AttentionKind): Float32Array {
  const layout = layoutOf(c);
  const L = layout.length;
  const bias = new Float32Array(L * L);
  for (let q = 0; q < L; q++) for (let k = 0; k < L; k++) if (!attends(c, layout, kind, q, k)) bias[q * L + k] = -1e9;
  return bias;
}
