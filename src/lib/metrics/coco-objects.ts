/**
 * Words and phrases that name each of COCO's 80 object categories, in the spirit of the CHAIR synonym lists
 * (Rohrbach et al., 2018) but written for this project. Keys are COCO's category names as in instances JSON.
 * Plural forms need not be listed: matching singularises both the caption and these terms.
 */
const BASE_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  person: [
    "person", "people", "man", "woman", "boy", "girl", "child", "kid", "baby", "toddler", "infant", "adult",
    "teenager", "teen", "guy", "gentleman", "lady", "men", "women", "children", "player", "skier", "surfer",
    "snowboarder", "skateboarder", "skater", "rider", "biker", "cyclist", "bicyclist", "motorcyclist",
    "pitcher", "batter", "catcher", "umpire", "referee", "chef", "baker", "worker", "officer",
    "policeman", "policewoman", "cop", "soldier", "driver", "passenger", "pedestrian", "tourist", "traveler",
    "student", "teacher", "doctor", "nurse", "farmer", "cowboy", "bride", "groom", "mother", "father", "mom",
    "dad", "son", "daughter", "brother", "sister", "grandmother", "grandfather", "family",
    "friend", "crowd", "spectator", "athlete", "jockey", "shopper", "vendor", "customer", "owner",
    "hiker", "camper", "fisherman", "businessman", "businesswoman", "tennis player", "baseball player",
    "soccer player", "frisbee player", "someone", "somebody", "youngster",
  ],
  bicycle: ["bicycle", "bike", "tricycle", "unicycle", "mountain bike", "push bike"],
  car: ["car", "automobile", "sedan", "suv", "van", "minivan", "taxi", "cab", "jeep", "coupe", "hatchback", "convertible", "police car", "sports car"],
  motorcycle: ["motorcycle", "motorbike", "motor bike", "motor cycle", "scooter", "moped", "dirt bike"],
  airplane: ["airplane", "aeroplane", "plane", "jet", "airliner", "aircraft", "jetliner", "air plane", "passenger jet", "jumbo jet", "seaplane", "biplane"],
  bus: ["bus", "double decker", "double decker bus", "school bus", "trolley bus", "coach bus", "minibus"],
  train: ["train", "locomotive", "tram", "trolley", "streetcar", "subway", "railcar", "freight train", "passenger train"],
  truck: ["truck", "pickup", "pickup truck", "lorry", "tractor trailer", "semi truck", "fire truck", "firetruck", "dump truck", "tow truck"],
  boat: ["boat", "ship", "sailboat", "yacht", "canoe", "kayak", "ferry", "raft", "vessel", "rowboat", "speedboat", "tugboat", "gondola", "barge", "catamaran", "dinghy"],
  "traffic light": ["traffic light", "traffic signal", "stop light", "stoplight", "street light", "signal light"],
  "fire hydrant": ["fire hydrant", "hydrant"],
  "stop sign": ["stop sign"],
  "parking meter": ["parking meter", "meter"],
  bench: ["bench", "park bench", "pew"],
  bird: ["bird", "pigeon", "seagull", "gull", "duck", "goose", "swan", "parrot", "eagle", "hawk", "owl", "crow", "sparrow", "finch", "robin", "pelican", "chicken", "hen", "rooster", "turkey", "dove", "flamingo", "penguin", "ostrich", "heron", "songbird", "blackbird", "hummingbird"],
  cat: ["cat", "kitten", "kitty", "feline", "tabby"],
  dog: ["dog", "puppy", "pup", "doggy", "hound", "canine", "terrier", "poodle", "retriever", "labrador", "bulldog", "chihuahua", "dachshund", "beagle", "collie", "husky", "sheepdog", "pug", "corgi", "german shepherd"],
  horse: ["horse", "pony", "foal", "colt", "mare", "stallion", "bronco"],
  sheep: ["sheep", "lamb", "ram", "ewe"],
  cow: ["cow", "cattle", "bull", "calf", "ox", "steer", "heifer", "oxen", "bison", "buffalo", "longhorn"],
  elephant: ["elephant"],
  bear: ["bear", "grizzly", "polar bear", "black bear", "brown bear", "cub"],
  zebra: ["zebra"],
  giraffe: ["giraffe"],
  backpack: ["backpack", "back pack", "knapsack", "rucksack", "daypack"],
  umbrella: ["umbrella", "parasol", "sunshade"],
  handbag: ["handbag", "purse", "hand bag", "pocketbook", "clutch bag", "tote", "tote bag", "shoulder bag"],
  tie: ["tie", "necktie", "bow tie", "bowtie", "neck tie"],
  suitcase: ["suitcase", "suit case", "luggage", "baggage", "carry on"],
  frisbee: ["frisbee", "flying disc", "disc"],
  skis: ["ski", "skis"],
  snowboard: ["snowboard", "snow board"],
  "sports ball": ["ball", "soccer ball", "football", "basketball", "baseball ball", "tennis ball", "volleyball", "softball", "beach ball", "sports ball", "rugby ball"],
  kite: ["kite"],
  "baseball bat": ["baseball bat", "bat", "softball bat"],
  "baseball glove": ["baseball glove", "glove", "mitt", "baseball mitt", "catcher's mitt"],
  skateboard: ["skateboard", "skate board", "longboard"],
  surfboard: ["surfboard", "surf board", "paddleboard", "paddle board", "bodyboard", "boogie board"],
  "tennis racket": ["tennis racket", "racket", "racquet", "tennis racquet"],
  bottle: ["bottle", "beer bottle", "water bottle", "wine bottle", "flask"],
  "wine glass": ["wine glass", "wine glasses", "wineglass", "champagne glass", "goblet"],
  cup: ["cup", "mug", "teacup", "coffee cup", "tea cup", "paper cup"],
  fork: ["fork"],
  knife: ["knife", "knives", "butter knife", "steak knife"],
  spoon: ["spoon", "teaspoon", "tablespoon", "ladle"],
  bowl: ["bowl"],
  banana: ["banana", "plantain"],
  apple: ["apple"],
  sandwich: ["sandwich", "burger", "hamburger", "cheeseburger", "panini", "hoagie", "blt", "sandwhich"],
  orange: ["orange", "tangerine", "mandarin", "clementine"],
  broccoli: ["broccoli", "brocolli"],
  carrot: ["carrot"],
  "hot dog": ["hot dog", "hotdog", "frankfurter", "sausage", "bratwurst", "wiener", "chili dog"],
  pizza: ["pizza", "pizza slice"],
  donut: ["donut", "doughnut"],
  cake: ["cake", "cupcake", "cheesecake", "birthday cake", "wedding cake", "torte"],
  chair: ["chair", "stool", "armchair", "recliner", "highchair", "high chair", "rocking chair", "lawn chair", "office chair", "computer chair", "desk chair"],
  couch: ["couch", "sofa", "loveseat", "love seat", "futon", "settee", "sectional"],
  "potted plant": ["potted plant", "plant", "houseplant", "house plant", "flower pot", "flowerpot", "planter", "pot plant"],
  bed: ["bed", "bunk bed", "crib", "mattress", "cot"],
  // "desk" is left out: COCO rarely annotates desks as dining tables, so naming one is not evidence of hallucination.
  "dining table": ["dining table", "table", "kitchen table", "picnic table", "coffee table"],
  toilet: ["toilet", "urinal", "commode", "toilet seat", "toilet bowl", "potty", "lavatory"],
  tv: ["tv", "television", "tv set", "flat screen", "flatscreen", "monitor", "television set", "computer monitor", "computer screen"],
  laptop: ["laptop", "laptop computer", "notebook computer", "computer", "macbook", "netbook"],
  mouse: ["computer mouse", "mouse"],
  remote: ["remote", "remote control", "tv remote", "television remote", "controller", "game controller", "wii remote", "wii controller", "clicker"],
  keyboard: ["keyboard", "computer keyboard"],
  "cell phone": ["cell phone", "cellphone", "phone", "mobile phone", "smartphone", "smart phone", "iphone", "telephone"],
  microwave: ["microwave", "microwave oven"],
  oven: ["oven", "stove", "stovetop", "stove top", "cooker", "toaster oven"],
  toaster: ["toaster"],
  sink: ["sink", "washbasin", "wash basin"],
  refrigerator: ["refrigerator", "fridge", "freezer", "icebox", "ice box"],
  book: ["book", "novel", "textbook", "paperback", "magazine"],
  clock: ["clock", "clock tower", "alarm clock", "wall clock", "timepiece"],
  vase: ["vase", "urn"],
  scissors: ["scissors", "shears", "pair of scissors"],
  "teddy bear": ["teddy bear", "teddy", "teddybear", "stuffed bear", "stuffed animal", "plush toy", "stuffed toy"],
  "hair drier": ["hair drier", "hair dryer", "hairdryer", "blow dryer", "blowdryer", "blow drier"],
  toothbrush: ["toothbrush", "tooth brush", "electric toothbrush"],
};

/** COCO categories that are animals: "baby X", "adult X" and "mother X" name the animal, not a person. */
const COCO_ANIMALS = ["bird", "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe"];

/** The synonym table keyed by COCO category name, with the animals' "baby X"-style phrases added. */
export const COCO_OBJECT_SYNONYMS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(BASE_SYNONYMS).map(([category, terms]) => [
    category,
    COCO_ANIMALS.includes(category)
      ? [...terms, ...terms.filter((t) => !t.includes(" ")).flatMap((t) => [`baby ${t}`, `adult ${t}`, `mother ${t}`])]
      : terms,
  ]),
);

/** COCO terms that are also colour words ("an orange bus"): counted only where they read as the object. */
export const COCO_COLOUR_TERMS: readonly string[] = ["orange"];

/** Phrases that contain an object word but name no such object: matched as a whole, then ignored. */
export const COCO_IGNORED_PHRASES: readonly string[] = [
  "bus stop", "train station", "train track", "railroad track", "toilet paper", "orange juice", "apple juice",
  "board game", "cutting board", "phone booth", "cake pan", "table cloth", "meter maid", "cat food", "dog food", "computer desk", "telephone line", "telephone pole", "telephone wire", "phone line", "tv stand",
];
