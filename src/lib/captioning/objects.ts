import { buildObjectTable, type ObjectTable } from "../metrics/index.js";
import { CATEGORIES } from "../synth/index.js";

/**
 * CHAIR's object table for the synthetic world: each category's caption mentions (synth CATEGORIES[*].mentions,
 * the same words the world's captions use), singularised by the table. "orange" doubles as a colour word.
 */
export const SYNTH_OBJECTS: ObjectTable = buildObjectTable(Object.fromEntries(CATEGORIES.map((c) => [c.id, c.mentions])), { colourTerms: ["orange"] });
