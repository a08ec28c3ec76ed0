/**
 * The browser renderer: draws a scene onto a canvas from the same SVG document the Node
 * renderer rasterises, so a page can draw any scene on demand (and read its pixels).
 */
import { sceneSvg, type EmojiSource } from "./compose.js";
import type { Scene } from "./scene.js";

export interface CanvasOptions {
  /** Output size; defaults to the scene's own size. */
  width?: number;
  height?: number;
  /** true draws only the scene's frame (model-world scenes: the square the models see). */
  frame?: boolean;
  /** Draw into this canvas (resized) instead of a new one. */
  canvas?: HTMLCanvasElement | OffscreenCanvas;
}

/** Loads the scene's SVG as an image (a blob: URL, never the network). */
async function loadSvg(svg: string): Promise<HTMLImageElement> {
  if (typeof Image === "undefined") throw new Error("drawScene needs a DOM (HTMLImageElement) to decode SVG; call it on the page's main thread");
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Draws the scene and returns the canvas (an OffscreenCanvas when one was passed). */
export async function drawScene(scene: Scene, emoji: EmojiSource, options: CanvasOptions = {}): Promise<HTMLCanvasElement | OffscreenCanvas> {
  const side = options.frame ? scene.frame?.size : undefined;
  const width = options.width ?? side ?? scene.width, height = options.height ?? side ?? scene.height;
  const image = await loadSvg(sceneSvg(scene, emoji, { width, height, frame: options.frame }));
  const canvas = options.canvas ?? Object.assign(document.createElement("canvas"), { width, height });
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d") as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!context) throw new Error("drawScene: the canvas has no 2d context");
  context.drawImage(image, 0, 0, width, height);
  return canvas;
}
