// Emits the dVAE's TF.js weight manifest (config, training record, weight specs) for the dVAE page.
// Weights come from models/dvae-small (trained by `npm run train:dvae`), or the folder named by CCW_DVAE_WEIGHTS.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.CCW_DVAE_WEIGHTS ?? "models/dvae-small";
process.stdout.write(readFileSync(join(dir, "model.json")));
