/** The metrics folder's Node-only door: loading WordNet's dict files from disk. */
export { loadWordNet, defaultWordNetDir } from "./wordnet-node.js";
