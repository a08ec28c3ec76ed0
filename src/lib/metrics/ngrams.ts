/** N-gram counting shared by BLEU, CIDEr-D and distinct-n. N-grams are keyed by their tokens joined with a space. */

/** Counts of every k-gram, for k = 1..n, of one token list (one map per order, index k - 1). */
export function ngramCounts(tokens: readonly string[], n: number): Map<string, number>[] {
  const counts: Map<string, number>[] = [];
  for (let k = 1; k <= n; k++) {
    const map = new Map<string, number>();
    for (let i = 0; i + k <= tokens.length; i++) {
      const key = tokens.slice(i, i + k).join(" ");
      map.set(key, (map.get(key) ?? 0) + 1);
    }
    counts.push(map);
  }
  return counts;
}
