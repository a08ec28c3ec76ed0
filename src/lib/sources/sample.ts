/**
 * Deterministic sampling of streams too large for the browser: a seeded reservoir (Vitter's
 * algorithm R) keeps a uniform sample of exactly `size` items (or all, if fewer arrive) in one pass,
 * and the same seed and input order always give the same sample.
 */

/** A seeded pseudo-random generator in [0, 1) (mulberry32 over a splitmix-scrambled seed). */
export function seededRandom(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  // Scramble the seed so nearby seeds give unrelated streams.
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b) >>> 0;
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35) >>> 0;
  state = (state ^ (state >>> 16)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Default seed when none is given, so an unseeded sample is still reproducible. */
export const DEFAULT_SEED = 42;

/** A fixed-size uniform sample of a stream, reproducible from its seed. */
export class Reservoir<T> {
  private readonly slots: { seq: number; item: T }[] = [];
  private readonly random: () => number;
  /** Items offered so far. */
  seen = 0;

  constructor(
    readonly size: number,
    seed: number = DEFAULT_SEED,
  ) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`sample size must be a non-negative integer, got ${size}`);
    this.random = seededRandom(seed);
  }

  offer(item: T): void {
    const seq = this.seen++;
    if (seq < this.size) {
      this.slots.push({ seq, item });
      return;
    }
    const j = Math.floor(this.random() * (seq + 1));
    if (j < this.size) this.slots[j] = { seq, item };
  }

  /** The sample, in the order the items arrived (so a sampled file reads like the original). */
  items(): T[] {
    return [...this.slots].sort((a, b) => a.seq - b.seq).map((s) => s.item);
  }
}
