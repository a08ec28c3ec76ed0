import { describe, expect, it } from "vitest";
import { Reservoir, seededRandom } from "../../../src/lib/sources/index.js";

function sample(n: number, size: number, seed: number): number[] {
  const r = new Reservoir<number>(size, seed);
  for (let i = 0; i < n; i++) r.offer(i);
  return r.items();
}

describe("Reservoir", () => {
  it("gives the same sample for the same seed and a different one for another seed", () => {
    expect(sample(10_000, 50, 7)).toEqual(sample(10_000, 50, 7));
    expect(sample(10_000, 50, 7)).not.toEqual(sample(10_000, 50, 8));
  });

  it("keeps exactly size distinct items, in arrival order", () => {
    const s = sample(10_000, 500, 1);
    expect(s).toHaveLength(500);
    expect(new Set(s).size).toBe(500);
    expect([...s].sort((a, b) => a - b)).toEqual(s);
  });

  it("keeps everything when fewer items than size arrive", () => {
    expect(sample(10, 100, 3)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sample(10, 0, 3)).toEqual([]);
  });

  it("samples uniformly: every position is equally likely", () => {
    const hits = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) for (const x of sample(100, 10, seed)) hits[Math.floor(x / 10)]!++;
    // 2000 samples × 10 items spread over 10 deciles: about 2000 each.
    for (const h of hits) expect(h).toBeGreaterThan(1800), expect(h).toBeLessThan(2200);
  });

  it("rejects a bad size or seed", () => {
    expect(() => new Reservoir(-1)).toThrow(/non-negative integer/);
    expect(() => seededRandom(Number.NaN)).toThrow(/finite/);
  });
});
