/**
 * Alt-texts as the web writes them: templates over a scene's ground truth plus the noise
 * the Conceptual Captions filters exist to remove. Every alt-text is tagged with its noise
 * class, so a filter's precision and recall per class can be measured exactly.
 */
import { CONTEXT_INFO } from "./contexts.js";
import { capitalize, joinList, objectNoun, objectPhrase, posture, styleNoun } from "./phrases.js";
import type { Rng } from "./prng.js";
import type { Scene, SceneObject } from "./scene.js";
import { category, type ObjectKind } from "./vocabulary.js";
import { sampleContent } from "./world.js";

export const NOISE_CLASSES = [
  "good",
  "named-entity",
  "boilerplate",
  "seo-keywords",
  "hashtags",
  "file-name",
  "empty",
  "all-caps",
  "pronoun-only",
  "non-english",
  "profanity",
  "wrong-description",
] as const;
export type NoiseClass = (typeof NOISE_CLASSES)[number];

/** What each class is, for documentation and the page's legend. */
export const NOISE_CLASS_INFO: Record<NoiseClass, string> = {
  good: "a descriptive English sentence about the image",
  "named-entity": "describes the image with named people, places, organisations and dates (hypernymization must resolve them)",
  boilerplate: "site boilerplate: a good sentence with a prefix/suffix (\"click to enlarge\", \"stock photo\"), or a whole boilerplate text (\"profile photo\")",
  "seo-keywords": "a run of search keywords",
  hashtags: "a run of hashtags",
  "file-name": "the image's file name (IMG_2041.JPG)",
  empty: "empty or missing alt attribute",
  "all-caps": "a description in capital letters",
  "pronoun-only": "a pronoun and nothing else (\"me\", \"us\")",
  "non-english": "a description in Spanish, French or German",
  profanity: "a description with a mild profanity",
  "wrong-description": "a good-looking sentence about objects that are not in the image",
};

/**
 * Default rates, ours (the paper gives none): noisy enough that the text filter has real
 * work, with enough good and named-entity texts to train on after filtering.
 */
export const DEFAULT_NOISE_RATES: Readonly<Record<NoiseClass, number>> = {
  good: 0.16,
  "named-entity": 0.12,
  boilerplate: 0.08,
  "seo-keywords": 0.08,
  hashtags: 0.07,
  "file-name": 0.1,
  empty: 0.12,
  "all-caps": 0.04,
  "pronoun-only": 0.04,
  "non-english": 0.06,
  profanity: 0.03,
  "wrong-description": 0.1,
};

/**
 * Rates with overrides: the named classes get their values, the others share what is left
 * in proportion to their defaults. Bad names or values are errors naming the valid ones.
 */
export function resolveNoiseRates(overrides: Readonly<Record<string, number>> = {}): Record<NoiseClass, number> {
  let fixed = 0;
  for (const [name, value] of Object.entries(overrides)) {
    if (!(NOISE_CLASSES as readonly string[]).includes(name)) {
      throw new RangeError(`unknown noise class ${JSON.stringify(name)}; valid: ${NOISE_CLASSES.join(", ")}`);
    }
    if (!Number.isFinite(value) || value < 0 || value > 1) throw new RangeError(`noise rate for ${name} must be in [0, 1], got ${value}`);
    fixed += value;
  }
  if (fixed > 1 + 1e-9) throw new RangeError(`noise rates add up to ${fixed}, more than 1`);
  const free = NOISE_CLASSES.filter((c) => !(c in overrides));
  const freeDefault = free.reduce((s, c) => s + DEFAULT_NOISE_RATES[c], 0);
  const rates = {} as Record<NoiseClass, number>;
  for (const c of NOISE_CLASSES) {
    const rate = c in overrides ? overrides[c]! : freeDefault > 0 ? ((1 - fixed) * DEFAULT_NOISE_RATES[c]) / freeDefault : 0;
    rates[c] = Math.round(rate * 1e12) / 1e12; // no float dust (0.15999999999999998) in summaries

  }
  if (!(NOISE_CLASSES.reduce((s, c) => s + rates[c], 0) > 0)) throw new RangeError("noise rates are all zero");
  return rates;
}

/** Name lists for named-entity alt-texts (Node loads them from @stdlib datasets). */
export interface NameLists {
  female: readonly string[];
  male: readonly string[];
  /** Places: US states and world cities. */
  places: readonly string[];
}

export type EntityType = "person" | "place" | "organization" | "date";
export interface Entity {
  text: string;
  type: EntityType;
}

export type Language = "en" | "es" | "fr" | "de";

export interface AltText {
  text: string;
  /** false: the img element has no alt attribute at all (text is then ""). */
  present: boolean;
  noiseClass: NoiseClass;
  language: Language;
  /** Named entities the text contains, in order. */
  entities: Entity[];
  /** Whether the text is about this image (false for wrong descriptions). */
  describesImage: boolean;
}

export interface AltTextOptions {
  rates: Readonly<Record<NoiseClass, number>>;
  names: NameLists;
  /** The image's own file name, which careless pages copy into alt. */
  fileName: string;
}

const ADJECTIVES: Record<ObjectKind, readonly string[]> = {
  person: ["young", "happy", "smiling"],
  animal: ["cute", "happy", "little", "big", "sleepy", "friendly"],
  vehicle: ["red", "blue", "white", "old", "shiny"],
  food: ["delicious", "fresh", "homemade", "tasty"],
  thing: ["new", "old", "colourful", "small", "large"],
};

const article = (word: string) => (/^[aeiou]/i.test(word) ? "an" : "a");

/** "a cute dog", "two cute dogs". */
function adjectivePhrase(o: SceneObject, rng: Rng): string {
  const adj = rng.pick(ADJECTIVES[category(o.category).kind]);
  const phrase = objectPhrase(o);
  if (o.count > 1) return phrase.replace(" ", ` ${adj} `);
  return `${article(adj)} ${adj} ${phrase.replace(/^(a|an) /, "")}`;
}

/** A descriptive English sentence about these objects in this context, web style. */
export function goodSentence(scene: Pick<Scene, "objects" | "context" | "style" | "relations">, rng: Rng): string {
  const where = rng.pick(CONTEXT_INFO[scene.context].phrases);
  const list = joinList(scene.objects.map((o, i) => (i === 0 && rng.chance(0.5) ? adjectivePhrase(o, rng) : objectPhrase(o))));
  const style = styleNoun(scene.style);
  const first = scene.objects[0]!;
  const relation = scene.relations[0];
  const templates: (() => string)[] = [
    () => `${list} ${where}`,
    () => `${objectPhrase(first)} ${posture(first)} ${where}`.concat(scene.objects.length > 1 ? ` with ${joinList(scene.objects.slice(1).map((o) => objectPhrase(o)))}` : ""),
    () => `${rng.pick(["photo of", "close-up of", "picture of", "view of"])} ${list} ${where}`,
    () => (style ? `${style === "cartoon" ? "cartoon illustration" : "line drawing"} of ${list} ${where}` : `${list} ${where} on a sunny day`),
    () =>
      relation
        ? `${objectPhrase(scene.objects.find((o) => o.category === relation.subject)!)} ${relation.predicate === "left of" || relation.predicate === "right of" ? "next to" : relation.predicate} ${objectPhrase(scene.objects.find((o) => o.category === relation.object)!)} ${where}`
        : `${list} ${where}`,
  ];
  const text = capitalize(rng.pick(templates)());
  return rng.chance(0.4) ? `${text}.` : text;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const ORG_SUFFIXES = ["State University", "Zoo", "Museum of Art", "Public Library", "Times", "Airlines", "Football Club", "Botanical Garden"];
const EVENTS = ["festival", "fair", "parade", "open day", "marathon", "premiere"];

function personName(rng: Rng, names: NameLists): Entity {
  const first = rng.chance(0.5) ? rng.pick(names.female) : rng.pick(names.male);
  const last = rng.pick(rng.chance(0.5) ? names.male : names.female);
  return { text: `${first} ${last}`, type: "person" };
}

function dateEntity(rng: Rng): Entity {
  const year = rng.int(2005, 2020), month = rng.pick(MONTHS), day = rng.int(1, 28);
  const forms = [`${month} ${day}, ${year}`, `${day} ${month} ${year}`, `${month} ${year}`, String(year)];
  return { text: rng.pick(forms), type: "date" };
}

function namedEntityText(scene: Scene, rng: Rng, names: NameLists): { text: string; entities: Entity[] } {
  const list = joinList(scene.objects.map((o) => objectPhrase(o)));
  const where = rng.pick(CONTEXT_INFO[scene.context].phrases);
  const person = personName(rng, names);
  const place: Entity = { text: rng.pick(names.places), type: "place" };
  const org: Entity = { text: `${rng.pick(names.places)} ${rng.pick(ORG_SUFFIXES)}`, type: "organization" };
  const date = dateEntity(rng);
  const other = personName(rng, names);
  const choice = rng.int(0, 4);
  switch (choice) {
    case 0:
      return { text: `${person.text} with ${list} ${where} in ${place.text}, ${date.text}`, entities: [person, place, date] };
    case 1:
      return { text: `${capitalize(list)} at the ${org.text} in ${place.text}`, entities: [org, place] };
    case 2: {
      const event = rng.pick(EVENTS);
      // "on June 12, 2014" but "in June 2014", "in 2014".
      const on = /\d+,|^\d+ /.test(date.text) ? "on" : "in";
      return { text: `${person.text} and ${other.text} with ${list} at the ${org.text} ${event} ${on} ${date.text}`, entities: [person, other, org, date] };
    }
    case 3:
      return { text: `${capitalize(list)} ${where} in ${place.text}. Photo by ${person.text}`, entities: [place, person] };
    default:
      return { text: `${person.text}'s ${objectNoun(scene.objects[0]!)} ${where} in ${place.text} (${date.text})`, entities: [person, place, date] };
  }
}

const PREFIXES = ["Click to enlarge picture: ", "Click to enlarge - ", "Stock photo: ", "Image: ", "Photo: "];
const SUFFIXES = [" - stock photo", " | Stock Image", " (click to enlarge)", " - Royalty Free Stock Photo", " stock photo", " - Stock Image"];

function boilerplateText(scene: Scene, rng: Rng, names: NameLists): { text: string; entities: Entity[] } {
  if (rng.chance(0.7)) {
    const sentence = goodSentence(scene, rng).replace(/\.$/, "");
    return { text: rng.chance(0.5) ? `${rng.pick(PREFIXES)}${sentence}` : `${sentence}${rng.pick(SUFFIXES)}`, entities: [] };
  }
  const person = personName(rng, names);
  const whole: { text: string; entities: Entity[] }[] = [
    { text: "Embedded image permalink", entities: [] },
    { text: "profile photo", entities: [] },
    { text: `${person.text}'s profile photo`, entities: [person] },
    { text: `Profile photo of ${person.text}`, entities: [person] },
    { text: "Thumbnail", entities: [] },
    { text: `Image may contain: ${joinList(scene.objects.map((o) => objectNoun(o)))}`, entities: [] },
  ];
  return rng.pick(whole);
}

const SEO_WORDS = ["free", "hd", "wallpaper", "download", "stock", "images", "pictures", "photos", "best", "cheap", "buy online", "2019", "cute", "funny", "high resolution"];

function seoText(scene: Scene, rng: Rng): string {
  const nouns = scene.objects.map((o) => category(o.category).noun.singular);
  const ctx = CONTEXT_INFO[scene.context].keyword;
  const terms: string[] = [];
  for (let n = rng.int(6, 14); terms.length < n; ) {
    const noun = rng.pick(nouns);
    terms.push(rng.pick([noun, `${noun} ${rng.pick(SEO_WORDS)}`, `${rng.pick(SEO_WORDS)} ${noun}`, `${ctx} ${noun}`, ctx, rng.pick(SEO_WORDS)]));
  }
  return terms.join(rng.chance(0.6) ? ", " : " ");
}

const HASHTAGS = ["instagood", "photooftheday", "love", "nofilter", "tbt", "happy", "weekend", "follow", "picoftheday", "summer"];

function hashtagText(scene: Scene, rng: Rng): string {
  const tags = [
    ...scene.objects.map((o) => category(o.category).noun.singular.replace(/ /g, "")),
    CONTEXT_INFO[scene.context].keyword,
    ...rng.shuffle(HASHTAGS).slice(0, rng.int(2, 6)),
  ];
  const run = rng.shuffle(tags).map((t) => `#${t}`).join(" ");
  return rng.chance(0.3) ? `${rng.pick(["Sunday vibes", "Good times", "Best day ever", "Weekend mood"])} ${run}` : run;
}

function fileNameText(rng: Rng, own: string, scene: Scene): string {
  if (rng.chance(0.5)) return own;
  const n = rng.int(1, 9999);
  const noun = category(scene.objects[0]!.category).noun.singular.replace(/ /g, "-");
  const forms = [
    `IMG_${String(n).padStart(4, "0")}.JPG`,
    `DSC${String(n).padStart(5, "0")}.jpg`,
    `image${String(n % 1000).padStart(3, "0")}.png`,
    `photo (${n % 20}).jpg`,
    `${rng.int(2012, 2020)}0${rng.int(1, 9)}1${rng.int(0, 9)}_1${rng.int(10000, 99999)}.jpg`,
    `${noun}-${CONTEXT_INFO[scene.context].keyword}-1024x768.jpg`,
    `untitled-${n % 10}.jpg`,
  ];
  return rng.pick(forms);
}

const PRONOUNS = ["me", "Me", "us", "Us!", "her", "him", "them", "this", "It", "That's me", "Me and her", "us again"];

const LANG_NUMBERS: Record<"es" | "fr" | "de", readonly string[]> = {
  es: ["", "", "dos", "tres", "cuatro"],
  fr: ["", "", "deux", "trois", "quatre"],
  de: ["", "", "zwei", "drei", "vier"],
};
const LANG_AND = { es: "y", fr: "et", de: "und" } as const;
const LANG_PHOTO = { es: "Foto de", fr: "Photo de", de: "Foto:" } as const;

function nonEnglishText(scene: Scene, rng: Rng): { text: string; language: Language } {
  const language = rng.pick(["es", "fr", "de"] as const);
  const items = scene.objects.map((o) => {
    const [singular, plural] = category(o.category).translations[language];
    return o.count > 1 ? `${LANG_NUMBERS[language][o.count] ?? o.count} ${plural}` : singular;
  });
  const list = joinList(items, LANG_AND[language]);
  const where = CONTEXT_INFO[scene.context][language];
  const text = rng.chance(0.5) ? `${capitalize(list)} ${where}` : `${LANG_PHOTO[language]} ${list} ${where}`;
  return { text, language };
}

const PROFANITY = ["damn", "crap", "hell", "freaking", "sucks", "bloody"];

function profanityText(scene: Scene, rng: Rng): string {
  const sentence = goodSentence(scene, rng).replace(/\.$/, "");
  const lower = sentence[0]!.toLowerCase() + sentence.slice(1);
  const word = rng.pick(PROFANITY);
  switch (word) {
    case "damn":
      return `Damn, ${lower}`;
    case "crap":
      return `${sentence}, crap photo`;
    case "hell":
      return `Hell yeah, ${lower}!`;
    case "freaking":
      return `${sentence}, freaking awesome`;
    case "sucks":
      return `${sentence}. The weather sucks`;
    default:
      return `${sentence} - bloody brilliant`;
  }
}

/** One alt-text for the scene: its noise class drawn at the configured rates, then its text. */
export function makeAltText(scene: Scene, rng: Rng, options: AltTextOptions): AltText {
  const noiseClass = rng.weighted(options.rates);
  const base = { present: true, noiseClass, language: "en" as Language, entities: [] as Entity[], describesImage: true };
  switch (noiseClass) {
    case "good":
      return { ...base, text: goodSentence(scene, rng) };
    case "named-entity":
      return { ...base, ...namedEntityText(scene, rng, options.names) };
    case "boilerplate":
      return { ...base, ...boilerplateText(scene, rng, options.names) };
    case "seo-keywords":
      return { ...base, text: seoText(scene, rng) };
    case "hashtags":
      return { ...base, text: hashtagText(scene, rng) };
    case "file-name":
      return { ...base, text: fileNameText(rng, options.fileName, scene), describesImage: false };
    case "empty":
      return { ...base, text: "", present: rng.chance(0.5), describesImage: false };
    case "all-caps": {
      const text = goodSentence(scene, rng).toUpperCase();
      return { ...base, text: rng.chance(0.4) ? `${text.replace(/\.$/, "")}!!!` : text };
    }
    case "pronoun-only":
      return { ...base, text: rng.pick(PRONOUNS), describesImage: false };
    case "non-english":
      return { ...base, ...nonEnglishText(scene, rng) };
    case "profanity":
      return { ...base, text: profanityText(scene, rng) };
    case "wrong-description": {
      // A sentence about another scene's objects: none of this image's categories.
      const other = sampleContent(rng, scene.world, 3, scene.objects.map((o) => o.category));
      const objects = other.objects.map((o) => ({ ...o, instances: [{ x: 0, y: 0, size: 1, emoji: category(o.category).emoji[0]!.name, flip: false }] }));
      return { ...base, text: goodSentence({ objects, context: other.context, style: "modern", relations: [] }, rng), describesImage: false };
    }
  }
}
