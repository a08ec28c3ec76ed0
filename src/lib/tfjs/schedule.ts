/** Cosine interpolation from `start` to `end` over `steps` updates, constant after (the paper's schedules). */
export function cosineSchedule(start: number, end: number, step: number, steps: number): number {
  if (steps <= 0 || step >= steps) return end;
  const t = Math.max(0, step) / steps;
  return end + (start - end) * 0.5 * (1 + Math.cos(Math.PI * t));
}
