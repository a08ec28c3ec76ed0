// What the report's build-time loaders emit (src/data/reproduce.json.ts, src/data/report-summary.json.ts).
import type { Found } from "./metadata.js";

/** A trained model as the build found it. */
export interface ModelRecord {
  id: string;
  /** The file the record was read from, relative to the repository. */
  path: string;
  /** The package.json script that trains it, and what that script runs. */
  script: { name: string; command: string | null };
  available: boolean;
  /** Why it is not available (the file is missing or unreadable). */
  missing?: string;
  bytes?: number;
  /** First 16 hex digits of the file's SHA-256. */
  sha256?: string;
  seeds: Found[];
  trainSeconds: Found | null;
  /** The recorded configuration, recipe, options and evaluation, long values abridged. */
  metadata: Record<string, unknown>;
}

export interface PackageVersion {
  name: string;
  /** As package.json asks for it. */
  declared: string;
  /** As package-lock.json resolved it; null when the lockfile has no entry. */
  resolved: string | null;
  dev: boolean;
}

export interface ReproduceRecord {
  /** When this record was built (ISO 8601). */
  builtAt: string;
  git: { commit: string | null; modifiedFiles: number | null; error?: string };
  node: { version: string; platform: string; arch: string };
  scripts: { name: string; command: string }[];
  packages: PackageVersion[];
  /** CCW_* environment variables set for the build (they configure the loaders), and the synthetic sample they resolve to. */
  environment: { name: string; value: string }[];
  synthSample: { seed: string; pages: number; world: string };
  /** Every data loader with its first comment line (what it emits). */
  loaders: { file: string; summary: string }[];
  models: ModelRecord[];
  bench: { available: true; date: string; commit: string; machine: string; rows: number } | { available: false; missing: string };
}

/** The transformer's zero-shot composition report, or why there is none. */
export type ZeroShotSummary =
  | { available: true; path: string; report: { judge: string; samples: number; seconds: number; groups: Record<string, GroupScoresLike> } & Record<string, unknown> }
  | { available: false; path: string; missing: string };

/** The per-group scores the front page shows (see src/lib/transformer/zero-shot.ts GroupScores). */
export interface GroupScoresLike {
  prompts: number;
  accuracy: number;
  accuracyReranked: number | null;
  ceilingOriginal: number;
  ceilingReconstruction: number;
}

/** The captioner comparison's overall scores per model (models/captioners-eval.json), or why there is none. */
export type CaptionersSummary =
  | { available: true; path: string; images: number; judge: string; models: Record<string, { good: number; ciderD: number; chairI: number; recall: number }> }
  | { available: false; path: string; missing: string };

export interface ReportSummary {
  /** The sidebar's pages in reading order; exists is false for a listed page whose .md is not there (yet). */
  pages: { name: string; path: string; exists: boolean }[];
  dvae:
    | {
        available: true;
        path: string;
        config: Record<string, number>;
        steps: number | null;
        trainSeconds: number | null;
        /** models/dvae-small/eval.json: held-out scenes, saved (averaged) weights when recorded. */
        heldout: { images: number | null; psnrMean: number; codesUsed: number; usedFraction: number; perplexity: number };
        /** models/dvae-small/eval-judge.json (`npm run eval:dvae`): the judge's recall (p ≥ 0.5) on held-out scenes and on their reconstructions; null when not evaluated. */
        judge: { images: number; recallOriginal: number; recallReconstructed: number; kept: number } | null;
      }
    | { available: false; path: string; missing: string };
  zeroShot: ZeroShotSummary;
  captioners: CaptionersSummary;
}

/** A part of the front page's pictures that could not be computed, and why (the command that makes it). */
export interface Missing {
  available: false;
  missing: string;
}

/** A caption as the front page shows it beside a test image (from models/captioners-eval.json). */
export interface FrontCaption {
  caption: string;
  mentioned: string[]; // object categories the caption names
  hallucinated: string[]; // named but absent
  verdict: string;
}

/** The front page's pictures, computed at build time from the committed models (src/lib/report/pictures.ts); images are PNG data URLs. */
export interface FrontPictures {
  /** The transformer's reranked best sample for each of the zero-shot report's first held-out prompts. */
  samples:
    | { available: true; size: number; samplesPerPrompt: number; reranked: boolean; options: { temperature: number; topK: number; topP: number; seed: number }; cells: { prompt: string; mentioned: string[]; png: string; score: number | null }[] }
    | Missing;
  /** Held-out model-world scenes (the dVAE page's stream) over their dVAE reconstructions. */
  reconstructions: { available: true; size: number; grid: number; vocabSize: number; pairs: { description: string; original: string; reconstruction: string }[] } | Missing;
  /** Test images, one per style where possible, with both captioners' captions. */
  captioned: { available: true; images: { imageId: string; style: string; objects: string[]; png: string; coco: FrontCaption; conceptual: FrontCaption }[] } | Missing;
}
