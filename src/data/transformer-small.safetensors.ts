// Emits the small DALL-E transformer (weights, config, BPE vocabulary and training summary in one safetensors file)
// for the transformer page. Weights come from models/transformer-small, or the folder named by CCW_TRANSFORMER_WEIGHTS.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const path = join(process.env.CCW_TRANSFORMER_WEIGHTS ?? "models/transformer-small", "weights.safetensors");
if (!existsSync(path)) throw new Error(`transformer weights not found at ${path}: train them with \`npm run train:transformer\` (or point CCW_TRANSFORMER_WEIGHTS at a folder holding weights.safetensors)`);
process.stdout.write(readFileSync(path));
