import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/lib/synth/index.js";

describe("Rng", () => {
  it("gives the same sequence for the same seed and a different one for another seed", () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.uint32())(new Rng(42)));
    const b = Array.from({ length: 5 }, ((r) => () => r.uint32())(new Rng("42")));
    const c = Array.from({ length: 5 }, ((r) => () => r.uint32())(new Rng(43)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("fork() streams depend only on the seed and their labels, not on draws made before", () => {
    const r1 = new Rng("s");
    const r2 = new Rng("s");
    r2.next();
    r2.next();
    expect(r1.fork("page", 7).uint32()).toBe(r2.fork("page", 7).uint32());
    expect(r1.fork("page", 7).uint32()).not.toBe(r1.fork("page", 8).uint32());
  });

  it("int() stays within its inclusive bounds and reaches both ends", () => {
    const r = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it("weighted() picks keys in proportion to their weights and never a zero weight", () => {
    const r = new Rng(2);
    const n = 20_000;
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < n; i++) counts[r.weighted({ a: 1, b: 3, c: 0 })]++;
    expect(counts.c).toBe(0);
    expect(counts.b / n).toBeGreaterThan(0.73);
    expect(counts.b / n).toBeLessThan(0.77);
  });

  it("weighted() and pick() refuse empty choices", () => {
    const r = new Rng(3);
    expect(() => r.weighted({ a: 0 })).toThrow(/no positive weight/);
    expect(() => r.pick([])).toThrow(/empty list/);
  });

  it("shuffle() returns a permutation and leaves its input alone", () => {
    const input = [1, 2, 3, 4, 5, 6];
    const out = new Rng(4).shuffle(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...out].sort()).toEqual(input);
  });
});
