/** The metrics folder's Node-only door: WordNet's dict files load through the shared src/lib/wordnet. */
export { loadWordNet, defaultWordNetDir } from "../wordnet/node.js";
