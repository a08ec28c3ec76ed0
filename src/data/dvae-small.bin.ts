// Emits the dVAE's weights (the binary named in dvae-small.json) for the dVAE page; same source folder as that loader.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.CCW_DVAE_WEIGHTS ?? "models/dvae-small";
process.stdout.write(readFileSync(join(dir, "weights.bin")));
