/**
 * COCO-style annotation of a scene: five plain, literal descriptions as crowd workers
 * write them ("a dog sitting next to a cake on a table"), each naming exactly the
 * objects in the scene and nothing else that is an object category.
 */
import { CONTEXT_INFO } from "./contexts.js";
import { capitalize, objectNoun, objectPhrase, objectsPhrase, posture, styleNoun } from "./phrases.js";
import type { Rng } from "./prng.js";
import type { Predicate, Scene } from "./scene.js";

const RELATION_WORDS: Record<Predicate, readonly string[]> = {
  "left of": ["to the left of", "next to", "beside"],
  "right of": ["to the right of", "next to", "beside"],
  above: ["above", "over"],
  below: ["below", "under"],
};

/** The scene's canonical literal description (image alt text on the workbench's own pages). */
export function describeScene(scene: Scene): string {
  const style = styleNoun(scene.style);
  const head = style ? `${/^[aeiou]/.test(style) ? "an" : "a"} ${style} of ` : "";
  return `${head}${objectsPhrase(scene)} ${CONTEXT_INFO[scene.context].phrases[0]}`;
}

/** Five distinct literal captions for the scene, lower case as COCO's often are, some with a final period. */
export function cocoCaptions(scene: Scene, rng: Rng): string[] {
  const phrases = rng.shuffle(CONTEXT_INFO[scene.context].phrases);
  const where = (i: number) => phrases[i % phrases.length]!;
  const list = objectsPhrase(scene);
  const first = scene.objects[0]!;
  const rest = scene.objects.slice(1);
  const style = styleNoun(scene.style);
  const styled = (text: string) => (style ? `${/^[aeiou]/.test(style) ? "an" : "a"} ${style} of ${text}` : text);
  const relation = scene.relations[0];
  const candidates: string[] = [
    styled(`${list} ${where(0)}`),
    rest.length
      ? `${objectPhrase(first)} ${posture(first)} near ${objectsPhraseOf(rest)} ${where(1)}`
      : `${objectPhrase(first)} ${posture(first)} ${where(1)}`,
    relation
      ? `${phraseOf(scene, relation.subject)} ${rng.pick(RELATION_WORDS[relation.predicate])} ${phraseOf(scene, relation.object)}${othersThan(scene, relation.subject, relation.object)} ${where(2)}`
      : `there is ${list} ${where(2)}`,
    `${style ? `this ${style} shows` : "this picture shows"} ${objectsPhrase(scene, true)} ${where(3)}`,
    `${rng.pick(["a view of", "a close up of", "an image of", "a scene with"])} ${list} ${where(4)}`,
    `the ${joinNouns(scene)} ${scene.objects.length === 1 && first.count === 1 ? "is" : "are"} ${where(0)}`,
  ];
  // Five of the six phrasings, so annotators differ from image to image as real ones do.
  return rng.shuffle(candidates).slice(0, 5).map((c, i) => {
    const text = c.replace(/\s+/g, " ").trim();
    return i % 2 === 0 ? text : `${capitalize(text)}.`;
  });
}

function phraseOf(scene: Scene, categoryId: string): string {
  return objectPhrase(scene.objects.find((o) => o.category === categoryId)!);
}

/** " and a cup" for the objects a relation leaves out, so the caption still names them all. */
function othersThan(scene: Scene, ...ids: string[]): string {
  const others = scene.objects.filter((o) => !ids.includes(o.category));
  return others.length ? ` with ${objectsPhraseOf(others)}` : "";
}

function objectsPhraseOf(objects: Scene["objects"]): string {
  return objectsPhrase({ objects } as Scene);
}

function joinNouns(scene: Scene): string {
  const nouns = scene.objects.map(objectNoun);
  return nouns.length <= 1 ? nouns[0]! : `${nouns.slice(0, -1).join(", ")} and ${nouns[nouns.length - 1]}`;
}
