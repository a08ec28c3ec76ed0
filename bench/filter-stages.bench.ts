// Candidates per second for each filter stage on one core, and the caption pipeline on one and on all cores (worker threads),
// once over 1,000,000 candidates.
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  checkConservation, funnelOf, groundingFeatures, groundingDecision, imageFeatures, imageHeaderDecision, mergeFunnels, resolveConfig, textStage, transformCaption, FILTER_BATCH,
  type Candidate,
} from "../src/lib/filter/index.js";
import { loadLexicon, loadNsfwModel, planRun, runCandidates } from "../src/lib/filter/node.js";
import { generateCrawl } from "../src/lib/synth/index.js";
import { defaultNameLists, encodeScene } from "../src/lib/synth/node-index.js";
import { loadWordNet } from "../src/lib/wordnet/node.js";
import { timedInChild, type Benchmark } from "./harness.js";

const cc3m = resolveConfig("cc3m");
/** Alt-texts of a fixed synthetic crawl: every noise class, realistic lengths. */
const altTexts = (pages: number) => generateCrawl({ seed: "bench", pages }, defaultNameLists()).images.map((im) => im.alt.text);
/** The clean sentences only (what reaches grounding and transform). */
const sentences = (pages: number) => generateCrawl({ seed: "bench", pages }, defaultNameLists()).images.filter((im) => im.alt.noiseClass === "good" || im.alt.noiseClass === "named-entity").map((im) => ({ text: im.alt.text, labels: im.scene.objects.map((o) => o.category) }));

const imageHeader: Benchmark = {
  name: "filter-stages/image-header",
  unit: "candidates",
  workload: "image stage, header rules (magic number, size, aspect, completeness) on 200 JPEG/PNG/WebP files of the synthetic crawl, 1 core",
  async setup() {
    const crawl = generateCrawl({ seed: "bench", pages: 100 }, defaultNameLists());
    const files = await Promise.all(crawl.images.slice(0, 200).map((im) => encodeScene(im.scene, im.format, im.quality)));
    return () => {
      for (const bytes of files) imageHeaderDecision(imageFeatures(bytes, cc3m.config.image), cc3m.config.image);
      return files.length;
    };
  },
};

const nsfw: Benchmark = {
  name: "filter-stages/image-nsfw",
  unit: "candidates",
  workload: "image stage, NSFW classifier (nsfwjs MobileNetV2, TF.js WASM) on 10 decoded 640×480 JPEGs, 1 core",
  async setup() {
    const model = await loadNsfwModel();
    const crawl = generateCrawl({ seed: "bench", pages: 30 }, defaultNameLists());
    const scenes = crawl.images.filter((im) => im.kind === "photo").slice(0, 10).map((im) => ({ ...im.scene, width: 640, height: 480 }));
    const files = await Promise.all(scenes.map((s) => encodeScene(s, "jpeg", 85)));
    return async () => {
      for (const bytes of files) await model.classify(bytes, 89_478_485);
      return files.length;
    };
  },
};

const TEXT_CANDIDATES = 3000;

/** The text stage over 3,000 alt-texts, as the pipeline runs it (the timed function of the filter-stages/text row). */
export async function textStageRun(): Promise<() => number> {
  const lexicon = await loadLexicon();
  const texts = altTexts(1500).slice(0, TEXT_CANDIDATES);
  return () => {
    const cache = new Map<string, number>();
    for (let i = 0; i < texts.length; i += FILTER_BATCH) textStage(texts.slice(i, i + FILTER_BATCH), lexicon, cc3m.config.text, false, cache);
    return texts.length;
  };
}

/**
 * Timed in a process of its own (bench/filter/text-child.ts), as a filter worker runs: measured inside the bench
 * process after the TF.js rows, the same code ran 1.5× slower (703 ms against 431–493 ms alone), and with 1,000
 * alt-texts per repetition (0.2 s) one warm-up pass left repetitions 186–270 ms apart on an idle machine.
 */
const text: Benchmark = {
  name: "filter-stages/text",
  unit: "candidates",
  workload: `text stage (normalise, crop, franc, lexicon, the rules before part-of-speech, then compromise POS of the texts they keep, the other rules; cc3m) on ${TEXT_CANDIDATES.toLocaleString("en-US")} synthetic alt-texts in batches of ${FILTER_BATCH}, as the pipeline runs it, 1 core, in its own process`,
  async selfTimed() {
    const r = timedInChild(process.execPath, ["--import", "tsx", join(import.meta.dirname, "filter", "text-child.ts")], TEXT_CANDIDATES);
    if ("failed" in r) throw new Error(`the text stage's own process failed: ${r.failed}`);
    return r;
  },
};

const grounding: Benchmark = {
  name: "filter-stages/grounding",
  unit: "candidates",
  workload: "grounding stage (stemmed label matching; labels given) on the clean sentences of 500 synthetic pages, 1 core",
  async setup() {
    const items = sentences(500);
    return () => {
      for (const { text: t, labels } of items) groundingDecision(groundingFeatures(t, "input", labels.map((name) => ({ name, confidence: 1 })), cc3m.config.grounding), cc3m.config.grounding);
      return items.length;
    };
  },
};

const labeler: Benchmark = {
  name: "filter-stages/grounding-labeler",
  unit: "candidates",
  workload: "grounding stage with the synth-cnn labeler (decode, resize to 64 px, CNN on TF.js WASM, label matching) on 40 synthetic JPEGs, 1 core",
  async setup() {
    const { loadSynthLabeler } = await import("../src/lib/labeler/node.js");
    const model = await loadSynthLabeler();
    const crawl = generateCrawl({ seed: "bench", pages: 60 }, defaultNameLists());
    const images = crawl.images.filter((im) => im.kind === "photo").slice(0, 40);
    const files = await Promise.all(images.map((im) => encodeScene(im.scene, "jpeg", 85)));
    return async () => {
      for (let i = 0; i < files.length; i++) {
        const labels = await model.label({ id: String(i), url: null, image: files[i] });
        groundingDecision(groundingFeatures(images[i]!.alt.text, "synth-cnn", labels, cc3m.config.grounding), cc3m.config.grounding);
      }
      return files.length;
    };
  },
};

const transform: Benchmark = {
  name: "filter-stages/transform",
  unit: "candidates",
  workload: "transform stage (hypernymization with compromise + WordNet) on the clean sentences of 500 synthetic pages, 1 core",
  async setup() {
    const wn = await loadWordNet();
    const items = sentences(500);
    return () => {
      for (const { text: t } of items) transformCaption(t, "hypernymize", wn);
      return items.length;
    };
  },
};

function pipeline(workers: number): Benchmark {
  return {
    name: `filter-stages/pipeline-${workers === 1 ? "1-core" : "all-cores"}`,
    unit: "candidates",
    workload: `text + transform stages (cc3m, --all-reasons) on 3,000 synthetic alt-texts as a caption-only shard, ${workers} worker thread(s) (start-up included)`,
    async setup() {
      const candidates: Candidate[] = altTexts(1500).slice(0, 3000).map((alt, i) => ({ id: String(i), alt, url: null }));
      const plan = planRun(resolveConfig("cc3m", { stages: ["text", "transform"] }), { captionOnly: true, hasLabels: false, cnnAvailable: false }, true);
      return async () => (await runCandidates(candidates, plan, { workers })).length;
    },
  };
}

/** The million-candidate run: this many shards of SHARD_CANDIDATES, each a fresh synthetic crawl slice. */
const MILLION_SHARDS = 10;
const SHARD_CANDIDATES = 100_000;
/** Pages that give a shard at least SHARD_CANDIDATES images (the crawl has about 2.5 images a page). */
const SHARD_PAGES = 41_000;

/**
 * The caption pipeline at scale: 1,000,000 caption-only candidates in shards of 100,000 on all cores, each shard's funnel
 * checked for conservation and the merged one too. One timed run (it takes minutes): crawl generation is not timed.
 */
function millionCandidates(workers: number): Benchmark {
  const total = MILLION_SHARDS * SHARD_CANDIDATES;
  return {
    name: "filter-stages/pipeline-1m-all-cores",
    unit: "candidates",
    workload: `text + transform stages (cc3m) on ${total.toLocaleString("en-US")} caption-only candidates (alt-texts of ${MILLION_SHARDS} synthetic crawls of ${SHARD_PAGES.toLocaleString("en-US")} pages), ${MILLION_SHARDS} shards of ${SHARD_CANDIDATES.toLocaleString("en-US")} on ${workers} worker thread(s) (start-up included), funnel conserved; one timed run`,
    async selfTimed() {
      const shards = Array.from({ length: MILLION_SHARDS }, (_, k) => {
        const alts = generateCrawl({ seed: `bench-1m-${k}`, pages: SHARD_PAGES }, defaultNameLists()).images.slice(0, SHARD_CANDIDATES).map((im) => im.alt.text);
        if (alts.length < SHARD_CANDIDATES) throw new Error(`filter-stages/pipeline-1m-all-cores: crawl ${k} has ${alts.length} images, fewer than ${SHARD_CANDIDATES}`);
        return alts.map((alt, i): Candidate => ({ id: `${k}-${i}`, alt, url: null }));
      });
      const plan = planRun(resolveConfig("cc3m", { stages: ["text", "transform"] }), { captionOnly: true, hasLabels: false, cnnAvailable: false });
      const start = performance.now();
      const funnels = [];
      for (const shard of shards) funnels.push(checkConservation(funnelOf(await runCandidates(shard, plan, { workers }), plan.resolved.stages, plan.skipped)));
      const merged = checkConservation(mergeFunnels(funnels));
      const ms = performance.now() - start;
      if (merged.input !== total) throw new Error(`filter-stages/pipeline-1m-all-cores: the funnel counts ${merged.input} candidates, not ${total}`);
      return { repetitions: 1, medianMs: ms, minMs: ms, items: total };
    },
  };
}

function imageShard(workers: number): Benchmark {
  return {
    name: `filter-stages/image-shard-${workers === 1 ? "1-core" : "all-cores"}`,
    unit: "candidates",
    workload: `image stage (header rules, then NSFW on survivors) on the 150 images of 60 synthetic pages as a shard, ${workers} worker thread(s) (start-up included)`,
    async setup() {
      const crawl = generateCrawl({ seed: "bench", pages: 60 }, defaultNameLists());
      const images = crawl.images.slice(0, 150);
      const files = await Promise.all(images.map((im) => encodeScene(im.scene, im.format, im.quality)));
      const candidates: Candidate[] = images.map((im, i) => ({ id: im.id, alt: im.alt.text, url: im.url, image: files[i] }));
      const plan = planRun(resolveConfig("cc3m", { stages: ["image"] }), { captionOnly: false, hasLabels: false, cnnAvailable: false });
      return async () => (await runCandidates(candidates, plan, { workers })).length;
    },
  };
}

export const filterStages: Benchmark[] = [imageHeader, nsfw, text, grounding, labeler, transform, pipeline(1), pipeline(availableParallelism()), millionCandidates(availableParallelism()), imageShard(1), imageShard(availableParallelism())];
