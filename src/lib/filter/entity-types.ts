/**
 * The entity-type frequency filter (paper §3, after hypernymization): every entity type the
 * transformation substituted is counted over the whole corpus, and a pair is kept only when each
 * of its types occurs more than a threshold. The paper's threshold, 100, belongs to a corpus of
 * its size; ours scales it with the input: referenceCount × inputSize / referenceSize (exclusive),
 * unless an absolute `minCount` is given. This stage needs every shard's counts, so it runs when
 * shards are merged, not inside a shard.
 */
import type { EntityTypeOptions } from "./config.js";

/** The exclusive count threshold for a corpus of `inputSize` pairs. */
export function entityTypeThreshold(options: EntityTypeOptions, inputSize: number): number {
  return options.minCount ?? (options.referenceCount * inputSize) / options.referenceSize;
}

/** Counts of every entity type over the pairs (a type counts once per pair). */
export function countEntityTypes(pairs: Iterable<readonly string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const types of pairs) for (const t of new Set(types)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Whether a pair passes: every type it contains occurs more than the threshold. */
export function entityTypesPass(types: readonly string[], counts: ReadonlyMap<string, number>, threshold: number): boolean {
  return types.every((t) => (counts.get(t) ?? 0) > threshold);
}
