/** Noun phrases for a scene's objects ("a dog", "two cakes", "a man and a dog"), shared by captions and alt-texts. */
import type { Scene, SceneObject } from "./scene.js";
import { category, type Style } from "./vocabulary.js";

const NUMBERS = ["zero", "one", "two", "three", "four", "five", "six"];

/** "a dog", "two dogs"; a single person is named by the emoji drawn (a man, a woman). */
export function objectPhrase(o: SceneObject, numeral = false): string {
  const c = category(o.category);
  if (o.count > 1) return `${NUMBERS[o.count] ?? String(o.count)} ${c.noun.plural}`;
  const variant = c.emoji.find((e) => e.name === o.instances[0]?.emoji);
  const noun = variant?.noun ?? c.noun.singular;
  const article = variant?.noun ? (variant.article ?? "a") : c.noun.article;
  return numeral ? `one ${noun}` : `${article} ${noun}`;
}

/** The bare noun of an object, singular or plural by its count ("dog", "dogs"). */
export function objectNoun(o: SceneObject): string {
  const c = category(o.category);
  return o.count > 1 ? c.noun.plural : c.noun.singular;
}

/** English list: "a", "a and b", "a, b and c". */
export function joinList(items: readonly string[], and = "and"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${and} ${items[items.length - 1]}`;
}

/** Every object of the scene as one phrase: "a dog and two cakes". */
export function objectsPhrase(scene: Scene, numeral = false): string {
  return joinList(scene.objects.map((o) => objectPhrase(o, numeral)));
}

/** How crowd workers name a non-photographic style, or "" for the photo-like one. */
export function styleNoun(style: Style): string {
  return style === "flat" ? "cartoon" : style === "high-contrast" ? "black and white drawing" : "";
}

export const capitalize = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** A verb for how an object of this kind is shown ("sitting", "parked"). */
export function posture(o: SceneObject): string {
  const kind = category(o.category).kind;
  const plural = o.count > 1;
  switch (kind) {
    case "person":
      return "standing";
    case "animal":
      return o.category === "bird" ? (plural ? "flying" : "perched") : "standing";
    case "vehicle":
      return ["airplane", "boat"].includes(o.category) ? "sailing" : "parked";
    case "food":
      return "sitting";
    default:
      return ["kite", "frisbee"].includes(o.category) ? "flying" : "sitting";
  }
}
