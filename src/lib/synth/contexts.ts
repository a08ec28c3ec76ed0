/** Scene contexts: what the procedural background shows, and how captions and alt-texts name it. */

export const CONTEXTS = ["street", "beach", "kitchen", "park", "sky", "room", "field", "snow", "plain"] as const;
export type ContextId = (typeof CONTEXTS)[number];

export interface ContextInfo {
  /** Background elements the drawing contains (ground truth; "table" is what COCO-like cakes stand on). */
  props: readonly string[];
  /** Plain English prepositional phrases, none naming an object category. */
  phrases: readonly string[];
  /** Short noun used in keyword runs and hashtags. */
  keyword: string;
  es: string;
  fr: string;
  de: string;
}

export const CONTEXT_INFO: Record<ContextId, ContextInfo> = {
  street: {
    props: ["building", "road", "sidewalk", "sky"],
    phrases: ["on a city street", "on the street", "in front of a building", "on a busy road", "in the city"],
    keyword: "city", es: "en la calle", fr: "dans la rue", de: "auf der Straße",
  },
  beach: {
    props: ["sea", "sand", "sky", "sun"],
    phrases: ["on the beach", "on a sandy beach", "by the sea", "at the seaside", "near the water"],
    keyword: "beach", es: "en la playa", fr: "à la plage", de: "am Strand",
  },
  kitchen: {
    props: ["table", "wall", "cabinet"],
    phrases: ["on a kitchen table", "in a kitchen", "on a table", "on the kitchen counter", "on a wooden table"],
    keyword: "kitchen", es: "en la cocina", fr: "dans la cuisine", de: "in der Küche",
  },
  park: {
    props: ["grass", "tree", "path", "sky"],
    phrases: ["in a park", "on the grass", "in a grassy park", "near some trees", "in the park"],
    keyword: "park", es: "en el parque", fr: "au parc", de: "im Park",
  },
  sky: {
    props: ["sky", "cloud"],
    phrases: ["in the sky", "in the blue sky", "against a cloudy sky", "high in the air", "among the clouds"],
    keyword: "sky", es: "en el cielo", fr: "dans le ciel", de: "am Himmel",
  },
  room: {
    props: ["wall", "floor", "window", "picture frame"],
    phrases: ["in a living room", "inside a room", "in a bedroom", "in a room with a window", "indoors"],
    keyword: "home", es: "en una habitación", fr: "dans une pièce", de: "in einem Zimmer",
  },
  field: {
    props: ["grass", "tree", "hill", "sky"],
    phrases: ["in a grassy field", "on the savanna", "in an open field", "on a dry plain", "in the wild"],
    keyword: "nature", es: "en el campo", fr: "dans la savane", de: "auf einer Wiese",
  },
  snow: {
    props: ["snow", "mountain", "sky"],
    phrases: ["in the snow", "on a snowy slope", "on a snowy hill", "in the mountains", "on the snow"],
    keyword: "winter", es: "en la nieve", fr: "dans la neige", de: "im Schnee",
  },
  plain: {
    props: ["backdrop"],
    phrases: ["against a plain background", "on a white background", "on a plain backdrop", "in a studio shot", "isolated on a background"],
    keyword: "isolated", es: "sobre fondo blanco", fr: "sur fond blanc", de: "vor weißem Hintergrund",
  },
};

/** Validates a context name, naming the valid ones. */
export function contextInfo(id: string): ContextInfo {
  if (!(CONTEXTS as readonly string[]).includes(id)) {
    throw new RangeError(`unknown context ${JSON.stringify(id)}; valid: ${CONTEXTS.join(", ")}`);
  }
  return CONTEXT_INFO[id as ContextId];
}
