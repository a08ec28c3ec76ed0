// Explore rows generated in code: awkward captions (quotes, SQL, HTML, Unicode, empty) crossed with facet values.
import { toArrowIPC, tableFromRows } from "../../../src/lib/arrow/index.js";
import { EXPLORE_COLUMNS, exploreRows, type ExploreFields, type ExploreRow } from "../../../src/lib/explore/index.js";

export const CAPTIONS = [
  "A dog runs on the beach.",
  "the dog's ball — red car in city",
  "it's a 'quoted' caption with \"double\" quotes",
  "Café au lait, naïve façade; ÜBER groß",
  "person attends the premiere of film",
  "actor and person at the premiere .",
  "%_ wildcard chars \\ backslash",
  "'; DROP TABLE t; --",
  "<script>alert(1)</script> tags",
  "",
  "hotdog and dogs",
  "don’t stop believing",
  "emoji 🐶 dog 2024 football player",
  "RED CAR red car Red Car",
  "person , person and person",
];

const NOISE = ["good", "boilerplate", "named-entity", null];
const STYLES = ["modern", "flat", "high-contrast"];
const SETS: (string[] | null)[] = [["dog"], ["car", "person"], [], ["cat", "dog", "person"], null];
const URLS = ["https://www.example.com/a.jpg", "http://img.test/b.png", "not a url", null];

export function fixtureFields(n: number): ExploreFields[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `f-${i}`,
    caption: CAPTIONS[i % CAPTIONS.length]!,
    url: URLS[i % URLS.length] ?? null,
    noise_class: NOISE[i % NOISE.length] ?? null,
    style: STYLES[(i >> 1) % STYLES.length] ?? null,
    categories: SETS[i % SETS.length] ?? null,
    image: i % 2 ? `img-${i}` : null,
  }));
}

export function fixtureRows(n: number): ExploreRow[] {
  return exploreRows(fixtureFields(n));
}

export function fixtureIPC(n: number): Uint8Array {
  return toArrowIPC(tableFromRows(fixtureRows(n), EXPLORE_COLUMNS));
}
