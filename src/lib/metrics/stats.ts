/** Arithmetic mean; 0 for an empty list (an empty evaluation scores 0, as the toolkit's mean of nothing would not). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
