/** A one-line progress bar: "label [#####-----] 50/100 (50%) detail". */
export function progressLine(label: string, done: number, total: number, detail = ""): string {
  const width = 20;
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
  return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} (${pct}%)${detail ? ` ${detail}` : ""}`;
}

/** Prints progress lines at most every `intervalMs` (and always the last one), so long loops do not flood logs. */
export function throttledProgress(print: (line: string) => void, label: string, total: number, intervalMs = 2000): (done: number, detail?: string) => void {
  let lastPrinted = 0;
  return (done, detail) => {
    const now = Date.now();
    if (done < total && now - lastPrinted < intervalMs) return;
    lastPrinted = now;
    print(progressLine(label, done, total, detail));
  };
}

/** Seconds as "4m05s" (or "12s"); "?" when not finite (no estimate yet). */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.round(s)}s`;
}
