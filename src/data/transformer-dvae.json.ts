// Emits the TF.js weight manifest of the dVAE whose tokens the transformer page's model writes: the transformer
// folder's own dvae/ when it keeps one (a model trained on an earlier dVAE's tokens), else models/dvae-small.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { transformerDvaeDir } from "../lib/transformer/node.js";

process.stdout.write(readFileSync(join(transformerDvaeDir(process.env.CCW_TRANSFORMER_WEIGHTS ?? "models/transformer-small"), "model.json")));
