// Emits the transformer's zero-shot composition report (seen vs held-out prompts, with and without reranking, the
// judge's ceilings) for the transformer page; written beside the weights by `ccw transformer eval`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const path = join(process.env.CCW_TRANSFORMER_WEIGHTS ?? "models/transformer-small", "zero-shot.json");
if (!existsSync(path)) throw new Error(`zero-shot report not found at ${path}: train the transformer with \`npm run train:transformer\`, then run \`node bin/ccw.js transformer eval\``);
process.stdout.write(readFileSync(path));
