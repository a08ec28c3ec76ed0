/**
 * Co-occurrence statistics as a parameter. In the "coco-like" world a scene's context
 * decides which objects appear and some pairs nearly always co-occur (cake with person
 * on a table, clock with buildings, kite with sky); in the "decorrelated" world context
 * and objects are drawn independently and uniformly. A captioner trained on the first
 * learns to hallucinate the companions; the second is the controlled test bed.
 */
import { CONTEXTS, type ContextId } from "./contexts.js";
import type { Rng } from "./prng.js";
import { CATEGORIES, category } from "./vocabulary.js";

export const WORLDS = ["coco-like", "decorrelated"] as const;
export type WorldId = (typeof WORLDS)[number];

export function checkWorld(world: string): WorldId {
  if (!(WORLDS as readonly string[]).includes(world)) throw new RangeError(`unknown world ${JSON.stringify(world)}; valid: ${WORLDS.join(", ")}`);
  return world as WorldId;
}

interface Affinity {
  /** Relative weight of the category in each context (coco-like world only). */
  contexts: Partial<Record<ContextId, number>>;
  /** Categories that join this one with the given probability (coco-like world only). */
  companions?: Partial<Record<string, number>>;
}

/** The coco-like world's statistics; every category appears in at least one context. */
export const AFFINITY: Record<string, Affinity> = {
  person: { contexts: { street: 3, beach: 3, park: 3, kitchen: 2, room: 2, snow: 2, field: 1 } },
  bicycle: { contexts: { street: 3, park: 2 }, companions: { person: 0.6 } },
  car: { contexts: { street: 5 }, companions: { "traffic light": 0.3 } },
  motorcycle: { contexts: { street: 4 }, companions: { person: 0.5 } },
  airplane: { contexts: { sky: 5 } },
  bus: { contexts: { street: 5 }, companions: { car: 0.3 } },
  train: { contexts: { street: 2, field: 1 } },
  truck: { contexts: { street: 4 }, companions: { car: 0.4 } },
  boat: { contexts: { beach: 4 } },
  "traffic light": { contexts: { street: 5 }, companions: { car: 0.5 } },
  bird: { contexts: { sky: 2, park: 2, beach: 2, field: 1 } },
  cat: { contexts: { room: 3, kitchen: 1 } },
  dog: { contexts: { park: 3, room: 2, street: 1, beach: 1 }, companions: { person: 0.3 } },
  horse: { contexts: { field: 3, park: 1 }, companions: { person: 0.5 } },
  cow: { contexts: { field: 4 } },
  elephant: { contexts: { field: 4 } },
  bear: { contexts: { field: 2, snow: 1 } },
  zebra: { contexts: { field: 4 }, companions: { giraffe: 0.4 } },
  giraffe: { contexts: { field: 4 }, companions: { zebra: 0.4 } },
  backpack: { contexts: { street: 2, park: 1, snow: 1 }, companions: { person: 0.9 } },
  umbrella: { contexts: { beach: 3, street: 2 }, companions: { person: 0.7 } },
  tie: { contexts: { room: 1, street: 1 }, companions: { person: 0.95 } },
  suitcase: { contexts: { street: 2, room: 1 }, companions: { person: 0.6 } },
  frisbee: { contexts: { park: 3, beach: 2 }, companions: { dog: 0.5, person: 0.6 } },
  skis: { contexts: { snow: 5 }, companions: { person: 0.9 } },
  "sports ball": { contexts: { park: 3, beach: 1 }, companions: { person: 0.7 } },
  kite: { contexts: { sky: 2, beach: 3, park: 3 }, companions: { person: 0.6 } },
  skateboard: { contexts: { street: 2, park: 2 }, companions: { person: 0.8 } },
  "wine glass": { contexts: { kitchen: 3 }, companions: { pizza: 0.2 } },
  cup: { contexts: { kitchen: 3, room: 2 } },
  banana: { contexts: { kitchen: 4, plain: 1 }, companions: { apple: 0.3 } },
  apple: { contexts: { kitchen: 4, plain: 1 }, companions: { banana: 0.3, orange: 0.3 } },
  sandwich: { contexts: { kitchen: 4 }, companions: { cup: 0.3 } },
  orange: { contexts: { kitchen: 4, plain: 1 }, companions: { apple: 0.3 } },
  broccoli: { contexts: { kitchen: 4, plain: 1 }, companions: { carrot: 0.5 } },
  carrot: { contexts: { kitchen: 4, plain: 1 }, companions: { broccoli: 0.5 } },
  "hot dog": { contexts: { kitchen: 3, street: 1 }, companions: { person: 0.3 } },
  pizza: { contexts: { kitchen: 4 }, companions: { "wine glass": 0.3, person: 0.3 } },
  donut: { contexts: { kitchen: 4 }, companions: { cup: 0.5 } },
  cake: { contexts: { kitchen: 5 }, companions: { person: 0.85 } },
  chair: { contexts: { room: 3, kitchen: 2 } },
  couch: { contexts: { room: 4 }, companions: { tv: 0.4, cat: 0.2 } },
  "potted plant": { contexts: { room: 3 } },
  bed: { contexts: { room: 4 }, companions: { "teddy bear": 0.3 } },
  tv: { contexts: { room: 4 }, companions: { couch: 0.5 } },
  laptop: { contexts: { room: 3 }, companions: { cup: 0.4, person: 0.3 } },
  "cell phone": { contexts: { room: 1, street: 1 }, companions: { person: 0.8 } },
  book: { contexts: { room: 3 }, companions: { cup: 0.2 } },
  clock: { contexts: { street: 5, room: 1 } },
  scissors: { contexts: { room: 1, kitchen: 1, plain: 2 } },
  "teddy bear": { contexts: { room: 3 }, companions: { bed: 0.3 } },
};

/** How often each context is the setting of a coco-like scene. */
const CONTEXT_PRIOR: Record<ContextId, number> = { street: 4, beach: 2, kitchen: 3, park: 3, sky: 1, room: 3, field: 2, snow: 1, plain: 1 };

/** How many distinct categories a scene has (1-4). */
const DISTINCT: Record<string, number> = { "1": 0.4, "2": 0.33, "3": 0.18, "4": 0.09 };

export interface SceneContent {
  context: ContextId;
  /** Distinct categories with their counts, in the order they were chosen. */
  objects: { category: string; count: number }[];
}

/**
 * Draws what a scene contains: its context and 1-4 categories with counts, with at most
 * `maxInstances` objects in all. `avoid` lists categories that must not appear (wrong alt-texts).
 */
export function sampleContent(rng: Rng, world: WorldId, maxInstances: number, avoid: readonly string[] = []): SceneContent {
  const budget = Math.max(1, maxInstances);
  const wanted = Math.min(budget, Number(rng.weighted(DISTINCT)));
  const excluded = new Set(avoid);
  const chosen: string[] = [];
  let context: ContextId;
  if (world === "decorrelated") {
    context = rng.pick(CONTEXTS);
    const pool = rng.shuffle(CATEGORIES.map((c) => c.id).filter((id) => !excluded.has(id)));
    chosen.push(...pool.slice(0, wanted));
  } else {
    context = rng.weighted(CONTEXT_PRIOR);
    const inContext = (id: string) => AFFINITY[id]?.contexts[context] ?? 0;
    const draw = (): string | undefined => {
      const weights: Record<string, number> = {};
      for (const c of CATEGORIES) if (!chosen.includes(c.id) && !excluded.has(c.id)) weights[c.id] = inContext(c.id);
      return Object.values(weights).some((w) => w > 0) ? rng.weighted(weights) : undefined;
    };
    const first = draw();
    if (first) chosen.push(first);
    // Companions join every chosen category, including those drawn later to fill the scene.
    for (let i = 0; chosen.length > 0; ) {
      for (; i < chosen.length && chosen.length < 4; i++) {
        for (const [companion, p] of Object.entries(AFFINITY[chosen[i]!]?.companions ?? {})) {
          if (chosen.length < 4 && !chosen.includes(companion) && !excluded.has(companion) && rng.chance(p ?? 0)) chosen.push(companion);
        }
      }
      if (chosen.length >= wanted) break;
      const next = draw();
      if (!next) break;
      chosen.push(next);
    }
    if (chosen.length === 0) chosen.push(rng.pick(CATEGORIES.filter((c) => !excluded.has(c.id))).id);
  }
  const kept = chosen.slice(0, budget);
  const objects = kept.map((id) => ({ category: category(id).id, count: 1 }));
  // Extra copies while the instance budget allows: most objects appear once, some twice or three times.
  let total = objects.length;
  for (const o of objects) {
    const extra = rng.weighted({ "0": 0.72, "1": 0.2, "2": 0.08 });
    const add = Math.min(Number(extra), budget - total);
    o.count += add;
    total += add;
  }
  return { context, objects };
}
