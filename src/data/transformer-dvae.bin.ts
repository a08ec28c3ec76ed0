// Emits the weights (the binary named in transformer-dvae.json) of the transformer page's dVAE; same folder as that loader.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { transformerDvaeDir } from "../lib/transformer/node.js";

process.stdout.write(readFileSync(join(transformerDvaeDir(process.env.CCW_TRANSFORMER_WEIGHTS ?? "models/transformer-small"), "weights.bin")));
