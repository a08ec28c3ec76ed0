// Every fluentui-emoji SVG the synthetic world draws, in all three styles, keyed "style/name": the browser renderer's input.
import { emojiSheet } from "../lib/synth/node-index.js";

process.stdout.write(JSON.stringify(emojiSheet()));
