/**
 * The model world: scenes composed for the models' 64 px input. A scene holds 1–3 object
 * instances of at most 3 categories, each at least 40% of the side of the square the models
 * see (26 px and more at 64 px) and never cut by its edge, over a background simple enough to
 * code in a few tokens. The crawl can use the same layout at its own sizes: the objects then sit
 * in the image's central square (the scene's `frame`), which is what the models are shown.
 */
import type { Rng } from "./prng.js";
import type { Instance, SceneObject } from "./scene.js";
import { CATEGORIES, category } from "./vocabulary.js";

/**
 * The 25 categories of the model world (of the vocabulary's 51). Chosen for silhouettes that stay
 * distinct at 26 px in all three styles (no phone/book/laptop rectangles, no cutlery-sized things),
 * for covering every context (street, beach, kitchen, park, sky, room, field, snow, plain), and for
 * keeping the COCO-like world's companion pairs the captioning comparison needs (bicycle/person,
 * zebra/giraffe, cake/person, kite/person, umbrella/person, dog/person, horse/person,
 * car/traffic light, bus/car, banana/apple). Fewer logits and compositions also keep the
 * transformer's and the captioners' budgets within reach on two cores.
 */
export const MODEL_CATEGORIES = [
  "person", "bicycle", "car", "airplane", "bus", "boat", "traffic light", "bird", "cat", "dog",
  "horse", "cow", "elephant", "bear", "zebra", "giraffe", "umbrella", "kite", "banana", "apple",
  "pizza", "donut", "cake", "tv", "teddy bear",
] as const;

/** Layout rules of the model world, declared once (tests check scenes against them). */
export const MODEL_WORLD = {
  /** Most object instances in a scene. */
  maxInstances: 3,
  /** Most distinct categories in a scene. */
  maxCategories: 3,
  /** Smallest instance side, as a share of the frame's side. */
  minShare: 0.4,
  /** Largest side of a lone instance, as a share of the frame's side. */
  maxShareAlone: 0.85,
} as const;

/** Categories outside the model world: what its scenes must avoid. */
export const NON_MODEL_CATEGORIES: readonly string[] = CATEGORIES.map((c) => c.id).filter((id) => !(MODEL_CATEGORIES as readonly string[]).includes(id));

/** The square the models see: the image's central square. */
export interface Frame {
  x: number;
  y: number;
  size: number;
}

export function centralSquare(width: number, height: number): Frame {
  const size = Math.min(width, height);
  return { x: (width - size) / 2, y: (height - size) / 2, size };
}

/** Rounds down to 2 decimals, so a rounded box never leaves the cell it was drawn in (frame corners are multiples of 0.5 px). */
const floor2 = (v: number): number => Math.floor(v * 100) / 100;

/**
 * Places every instance inside the frame, none overlapping another: one instance anywhere at
 * 55–85% of the side; two in the two halves (side by side or one above the other); three in
 * three of the four quarters; in halves and quarters each instance is 40–50% of the side.
 */
export function modelLayout(rng: Rng, objects: { category: string; count: number }[], frame: Frame): SceneObject[] {
  const total = objects.reduce((s, o) => s + o.count, 0);
  if (total < 1 || total > MODEL_WORLD.maxInstances) throw new RangeError(`a model-world scene holds 1 to ${MODEL_WORLD.maxInstances} instances, got ${total}`);
  const S = frame.size;
  let cells: { x: number; y: number; w: number; h: number }[];
  if (total === 1) cells = [{ x: 0, y: 0, w: 1, h: 1 }];
  else if (total === 2) cells = rng.chance(0.5) ? [{ x: 0, y: 0, w: 0.5, h: 1 }, { x: 0.5, y: 0, w: 0.5, h: 1 }] : [{ x: 0, y: 0, w: 1, h: 0.5 }, { x: 0, y: 0.5, w: 1, h: 0.5 }];
  else cells = rng.shuffle([{ x: 0, y: 0, w: 0.5, h: 0.5 }, { x: 0.5, y: 0, w: 0.5, h: 0.5 }, { x: 0, y: 0.5, w: 0.5, h: 0.5 }, { x: 0.5, y: 0.5, w: 0.5, h: 0.5 }]).slice(0, 3);
  if (total > 1) cells = rng.shuffle(cells);
  let next = 0;
  return objects.map((o) => {
    const variants = category(o.category).emoji;
    const instances: Instance[] = [];
    for (let k = 0; k < o.count; k++) {
      const cell = cells[next++]!;
      const share = total === 1 ? rng.float(0.55, MODEL_WORLD.maxShareAlone) : rng.float(MODEL_WORLD.minShare, 0.5);
      const size = floor2(share * S);
      const cx = frame.x + cell.x * S, cy = frame.y + cell.y * S;
      instances.push({
        x: floor2(cx + rng.float(0, Math.max(0, cell.w * S - size))),
        y: floor2(cy + rng.float(0, Math.max(0, cell.h * S - size))),
        size,
        emoji: rng.pick(variants).name,
        flip: rng.chance(0.3),
      });
    }
    return { category: o.category, count: o.count, instances };
  });
}
