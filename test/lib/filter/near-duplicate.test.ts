import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage } from "../../../src/lib/images/decode.js";
import {
  applyCorpusStages, filterCandidate, hamming, hashWords, imageHash, nearestEarlier, pHash, resolveConfig, resultColumns, stageDefaults,
  type CandidateResult, type PipelineContext,
} from "../../../src/lib/filter/index.js";

/** A scene of coloured shapes (seeded layout), as PNG bytes. */
async function scene(seed: number, size = 256): Promise<Uint8Array> {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const shapes = Array.from({ length: 6 }, () => {
    const [x, y, r] = [rand() * size, rand() * size, 20 + rand() * size * 0.3];
    const fill = `rgb(${Math.floor(rand() * 255)},${Math.floor(rand() * 255)},${Math.floor(rand() * 255)})`;
    return rand() < 0.5 ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}"/>` : `<rect x="${x - r}" y="${y - r / 2}" width="${2 * r}" height="${r}" fill="${fill}"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="rgb(${seed * 37 % 255},200,${seed * 91 % 255})"/>${shapes.join("")}</svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}

const hashOf = async (bytes: Uint8Array) => pHash(await decodeImage(bytes));
const distance = (a: string, b: string) => hamming(hashWords(a), hashWords(b));
const { maxDistance } = stageDefaults("near-duplicate") as { maxDistance: number };

describe("pHash of decoded pixels", () => {
  it("stays within near-duplicate.maxDistance bits for a resized, re-encoded or brightened copy", async () => {
    const original = await scene(3);
    const copies = await Promise.all([
      sharp(original).resize(180, 180).png().toBuffer(),
      sharp(original).jpeg({ quality: 35 }).toBuffer(),
      sharp(original).linear(1, 12).png().toBuffer(),
      sharp(original).resize(400, 400).webp({ quality: 50 }).toBuffer(),
      sharp(original).resize(150, 150).png().toBuffer(),
    ]);
    const h = await hashOf(original);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    for (const copy of copies) expect(distance(h, await hashOf(new Uint8Array(copy)))).toBeLessThanOrEqual(maxDistance);
  });

  it("puts different scenes more than near-duplicate.maxDistance bits apart", async () => {
    const hashes = await Promise.all(Array.from({ length: 20 }, (_, i) => i + 1).map(async (seed) => hashOf(await scene(seed))));
    for (let i = 0; i < hashes.length; i++) for (let j = 0; j < i; j++) expect(distance(hashes[i]!, hashes[j]!), `scenes ${i + 1} and ${j + 1}`).toBeGreaterThan(maxDistance);
  });

  it("is the same for the same pixels, and null for bytes that do not decode", async () => {
    const bytes = await scene(5);
    expect(await imageHash(bytes, 1e8)).toBe(await imageHash(bytes, 1e8));
    expect(await imageHash(bytes.slice(0, 40), 1e8)).toBeNull();
  });
});

describe("the near-duplicate stage", () => {
  // coyo's 5 KB floor off: the drawn scenes compress below it.
  const resolved = resolveConfig("coyo", { stages: ["image", "near-duplicate"], overrides: ["image.minFileBytes=null"] });
  const ctx: PipelineContext = { resolved, skipped: {}, lexicon: null, wordnet: null, models: { nsfw: null, labelers: [] }, allReasons: false };

  async function run(images: [string, Uint8Array][], allReasons = false): Promise<CandidateResult[]> {
    const rows = await Promise.all(images.map(([id, image]) => filterCandidate({ id, alt: "a photo", url: null, image }, { ...ctx, allReasons })));
    applyCorpusStages(rows, resolved, {}, allReasons);
    return rows;
  }

  it("keeps the copy with the smallest id and rejects its near-duplicates, whatever the input order", async () => {
    const a = await scene(11, 320);
    const b = await scene(12, 320);
    const small = new Uint8Array(await sharp(a).resize(240, 240).jpeg({ quality: 60 }).toBuffer());
    const rows = await run([["c", small], ["b", b], ["a", a]]);
    expect(rows.map((r) => [r.id, r.status, r.rejected_stage])).toEqual([["c", "near_duplicate", "near-duplicate"], ["b", "kept", null], ["a", "kept", null]]);
    expect(rows.every((r) => typeof r.phash === "string")).toBe(true);
  });

  it("compares only kept pairs, unless every reason is recorded", async () => {
    const a = await scene(13, 320);
    const tiny = new Uint8Array(await sharp(a).resize(150, 150).png().toBuffer()); // below coyo's 200 px: rejected at the image stage
    expect((await run([["a", tiny], ["b", a]])).map((r) => r.status)).toEqual(["image_too_small", "kept"]);
    const all = await run([["a", tiny], ["b", a]], true);
    expect(all.map((r) => [r.status, r.all_reasons])).toEqual([["image_too_small", ["image_too_small"]], ["near_duplicate", ["near_duplicate"]]]);
  });

  it("adds its column only to runs that list it (cc3m's schema is unchanged)", () => {
    expect(resultColumns(resolved.stages).map((c) => c.name)).toContain("phash");
    expect(resultColumns(resolveConfig("cc3m").stages).map((c) => c.name)).not.toContain("phash");
    expect(resolveConfig("cc3m").config).not.toHaveProperty("near-duplicate");
    expect(resolveConfig("coyo").config["near-duplicate"]).toEqual({ maxDistance });
  });
});

describe("nearestEarlier(): only hashes sharing a block of bits are compared, and every decision is what comparing all pairs gives", () => {
  /** Seeded 32-bit words (mulberry32). */
  function words(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (t ^ (t >>> 14)) >>> 0;
    };
  }
  /** n hashes, about a third of them copies of an earlier one with up to `flips` bits flipped. */
  function hashes(n: number, flips: number, seed: number): [number, number][] {
    const next = words(seed);
    const out: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      if (i > 0 && next() % 3 === 0) {
        const [hi, lo] = out[next() % i]!;
        let copy: [number, number] = [hi, lo];
        for (let f = next() % (flips + 1); f > 0; f--) {
          const bit = next() % 64;
          copy = bit < 32 ? [(copy[0] ^ (1 << bit)) >>> 0, copy[1]] : [copy[0], (copy[1] ^ (1 << (bit - 32))) >>> 0];
        }
        out.push(copy);
      } else out.push([next(), next()]);
    }
    return out;
  }
  const allPairs = (ws: readonly [number, number][]): (number | null)[] =>
    ws.map((w, i) => ws.slice(0, i).reduce<number | null>((best, v) => Math.min(best ?? 64, hamming(w, v)), null));

  it.each([0, 1, 4, 8, 15, 20, 64])("within %i bits: the same near-duplicates, at the same distances, as comparing every pair", (within) => {
    const ws = hashes(600, within + 3, 1000 + within);
    const fast = nearestEarlier(ws, within);
    const slow = allPairs(ws);
    const near = (d: number | null) => d !== null && d <= within;
    expect(fast.map(near)).toEqual(slow.map(near));
    expect(fast.filter((d, i) => near(d) && d !== slow[i])).toEqual([]);
    expect(slow.filter(near).length).toBeGreaterThan(30); // the planted copies are there to be found
  });

  it("handles identical hashes in bulk (one bucket of thousands) and an empty list", () => {
    const same = Array.from({ length: 5000 }, () => [0x12345678, 0x9abcdef0] as [number, number]);
    expect(nearestEarlier(same, 4)).toEqual([null, ...Array(4999).fill(0)]);
    expect(nearestEarlier([], 4)).toEqual([]);
  });
});
