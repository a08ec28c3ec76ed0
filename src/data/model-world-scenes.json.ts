// Emits held-out model-world scenes (never used in training: their own stream) for the dVAE page, each with its
// literal description; the page draws them at the model's input size. CCW_MODEL_WORLD_SCENES sets how many (default 48).
import { describeScene, modelWorldScenes } from "../lib/synth/index.js";

const count = Number(process.env.CCW_MODEL_WORLD_SCENES ?? 48);
if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new Error(`CCW_MODEL_WORLD_SCENES must be an integer from 1 to 10000, got ${process.env.CCW_MODEL_WORLD_SCENES}`);
process.stdout.write(JSON.stringify(modelWorldScenes("page", count).map((scene) => ({ scene, description: describeScene(scene) }))));
