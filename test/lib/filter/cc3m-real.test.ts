import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig, textDecision, textFeatures, transformCaption, type Reason } from "../../../src/lib/filter/index.js";
import { loadLexicon } from "../../../src/lib/filter/node.js";
import { loadWordNet } from "../../../src/lib/wordnet/node.js";

const TSV = join(resolve(import.meta.dirname, "..", "..", ".."), "..", "shared", "datasets", "conceptual-captions", "Validation_GCC-1.1.0-Validation.tsv");
const present = existsSync(TSV);
if (!present) console.warn(`skipping the CC3M real-data checks: ${TSV} is absent (it lives in ../shared/datasets beside the repo)`);

/** Every 8th caption of the validation split (about 2,000): enough for stable fractions, quick to run. */
const captions = () => readFileSync(TSV, "utf-8").split("\n").filter((l) => l.includes("\t")).map((l) => l.split("\t")[0]!).filter((_, i) => i % 8 === 0);

describe.skipIf(!present)("the CC3M validation captions (real data, already lower-cased and hypernymized)", () => {
  it("cannot pass the capitalisation rule: every caption is lower case", async () => {
    const lexicon = await loadLexicon();
    const o = resolveConfig("cc3m").config.text;
    const sample = captions();
    const all = sample.map((c) => textDecision(textFeatures(c, lexicon), o, true).reasons);
    expect(all.every((r) => r.includes("first_word_lowercase"))).toBe(true);
    expect(all.some((r) => r.includes("capitalized_ratio"))).toBe(false);
    // The rules that can apply pass most of these already-filtered captions.
    const passing = (reason: Reason) => all.filter((r) => !r.includes(reason)).length / all.length;
    expect(passing("no_determiner")).toBeGreaterThan(0.85);
    expect(passing("rare_word")).toBeGreaterThan(0.95);
    expect(passing("not_english")).toBeGreaterThan(0.99);
  }, 120_000);

  it("hypernymization is close to idempotent on them: fewer than 5% of captions change", async () => {
    const wn = await loadWordNet();
    const sample = captions();
    const changed = sample.filter((c) => transformCaption(c, "hypernymize", wn).changed).length;
    expect(changed / sample.length).toBeLessThan(0.05);
  }, 120_000);
});
