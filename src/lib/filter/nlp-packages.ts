/**
 * The seam between the stages and the NLP packages they compute with: compromise (part of speech, tagging.ts),
 * franc-min's trigram data (language, franc-fast.ts) and the Porter stemmer (grounding.ts). No stage module imports
 * a package itself, so what reads only the stage list and its declarations (the attrition page, `ccw filter --help`)
 * loads none of them (compromise's import alone takes ~0.4 s). nlp.ts loads them and plugs them in; the folder's doors
 * (index.ts, browser.ts) and run.ts import it.
 */
import type compromise from "compromise";

export interface NlpPackages {
  nlp: typeof compromise;
  /** franc-min's `data` (script → language → trigrams by rank) and `expressions` (script → its characters). */
  franc: { data: Record<string, Record<string, string>>; expressions: Record<string, RegExp> };
  stemmer: (word: string) => string;
}

let plugged: NlpPackages | null = null;

/** Plugs the packages in (nlp.ts does); the first call wins. */
export function useNlpPackages(packages: NlpPackages): void {
  plugged ??= packages;
}

/** The plugged-in packages; throws, naming the fix, when nothing has plugged them in. */
export function nlpPackages(): NlpPackages {
  if (plugged === null) throw new Error("the filter's NLP packages are not plugged in: import src/lib/filter through its doors (index.ts, browser.ts, node.ts), which load them (nlp.ts)");
  return plugged;
}
