import * as Plot from "@observablehq/plot";

/** An RGB float image ([size·size·3] in [0, 1], row-major) as a pixelated canvas with an accessible label. */
export function pixelCanvas(pixels: ArrayLike<number>, { size, scale = 4, label }: { size: number; scale?: number; label: string }): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  canvas.style.cssText = `width:${size * scale}px;max-width:100%;image-rendering:pixelated;border:1px solid var(--theme-foreground-faintest);`;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  const context = canvas.getContext("2d")!;
  const image = context.createImageData(size, size);
  for (let i = 0, j = 0; i < size * size; i++, j += 3) {
    image.data[i * 4] = Math.round(Math.min(1, Math.max(0, pixels[j]!)) * 255);
    image.data[i * 4 + 1] = Math.round(Math.min(1, Math.max(0, pixels[j + 1]!)) * 255);
    image.data[i * 4 + 2] = Math.round(Math.min(1, Math.max(0, pixels[j + 2]!)) * 255);
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

/** Reads a canvas's pixels as RGB floats in [0, 1] ([h·w·3], row-major): what the dVAE encodes. */
export function canvasPixels(canvas: HTMLCanvasElement | OffscreenCanvas): Float32Array {
  const context = canvas.getContext("2d") as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  const out = new Float32Array(canvas.width * canvas.height * 3);
  for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
    out[j] = data[i]! / 255;
    out[j + 1] = data[i + 1]! / 255;
    out[j + 2] = data[i + 2]! / 255;
  }
  return out;
}

/** A stable, distinguishable colour per code id (golden-angle hues), so equal codes look equal across grids. */
export const codeColour = (id: number): string => `hsl(${(id * 137.508) % 360} 65% ${45 + ((id * 7) % 3) * 12}%)`;

export interface TokenGridOptions {
  grid: number;
  /** Cell side in px. */
  cell?: number;
  /** Called with the cell index when a cell is clicked or activated with the keyboard. */
  onPick?: (index: number) => void;
  id?: string;
}

/**
 * The token grid: one coloured button per code (its id on hover and for screen readers). Buttons, so the grid
 * is keyboard-usable; data-tokens on the container carries the ids for copying (and tests).
 */
export function tokenGrid(tokens: readonly number[], { grid, cell = grid > 8 ? 22 : 28, onPick, id }: TokenGridOptions): HTMLElement {
  const root = document.createElement("div");
  if (id) root.id = id;
  root.dataset.tokens = tokens.join(",");
  root.setAttribute("role", "grid");
  root.setAttribute("aria-label", `${grid}×${grid} token grid`);
  root.style.cssText = `display:grid;grid-template-columns:repeat(${grid},${cell}px);gap:1px;width:max-content;max-width:100%;`;
  tokens.forEach((code, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = String(code);
    button.title = `row ${Math.floor(index / grid)}, column ${index % grid}: code ${code}`;
    button.setAttribute("aria-label", button.title);
    button.dataset.index = String(index);
    button.style.cssText = `width:${cell}px;height:${cell}px;padding:0;border:0;font:${cell < 26 ? 7 : 9}px var(--monospace, monospace);color:#fff;text-shadow:0 0 2px #000;background:${codeColour(code)};cursor:pointer;`;
    if (onPick) button.addEventListener("click", () => onPick(index));
    root.appendChild(button);
  });
  return root;
}

/** How often each code occurs over a batch, codes sorted by frequency (a long flat tail is healthy; one spike is collapse). */
export function codebookHistogram(counts: readonly number[], { width }: { width: number }): SVGSVGElement | HTMLElement {
  const ranked = counts
    .map((count, code) => ({ code, count }))
    .filter((d) => d.count > 0)
    .sort((a, b) => b.count - a.count)
    .map((d, rank) => ({ ...d, rank: rank + 1 }));
  return Plot.plot({
    width: Math.max(width, 240),
    height: 220,
    x: { label: "Codes, most used first (rank) →" },
    y: { label: "↑ Occurrences in the batch", grid: true },
    marks: [
      // One spike per code: bars of width 1 rank would vanish (or go negative) when hundreds of codes share the axis.
      Plot.ruleX(ranked, { x: "rank", y: "count", stroke: (d: { code: number }) => codeColour(d.code), strokeWidth: 2, title: (d: { code: number; count: number }) => `code ${d.code}: ${d.count}` }),
      Plot.ruleY([0]),
    ],
  });
}

/** Centre-crops an image to a square and scales it to size×size on a canvas (what an uploaded photo becomes). */
export function squareCanvas(image: CanvasImageSource & { width: number; height: number }, size: number): HTMLCanvasElement {
  const canvas = Object.assign(document.createElement("canvas"), { width: size, height: size });
  const side = Math.min(image.width, image.height);
  canvas.getContext("2d")!.drawImage(image, (image.width - side) / 2, (image.height - side) / 2, side, side, 0, 0, size, size);
  return canvas;
}

/** PSNR in dB between two [0, 1] float images of equal length. */
export function psnrOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10(1 / Math.max(sum / a.length, 1e-10));
}

export interface JudgedLabel {
  category: string;
  p: number;
}

/**
 * What the judge sees in the input and in the reconstruction, side by side: every category it returns (p ≥ 0.5)
 * with its probability; with the scene's own categories (`truth`), each is marked as present or absent in the scene,
 * and categories the judge missed are listed. Text only (textContent), so no label or name is ever parsed as HTML.
 */
export function judgeTable(judged: { input: readonly JudgedLabel[]; reconstruction: readonly JudgedLabel[] }, truth: readonly string[] | null): HTMLTableElement {
  const table = document.createElement("table");
  table.id = "dvae-judge";
  const cell = (tag: "th" | "td", text: string) => Object.assign(document.createElement(tag), { textContent: text });
  const head = table.createTHead().insertRow();
  for (const text of ["", "input", "reconstruction"]) head.appendChild(cell("th", text));
  const describe = (labels: readonly JudgedLabel[]) =>
    labels.length ? labels.map((l) => `${l.category} ${(100 * l.p).toFixed(0)}%${truth && !truth.includes(l.category) ? " (not in the scene)" : ""}`).join(", ") : "nothing";
  const missed = (labels: readonly JudgedLabel[]) => (truth ? truth.filter((c) => !labels.some((l) => l.category === c)) : []);
  const body = table.createTBody();
  const row = (name: string, a: string, b: string, id: string) => {
    const r = body.insertRow();
    r.dataset.row = id;
    r.appendChild(cell("th", name));
    r.appendChild(cell("td", a)).dataset.side = "input";
    r.appendChild(cell("td", b)).dataset.side = "reconstruction";
  };
  row("the judge sees (p ≥ 0.5)", describe(judged.input), describe(judged.reconstruction), "seen");
  if (truth) {
    row("in the scene", truth.join(", "), truth.join(", "), "truth");
    row("missed", missed(judged.input).join(", ") || "none", missed(judged.reconstruction).join(", ") || "none", "missed");
  }
  return table;
}
