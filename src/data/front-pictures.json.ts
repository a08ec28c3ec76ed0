// Emits the front page's pictures, computed from the committed models at build time: the transformer's samples for
// held-out prompts, held-out scenes over the dVAE's reconstructions, and test images with both captioners' captions
// (src/lib/report/pictures.ts). A model that is not there gives that part's reason, never a failed build.
import { resolve } from "node:path";
import { frontPictures } from "../lib/report/node.js";

process.stdout.write(JSON.stringify(await frontPictures(resolve(import.meta.dirname, "..", ".."))));
