/** The saved form of a BPE model: plain JSON, validated on the way in. */
import { makeBpe, type Bpe } from "./model.js";

export interface BpeJson {
  format: "ccw-bpe";
  version: 1;
  vocab: string[];
  merges: [string, string][];
}

export function bpeToJson(bpe: Bpe): BpeJson {
  return { format: "ccw-bpe", version: 1, vocab: [...bpe.vocab], merges: bpe.merges.map((m) => [m[0], m[1]]) };
}

/** A model from parsed JSON. Errors name the bad field and what is valid there. */
export function bpeFromJson(json: unknown): Bpe {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error(`bpeFromJson: expected an object { format: "ccw-bpe", version: 1, vocab, merges }, got ${json === null ? "null" : Array.isArray(json) ? "an array" : typeof json}`);
  }
  const { format, version, vocab, merges } = json as Record<string, unknown>;
  if (format !== "ccw-bpe") throw new Error(`bpeFromJson: format must be "ccw-bpe", got ${JSON.stringify(format)}`);
  if (version !== 1) throw new Error(`bpeFromJson: version must be 1 (the only version), got ${JSON.stringify(version)}`);
  if (!Array.isArray(vocab)) throw new Error(`bpeFromJson: vocab must be an array of token strings, got ${typeof vocab}`);
  vocab.forEach((token, i) => {
    if (typeof token !== "string") throw new Error(`bpeFromJson: vocab[${i}] must be a string, got ${JSON.stringify(token)}`);
  });
  if (!Array.isArray(merges)) throw new Error(`bpeFromJson: merges must be an array of [left, right] token pairs, got ${typeof merges}`);
  merges.forEach((merge, k) => {
    if (!Array.isArray(merge) || merge.length !== 2 || typeof merge[0] !== "string" || typeof merge[1] !== "string") {
      throw new Error(`bpeFromJson: merges[${k}] must be a pair [left, right] of token strings, got ${JSON.stringify(merge)}`);
    }
  });
  return makeBpe(vocab as string[], merges as [string, string][]);
}
