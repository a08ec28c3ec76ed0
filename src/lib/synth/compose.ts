/** Scene → one self-contained SVG document: the procedural background, then each object's emoji placed in its box. */
import { backgroundSvg } from "./background.js";
import { instancesOf, type Scene } from "./scene.js";
import { STYLES, type Style } from "./vocabulary.js";

/** Returns the fluentui-emoji SVG text of an emoji in a style (Node reads the package, the browser a loaded sheet). */
export type EmojiSource = (style: Style, name: string) => string;

/** Emoji SVGs keyed "style/name", as the synth-emoji.json loader writes them for pages. */
export type EmojiSheet = Record<string, string>;

export const emojiKey = (style: Style, name: string): string => `${style}/${name}`;

/** An EmojiSource over a sheet; a missing entry is an error naming it. */
export function emojiSourceFromSheet(sheet: EmojiSheet): EmojiSource {
  return (style, name) => {
    const svg = sheet[emojiKey(style, name)];
    if (svg === undefined) throw new RangeError(`emoji ${emojiKey(style, name)} is not in the sheet; styles: ${STYLES.join(", ")}`);
    return svg;
  };
}

interface ParsedEmoji {
  viewBox: string;
  inner: string;
}

const parsed = new WeakMap<EmojiSource, Map<string, ParsedEmoji>>();

/** Splits an emoji SVG into its viewBox and content, so it can be nested at any box. */
function parseEmoji(source: EmojiSource, style: Style, name: string): ParsedEmoji {
  let cache = parsed.get(source);
  if (!cache) parsed.set(source, (cache = new Map()));
  const key = emojiKey(style, name);
  const hit = cache.get(key);
  if (hit) return hit;
  const text = source(style, name).trim();
  const match = /^<svg\b([^>]*)>([\s\S]*)<\/svg>$/.exec(text);
  const viewBox = match ? /viewBox="([^"]+)"/.exec(match[1]!)?.[1] : undefined;
  if (!match || !viewBox) throw new Error(`emoji ${key} is not a single <svg> element with a viewBox`);
  const result = { viewBox, inner: match[2]! };
  cache.set(key, result);
  return result;
}

/** Categories that float: no ground shadow under them. */
const AIRBORNE = new Set(["airplane", "bird", "kite"]);

const r2 = (v: number): number => Math.round(v * 100) / 100;

export interface ComposeOptions {
  /** Output size in pixels (the scene's own size by default); the drawing scales to fit. */
  width?: number;
  height?: number;
  /** false draws the background alone (tests compare the two to prove each object is drawn). */
  objects?: boolean;
  /** true draws only the scene's frame (the model world's square, every object inside it); the scene's own size is the default. */
  frame?: boolean;
}

/** The scene as an SVG document string; the same bytes for the same scene everywhere. */
export function sceneSvg(scene: Scene, emoji: EmojiSource, options: ComposeOptions = {}): string {
  const { width: W, height: H, style } = scene;
  const side = options.frame ? scene.frame?.size : undefined;
  const outW = options.width ?? side ?? W, outH = options.height ?? side ?? H;
  const bg = backgroundSvg(scene.context, W, H, style, scene.backgroundSeed, scene.background);
  if (options.frame && !scene.frame) throw new RangeError(`scene ${scene.id} has no frame: only model-world scenes (scale "model") do`);
  const view = options.frame && scene.frame ? `${scene.frame.x} ${scene.frame.y} ${scene.frame.size} ${scene.frame.size}` : `0 0 ${W} ${H}`;
  let objects = "";
  if (options.objects !== false) {
    for (const inst of instancesOf(scene)) {
      const { viewBox, inner } = parseEmoji(emoji, style, inst.emoji);
      if (style === "modern" && !AIRBORNE.has(inst.category)) {
        objects += `<ellipse cx="${r2(inst.x + inst.size / 2)}" cy="${r2(inst.y + inst.size * 0.94)}" rx="${r2(inst.size * 0.36)}" ry="${r2(inst.size * 0.05)}" fill="#000000" fill-opacity="0.2"/>`;
      }
      const nested = `<svg x="${inst.x}" y="${inst.y}" width="${inst.size}" height="${inst.size}" viewBox="${viewBox}" fill="none">${inner}</svg>`;
      objects += inst.flip ? `<g transform="matrix(-1 0 0 1 ${r2(2 * inst.x + inst.size)} 0)">${nested}</g>` : nested;
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${outW}" height="${outH}" viewBox="${view}" preserveAspectRatio="none">` +
    `<defs>${bg.defs}</defs>${bg.body}${objects}${bg.overlay}</svg>`
  );
}
