/** Streams of model-world scenes for training and evaluation: every style and both worlds, round-robin, reproducible from a name. */
import { Rng } from "./prng.js";
import { makeScene, type Scene } from "./scene.js";
import { STYLES } from "./vocabulary.js";
import { WORLDS } from "./world.js";

/** Side of a model-world scene in its own units (>= 160, so outline widths scale like the crawl's). */
export const MODEL_SCENE_SIDE = 256;

/**
 * Scene `index` of the stream `name` (e.g. "dvae-train-0"): style index mod 3, world
 * (index / 3) mod 2, so any 6 consecutive scenes cover every style in both worlds.
 */
export function modelWorldScene(name: string, index: number): Scene {
  return makeScene(new Rng(`model-world/${name}`).fork(index), {
    id: `${name}-${index}`,
    width: MODEL_SCENE_SIDE,
    height: MODEL_SCENE_SIDE,
    style: STYLES[index % STYLES.length]!,
    world: WORLDS[Math.floor(index / STYLES.length) % WORLDS.length]!,
    maxInstances: 3,
    scale: "model",
  });
}

/** `count` scenes of a stream, from `start`. */
export function modelWorldScenes(name: string, count: number, start = 0): Scene[] {
  return Array.from({ length: count }, (_, i) => modelWorldScene(name, start + i));
}
