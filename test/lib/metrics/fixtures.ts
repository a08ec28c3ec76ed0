import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { TokenizedPair } from "../../../src/lib/metrics/index.js";

/** The reference file's test vector (pre-tokenised), values from the Python toolkit. */
export const VECTOR_CANDIDATES = ["a man is speaking", "rain falls"];
export const VECTOR_REFERENCES = [
  ["a man speaks", "someone speaks", "a man is speaking while a bird is chirping in the background"],
  ["rain is falling hard on a surface"],
];

export function vectorPairs(): TokenizedPair[] {
  return VECTOR_CANDIDATES.map((c, i) => ({ candidate: c.split(" "), references: VECTOR_REFERENCES[i]!.map((r) => r.split(" ")) }));
}

/** Builds a pair from space-separated text. */
export function pair(candidate: string, ...references: string[]): TokenizedPair {
  const split = (s: string) => s.split(" ").filter(Boolean);
  return { candidate: split(candidate), references: references.map(split) };
}

/** coco-mini from the shared datasets folder, beside the repo; tests that need it skip when it is absent. */
export const COCO_MINI = resolve(import.meta.dirname, "..", "..", "..", "..", "shared", "datasets", "coco-mini", "annotations");
export const HAS_COCO_MINI = existsSync(COCO_MINI);
export const COCO_MINI_SKIP = HAS_COCO_MINI ? "" : " (skipped: ../shared/datasets/coco-mini not found beside the repo)";
