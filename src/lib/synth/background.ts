/**
 * Procedural backgrounds: each context is one geometry (shapes with colour roles),
 * drawn three ways so that style stays a controlled variable: `modern` fills roles with
 * vertical gradients and adds a vignette, `flat` with solid colours, `high-contrast` as
 * black outlines on white.
 */
import type { ContextId } from "./contexts.js";
import { Rng } from "./prng.js";
import type { Style } from "./vocabulary.js";
import type { BackgroundDetail } from "./scene.js";

type Role =
  | "sky" | "cloud" | "sun" | "sea" | "sand" | "grass" | "dryGrass" | "road" | "lane" | "sidewalk"
  | "building" | "window" | "wall" | "tile" | "cabinet" | "table" | "floor" | "plank" | "frame" | "picture"
  | "leaf" | "trunk" | "path" | "snow" | "mountain" | "hill" | "studio";

/** Colour choices per role; a scene picks one variant per role from its background seed. */
const PALETTE: Record<Role, readonly string[]> = {
  sky: ["#8ecae6", "#a8d8f0", "#7fb8e0", "#f4c6a5"],
  cloud: ["#ffffff", "#f1f4f8"],
  sun: ["#ffd166", "#ffe08a"],
  sea: ["#2a9dc4", "#1f7fb0", "#3bb3c9"],
  sand: ["#e9c98a", "#f0d6a0", "#dcb877"],
  grass: ["#6ab04c", "#78c257", "#5a9e3e"],
  dryGrass: ["#c9b458", "#d4bf6a", "#b8a94e"],
  road: ["#5c5f66", "#4b4e54"],
  lane: ["#f5f5f5", "#ffd54a"],
  sidewalk: ["#b9b4ab", "#c8c2b8"],
  building: ["#c97b63", "#d9a066", "#9aa5b1", "#b5838d", "#8d99ae", "#e0c097"],
  window: ["#dff3ff", "#ffe9a8"],
  wall: ["#f2e8cf", "#e8eef2", "#f6dfd7", "#dfe8d8"],
  tile: ["#d8d2c4", "#cbd5dc"],
  cabinet: ["#a47551", "#8e6e53", "#e6e0d4"],
  table: ["#b07d4f", "#9c6b3f", "#c8955f"],
  floor: ["#c69c6d", "#a9825a", "#d2b48c"],
  plank: ["#9b7653", "#86643f"],
  frame: ["#6d4c41", "#37474f"],
  picture: ["#90caf9", "#a5d6a7", "#ffcc80"],
  leaf: ["#3f8f3a", "#4caf50", "#2e7d32"],
  trunk: ["#795548", "#6d4c41"],
  path: ["#d7c9a7", "#cdbf9b"],
  snow: ["#f4f8fb", "#eaf2f8"],
  mountain: ["#8796a8", "#7b8a9c", "#95a3b3"],
  hill: ["#a3b86c", "#b2c27a"],
  studio: ["#ffffff", "#f2f2f2", "#eef3f8", "#fbefe9"],
};

/** Roles that high-contrast draws as lines, not filled outlines. */
const LINE_ROLES: ReadonlySet<Role> = new Set(["lane", "plank", "tile"]);

type Shape =
  | { t: "rect"; role: Role; x: number; y: number; w: number; h: number }
  | { t: "ellipse"; role: Role; cx: number; cy: number; rx: number; ry: number }
  | { t: "poly"; role: Role; points: number[] }
  | { t: "line"; role: Role; x1: number; y1: number; x2: number; y2: number; width: number };

const r2 = (v: number): number => Math.round(v * 100) / 100;

/** The shapes of one context's background, in painting order. */
function geometry(context: ContextId, W: number, H: number, rng: Rng): Shape[] {
  const s: Shape[] = [];
  const rect = (role: Role, x: number, y: number, w: number, h: number) => s.push({ t: "rect", role, x, y, w, h });
  const ellipse = (role: Role, cx: number, cy: number, rx: number, ry: number) => s.push({ t: "ellipse", role, cx, cy, rx, ry });
  const line = (role: Role, x1: number, y1: number, x2: number, y2: number, width: number) => s.push({ t: "line", role, x1, y1, x2, y2, width });
  const m = Math.min(W, H);
  const clouds = (n: number, top: number, bottom: number) => {
    for (let i = 0; i < n; i++) {
      const cx = rng.float(0, W), cy = rng.float(top, bottom), rx = rng.float(0.08, 0.16) * W, ry = rx * rng.float(0.3, 0.45);
      ellipse("cloud", cx, cy, rx, ry);
      ellipse("cloud", cx - rx * 0.5, cy + ry * 0.2, rx * 0.6, ry * 0.8);
      ellipse("cloud", cx + rx * 0.5, cy + ry * 0.25, rx * 0.55, ry * 0.75);
    }
  };
  const tree = (x: number, base: number, h: number) => {
    rect("trunk", x - h * 0.06, base - h * 0.5, h * 0.12, h * 0.5);
    ellipse("leaf", x, base - h * 0.65, h * 0.32, h * 0.38);
  };
  switch (context) {
    case "sky": {
      rect("sky", 0, 0, W, H);
      if (rng.chance(0.5)) ellipse("sun", rng.float(0.1, 0.9) * W, rng.float(0.1, 0.4) * H, m * 0.08, m * 0.08);
      clouds(rng.int(2, 5), 0, H);
      break;
    }
    case "street": {
      const horizon = H * rng.float(0.45, 0.58);
      rect("sky", 0, 0, W, horizon);
      for (let x = 0; x < W; ) {
        const bw = W * rng.float(0.1, 0.24), bh = H * rng.float(0.18, 0.42);
        rect("building", x, horizon - bh, bw, bh);
        const cols = Math.max(1, Math.floor(bw / (m * 0.07))), rows = Math.max(1, Math.floor(bh / (m * 0.09)));
        for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) {
          rect("window", x + (c + 0.25) * (bw / cols), horizon - bh + (r + 0.25) * (bh / rows), (bw / cols) * 0.5, (bh / rows) * 0.45);
        }
        x += bw;
      }
      rect("sidewalk", 0, horizon, W, H * 0.08);
      rect("road", 0, horizon + H * 0.08, W, H - horizon - H * 0.08);
      const laneY = horizon + H * 0.08 + (H - horizon - H * 0.08) / 2;
      for (let x = rng.float(0, W * 0.05); x < W; x += W * 0.12) line("lane", x, laneY, x + W * 0.06, laneY, Math.max(1, m * 0.012));
      break;
    }
    case "beach": {
      const horizon = H * rng.float(0.35, 0.5);
      rect("sky", 0, 0, W, horizon);
      if (rng.chance(0.7)) ellipse("sun", rng.float(0.1, 0.9) * W, horizon * rng.float(0.25, 0.6), m * 0.07, m * 0.07);
      clouds(rng.int(0, 2), 0, horizon * 0.6);
      const shore = horizon + H * rng.float(0.12, 0.2);
      rect("sea", 0, horizon, W, shore - horizon);
      rect("sand", 0, shore, W, H - shore);
      line("lane", 0, shore, W, shore, Math.max(1, m * 0.008));
      break;
    }
    case "kitchen": {
      const top = H * rng.float(0.52, 0.65);
      rect("wall", 0, 0, W, top);
      const tile = m * 0.1;
      for (let y = tile; y < top; y += tile) line("tile", 0, y, W, y, Math.max(1, m * 0.004));
      for (let x = tile; x < W; x += tile) line("tile", x, 0, x, top, Math.max(1, m * 0.004));
      for (let x = W * 0.05; x < W * 0.95; x += W * 0.3) rect("cabinet", x, H * 0.04, W * 0.26, top * 0.35);
      rect("table", 0, top, W, H - top);
      rect("plank", 0, top, W, Math.max(1, H * 0.025));
      break;
    }
    case "park": {
      const horizon = H * rng.float(0.35, 0.5);
      rect("sky", 0, 0, W, horizon);
      clouds(rng.int(0, 3), 0, horizon * 0.7);
      rect("grass", 0, horizon, W, H - horizon);
      for (let i = rng.int(2, 5); i > 0; i--) tree(rng.float(0, W), horizon + H * 0.02, H * rng.float(0.18, 0.3));
      s.push({ t: "poly", role: "path", points: [W * 0.42, horizon, W * 0.5, horizon, W * 0.75, H, W * 0.25, H] });
      break;
    }
    case "room": {
      const floorY = H * rng.float(0.62, 0.75);
      rect("wall", 0, 0, W, floorY);
      const wx = W * rng.float(0.05, 0.55), ww = W * 0.28, wy = H * 0.1, wh = floorY * 0.5;
      rect("frame", wx - m * 0.015, wy - m * 0.015, ww + m * 0.03, wh + m * 0.03);
      rect("sky", wx, wy, ww, wh);
      line("frame", wx + ww / 2, wy, wx + ww / 2, wy + wh, Math.max(1, m * 0.012));
      const px = wx > W * 0.4 ? W * 0.08 : W * 0.7;
      rect("frame", px, H * 0.14, W * 0.16, floorY * 0.3);
      rect("picture", px + m * 0.015, H * 0.14 + m * 0.015, W * 0.16 - m * 0.03, floorY * 0.3 - m * 0.03);
      rect("floor", 0, floorY, W, H - floorY);
      for (let y = floorY + H * 0.06; y < H; y += H * 0.06) line("plank", 0, y, W, y, Math.max(1, m * 0.004));
      break;
    }
    case "field": {
      const horizon = H * rng.float(0.4, 0.55);
      rect("sky", 0, 0, W, horizon);
      ellipse("hill", W * rng.float(0.2, 0.8), horizon, W * 0.4, H * 0.08);
      rect("dryGrass", 0, horizon, W, H - horizon);
      const ax = rng.float(0.1, 0.9) * W, ah = H * 0.3;
      rect("trunk", ax - ah * 0.04, horizon - ah * 0.5, ah * 0.08, ah * 0.55);
      ellipse("leaf", ax, horizon - ah * 0.55, ah * 0.6, ah * 0.14);
      break;
    }
    case "snow": {
      const horizon = H * rng.float(0.4, 0.55);
      rect("sky", 0, 0, W, horizon);
      for (let i = rng.int(2, 4); i > 0; i--) {
        const cx = rng.float(0, W), mh = H * rng.float(0.2, 0.35), mw = W * rng.float(0.2, 0.35);
        s.push({ t: "poly", role: "mountain", points: [cx - mw, horizon, cx, horizon - mh, cx + mw, horizon] });
        s.push({ t: "poly", role: "snow", points: [cx - mw * 0.3, horizon - mh * 0.7, cx, horizon - mh, cx + mw * 0.3, horizon - mh * 0.7] });
      }
      rect("snow", 0, horizon, W, H - horizon);
      break;
    }
    case "plain": {
      rect("studio", 0, 0, W, H);
      break;
    }
  }
  return s;
}

/**
 * The model world's backgrounds: each context kept to its two or three large regions (sky and
 * ground, wall and table, ...) with at most one large detail, so a few tokens code it and the
 * contexts still differ (sky, grass, dry grass, sand by the sea, kitchen table, room floor with a
 * window, street, snow, plain).
 */
function simpleGeometry(context: ContextId, W: number, H: number, rng: Rng): Shape[] {
  const s: Shape[] = [];
  const rect = (role: Role, x: number, y: number, w: number, h: number) => s.push({ t: "rect", role, x, y, w, h });
  const horizon = H * rng.float(0.3, 0.42);
  switch (context) {
    case "sky":
      rect("sky", 0, 0, W, H);
      if (rng.chance(0.5)) s.push({ t: "ellipse", role: "cloud", cx: rng.float(0.2, 0.8) * W, cy: rng.float(0.15, 0.85) * H, rx: W * 0.3, ry: H * 0.1 });
      break;
    case "street":
      rect("sky", 0, 0, W, horizon * 0.6);
      rect("building", 0, horizon * 0.6, W, horizon * 0.4);
      rect("sidewalk", 0, horizon, W, H * 0.1);
      rect("road", 0, horizon + H * 0.1, W, H - horizon - H * 0.1);
      break;
    case "beach":
      rect("sky", 0, 0, W, horizon);
      rect("sea", 0, horizon, W, H * 0.14);
      rect("sand", 0, horizon + H * 0.14, W, H - horizon - H * 0.14);
      break;
    case "kitchen":
      rect("tile", 0, 0, W, H * 0.55);
      rect("table", 0, H * 0.55, W, H * 0.45);
      break;
    case "park":
      rect("sky", 0, 0, W, horizon);
      rect("grass", 0, horizon, W, H - horizon);
      break;
    case "room": {
      const floorY = H * 0.68;
      rect("wall", 0, 0, W, floorY);
      rect("sky", W * rng.float(0.1, 0.6), H * 0.12, W * 0.3, H * 0.3);
      rect("floor", 0, floorY, W, H - floorY);
      break;
    }
    case "field":
      rect("sky", 0, 0, W, horizon);
      rect("dryGrass", 0, horizon, W, H - horizon);
      break;
    case "snow":
      rect("sky", 0, 0, W, horizon);
      s.push({ t: "poly", role: "mountain", points: [W * 0.1, horizon, W * 0.45, horizon * 0.35, W * 0.8, horizon] });
      rect("snow", 0, horizon, W, H - horizon);
      break;
    case "plain":
      rect("studio", 0, 0, W, H);
      break;
  }
  return s;
}

/** Lightens (amount > 0) or darkens (amount < 0) a #rrggbb colour with integer arithmetic only. */
function shade(hex: string, amount: number): string {
  const v = parseInt(hex.slice(1), 16);
  const ch = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map((c) =>
    Math.max(0, Math.min(255, Math.round(amount > 0 ? c + (255 - c) * amount : c * (1 + amount)))),
  );
  return `#${ch.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

export interface BackgroundSvg {
  /** <defs> content (gradients) to place in the document's defs. */
  defs: string;
  /** The shapes, in painting order. */
  body: string;
  /** Drawn over everything, objects included (modern's vignette); empty otherwise. */
  overlay: string;
}

/** The background of a scene as SVG fragments, fully determined by (context, size, style, seed). */
export function backgroundSvg(context: ContextId, width: number, height: number, style: Style, seed: number, detail: BackgroundDetail = "detailed"): BackgroundSvg {
  const rng = new Rng(`background/${seed}`);
  const shapes = (detail === "simple" ? simpleGeometry : geometry)(context, width, height, rng);
  const colour = new Map<Role, string>();
  for (const role of Object.keys(PALETTE) as Role[]) colour.set(role, rng.pick(PALETTE[role]));
  const stroke = r2(Math.max(1, Math.min(width, height) / 160));
  const used = [...new Set(shapes.map((sh) => sh.role))];
  let defs = "";
  if (style === "modern") {
    for (const role of used) {
      const c = colour.get(role)!;
      defs += `<linearGradient id="bg-${role}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${shade(c, 0.18)}"/><stop offset="1" stop-color="${shade(c, -0.14)}"/></linearGradient>`;
    }
    defs += `<radialGradient id="bg-vignette" cx="0.5" cy="0.5" r="0.75"><stop offset="0.55" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.32"/></radialGradient>`;
  }
  const paint = (role: Role): string => {
    if (style === "modern") return `fill="url(#bg-${role})"`;
    if (style === "flat") return `fill="${colour.get(role)}"`;
    return `fill="#ffffff" stroke="#000000" stroke-width="${stroke}"`;
  };
  let body = "";
  for (const sh of shapes) {
    if (sh.t === "line") {
      const c = style === "high-contrast" ? "#000000" : style === "modern" ? shade(colour.get(sh.role)!, -0.05) : colour.get(sh.role)!;
      const w = style === "high-contrast" && LINE_ROLES.has(sh.role) ? Math.max(stroke / 2, 0.5) : sh.width;
      body += `<line x1="${r2(sh.x1)}" y1="${r2(sh.y1)}" x2="${r2(sh.x2)}" y2="${r2(sh.y2)}" stroke="${c}" stroke-width="${r2(w)}"/>`;
    } else if (sh.t === "rect") {
      body += `<rect x="${r2(sh.x)}" y="${r2(sh.y)}" width="${r2(sh.w)}" height="${r2(sh.h)}" ${paint(sh.role)}/>`;
    } else if (sh.t === "ellipse") {
      body += `<ellipse cx="${r2(sh.cx)}" cy="${r2(sh.cy)}" rx="${r2(sh.rx)}" ry="${r2(sh.ry)}" ${paint(sh.role)}/>`;
    } else {
      body += `<polygon points="${sh.points.map(r2).join(" ")}" ${paint(sh.role)}/>`;
    }
  }
  const overlay = style === "modern" ? `<rect width="${width}" height="${height}" fill="url(#bg-vignette)"/>` : "";
  return { defs, body, overlay };
}
