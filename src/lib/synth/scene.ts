/**
 * The scene model: a context, objects with positions, sizes and counts, and the spatial
 * relations between them. A scene is pure data (JSON-safe), so the Node renderer, the
 * browser renderer, the captioners and the ground-truth tables all read the same thing.
 */
import type { ContextId } from "./contexts.js";
import type { Rng } from "./prng.js";
import { category, type Style } from "./vocabulary.js";
import { sampleContent, type WorldId } from "./world.js";
import { centralSquare, modelLayout, MODEL_WORLD, NON_MODEL_CATEGORIES, type Frame } from "./model-world.js";

/** One drawn object: a square box in image pixels (top-left x, y and side), the emoji drawn, and a mirror flag. */
export interface Instance {
  x: number;
  y: number;
  size: number;
  emoji: string;
  flip: boolean;
}

export interface SceneObject {
  category: string;
  count: number;
  instances: Instance[];
}

export const PREDICATES = ["left of", "right of", "above", "below"] as const;
export type Predicate = (typeof PREDICATES)[number];

export interface Relation {
  subject: string;
  predicate: Predicate;
  object: string;
}

export interface Scene {
  id: string;
  width: number;
  height: number;
  style: Style;
  context: ContextId;
  world: WorldId;
  /** Seeds the background's procedural details (building heights, clouds, colours). */
  backgroundSeed: number;
  objects: SceneObject[];
  relations: Relation[];
  /** "simple" backgrounds (the model world) keep only a context's large regions; absent means "detailed". */
  background?: BackgroundDetail;
  /** Model-world scenes: the square the models see (every object lies inside it). */
  frame?: Frame;
}

export const BACKGROUND_DETAILS = ["detailed", "simple"] as const;
export type BackgroundDetail = (typeof BACKGROUND_DETAILS)[number];

/** "web": the crawl's photos (up to maxInstances objects in a grid over the whole image); "model": the model world (src/lib/synth/model-world.ts). */
export const SCENE_SCALES = ["web", "model"] as const;
export type SceneScale = (typeof SCENE_SCALES)[number];

export interface SceneSpec {
  id: string;
  width: number;
  height: number;
  style: Style;
  world: WorldId;
  /** Most objects the scene may hold (icons hold one). */
  maxInstances: number;
  /** Categories the scene must not contain. */
  avoid?: readonly string[];
  /** Layout rules (default "web"); "model" caps maxInstances at the model world's 3 and uses its categories. */
  scale?: SceneScale;
}

const r2 = (v: number): number => Math.round(v * 100) / 100;

/** Rows and columns whose cells are closest to square for n cells on a W x H canvas. */
function grid(n: number, W: number, H: number): { rows: number; cols: number } {
  let best = { rows: 1, cols: n, score: Infinity };
  for (let rows = 1; rows <= n; rows++) {
    const cols = Math.ceil(n / rows);
    const cell = W / cols / (H / rows);
    const score = Math.abs(Math.log(cell));
    if (score < best.score) best = { rows, cols, score };
  }
  return best;
}

/** Places every instance in its own grid cell, so no object hides another. */
function layout(rng: Rng, objects: { category: string; count: number }[], W: number, H: number): SceneObject[] {
  const total = objects.reduce((s, o) => s + o.count, 0);
  const cells = total + rng.int(0, Math.min(2, total));
  const { rows, cols } = grid(cells, W, H);
  const cw = W / cols, ch = H / rows;
  const free = rng.shuffle(Array.from({ length: rows * cols }, (_, i) => i));
  return objects.map((o) => {
    const variants = category(o.category).emoji;
    const instances: Instance[] = [];
    for (let k = 0; k < o.count; k++) {
      const cell = free.pop()!;
      const col = cell % cols, row = Math.floor(cell / cols);
      const size = Math.min(cw, ch) * rng.float(0.6, 0.92);
      instances.push({
        x: r2(col * cw + rng.float(0, cw - size)),
        y: r2(row * ch + rng.float(0, ch - size)),
        size: r2(size),
        emoji: rng.pick(variants).name,
        flip: rng.chance(0.3),
      });
    }
    return { category: o.category, count: o.count, instances };
  });
}

/** The relation of a's first instance to b's, when the boxes are clearly apart on one axis. */
export function relationBetween(a: SceneObject, b: SceneObject): Predicate | null {
  const p = a.instances[0]!, q = b.instances[0]!;
  const dx = q.x + q.size / 2 - (p.x + p.size / 2), dy = q.y + q.size / 2 - (p.y + p.size / 2);
  if (Math.abs(dx) >= Math.abs(dy)) {
    if (p.x + p.size <= q.x) return "left of";
    if (q.x + q.size <= p.x) return "right of";
  } else {
    if (p.y + p.size <= q.y) return "above";
    if (q.y + q.size <= p.y) return "below";
  }
  return null;
}

/** A new scene for the spec, drawn from the rng. */
export function makeScene(rng: Rng, spec: SceneSpec): Scene {
  const model = spec.scale === "model";
  const content = model
    ? sampleContent(rng, spec.world, Math.min(spec.maxInstances, MODEL_WORLD.maxInstances), [...(spec.avoid ?? []), ...NON_MODEL_CATEGORIES])
    : sampleContent(rng, spec.world, spec.maxInstances, spec.avoid);
  const frame = model ? centralSquare(spec.width, spec.height) : undefined;
  const objects = frame ? modelLayout(rng, content.objects, frame) : layout(rng, content.objects, spec.width, spec.height);
  const relations: Relation[] = [];
  for (let i = 0; i + 1 < objects.length && relations.length < 2; i++) {
    const predicate = relationBetween(objects[i]!, objects[i + 1]!);
    if (predicate) relations.push({ subject: objects[i]!.category, predicate, object: objects[i + 1]!.category });
  }
  return {
    id: spec.id,
    width: spec.width,
    height: spec.height,
    style: spec.style,
    context: content.context,
    world: spec.world,
    backgroundSeed: rng.int(0, 2 ** 31 - 1),
    objects,
    relations,
    ...(frame ? { background: "simple" as const, frame } : {}),
  };
}

/** Every instance with its category, in painting order (top to bottom). */
export function instancesOf(scene: Scene): (Instance & { category: string })[] {
  return scene.objects
    .flatMap((o) => o.instances.map((i) => ({ ...i, category: o.category })))
    .sort((a, b) => a.y + a.size - (b.y + b.size));
}
