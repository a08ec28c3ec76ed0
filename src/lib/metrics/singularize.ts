/** English noun singularisation by rule, for matching caption words to object names (CHAIR) and WordNet lemmas. */

const IRREGULAR: Readonly<Record<string, string>> = {
  men: "man", women: "woman", children: "child", people: "person", feet: "foot", teeth: "tooth",
  geese: "goose", mice: "mouse", oxen: "ox", knives: "knife", wives: "wife", lives: "life",
  leaves: "leaf", loaves: "loaf", shelves: "shelf", wolves: "wolf", halves: "half", calves: "calf",
  scarves: "scarf", thieves: "thief", elves: "elf", selves: "self", dice: "die", cacti: "cactus",
  fungi: "fungus", indices: "index", matrices: "matrix", vertices: "vertex", criteria: "criterion",
  phenomena: "phenomenon", data: "data", media: "media", buses: "bus", gases: "gas", lenses: "lens",
  policemen: "policeman", firemen: "fireman", fishermen: "fisherman", businessmen: "businessman",
  ladies: "lady", skis: "ski", taxis: "taxi", kiwis: "kiwi", bikinis: "bikini", martinis: "martini",
  menus: "menu", emus: "emu", tutus: "tutu", grandchildren: "grandchild",
};

/** Plurals in -men whose singular is -man (a bare -men rule would break "specimen", "abdomen"). */
const MAN_COMPOUND = /^(?:police|fire|fisher|business|snow|sports|gentle|crafts|horse|work|sales|chair|door|camera|repair|delivery|mail|line|weather|fresh|country|garbage|trades|news|middle|noble|states|sea|air|bats|fore|handy|cave|key|lay|mad|milk|clergy|congress|yachts|frog|space|mer|church|foot|show)men$/;

/** Singulars ending in -ie (so "cookies" is "cookie", not "cooky"). */
const IE_WORDS = new Set([
  "cookie", "movie", "brownie", "zombie", "selfie", "smoothie", "rookie", "veggie", "goalie", "hippie",
  "pixie", "prairie", "auntie", "birdie", "hoodie", "beanie", "collie", "sweetie", "genie", "calorie",
  "bootie", "boogie", "newbie", "techie", "yuppie", "lassie", "sortie", "necktie", "bowtie", "pie",
]);

/** Singulars ending in -che (so "headaches" is "headache", not "headach"). */
const CHE_WORDS = new Set(["ache", "headache", "mustache", "moustache", "cache", "niche", "avalanche", "quiche", "cliche", "creche", "psyche", "douche", "porsche"]);

/** Words that look plural but are not (or are the same in both numbers). */
const INVARIANT = new Set([
  "sheep", "deer", "fish", "species", "series", "scissors", "glasses", "pants", "jeans", "shorts",
  "trousers", "news", "grass", "glass", "class", "dress", "cross", "bus", "tennis", "cactus", "octopus",
  "walrus", "hippopotamus", "platypus", "virus", "campus", "circus", "canvas", "bias", "gas", "lens",
  "chassis", "aircraft", "police", "cattle", "this", "his", "is", "was", "has", "does", "yes", "us",
  "as", "its", "whereas", "across", "less", "analysis", "axis", "basis", "oasis", "christmas",
  "physics", "mathematics", "athletics", "gymnastics", "electronics", "kudos", "dos", "plus", "pus",
  "surplus", "always", "perhaps", "sometimes", "mattress", "business", "princess", "goddess", "harness",
  "fitness", "boss", "moss", "chess", "mass", "kiss", "brass", "compass", "bonus", "status",
]);

/** Singular form of an (already lower-cased) English word; words that are not plural come back unchanged. */
export function singularize(word: string): string {
  // Own keys only: a caption may say "constructor", which every object inherits.
  if (Object.hasOwn(IRREGULAR, word)) return IRREGULAR[word]!;
  if (MAN_COMPOUND.test(word)) return `${word.slice(0, -3)}man`;
  if (INVARIANT.has(word) || word.length <= 3 || !word.endsWith("s")) return word;
  if (word.endsWith("ss") || word.endsWith("us") || word.endsWith("is")) return word;
  if (word.endsWith("ies") && word.length > 4) return IE_WORDS.has(word.slice(0, -1)) ? word.slice(0, -1) : `${word.slice(0, -3)}y`;
  if (word.endsWith("ches") && CHE_WORDS.has(word.slice(0, -1))) return word.slice(0, -1);
  if (/(?:ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (/(?:tomato|potato|hero|echo|torpedo|volcano|mango|buffalo|domino)es$/.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}
