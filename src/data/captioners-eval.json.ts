// Emits the captioner comparison (both captioners' captions of the test images, references, per-caption metrics,
// hallucinated words, aggregates per model and style, the images as PNG) for the captioning page; written by
// `ccw captioners eval` (CCW_CAPTIONERS_EVAL overrides the file).
import { existsSync, readFileSync } from "node:fs";

const path = process.env.CCW_CAPTIONERS_EVAL ?? "models/captioners-eval.json";
if (!existsSync(path)) throw new Error(`captioner evaluation not found at ${path}: train the captioners with \`npm run train:captioners\`, then run \`npm run eval:captioners\``);
process.stdout.write(readFileSync(path));
