// Emits the judge (the model world's 64 px labeler, config and evaluation in its metadata) for the dVAE page.
// Weights come from models/judge.safetensors (trained by `npm run train:judge`), or the file named by CCW_JUDGE_WEIGHTS.
import { existsSync, readFileSync } from "node:fs";

const path = process.env.CCW_JUDGE_WEIGHTS ?? "models/judge.safetensors";
if (!existsSync(path)) throw new Error(`judge weights not found at ${path}: train them with \`npm run train:judge\` (or point CCW_JUDGE_WEIGHTS at a file)`);
process.stdout.write(readFileSync(path));
