// Emits the reranker (the CLIP-like dual encoder with its BPE vocabulary, one safetensors file) for the transformer
// page. Weights come from models/reranker-small, or the folder named by CCW_RERANKER_WEIGHTS.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const path = join(process.env.CCW_RERANKER_WEIGHTS ?? "models/reranker-small", "reranker.safetensors");
if (!existsSync(path)) throw new Error(`reranker weights not found at ${path}: train them with \`npm run train:reranker\` (or point CCW_RERANKER_WEIGHTS at a folder holding reranker.safetensors)`);
process.stdout.write(readFileSync(path));
