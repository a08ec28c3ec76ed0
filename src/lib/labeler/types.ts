/**
 * The Labeler interface of the grounding stage: something that names what an image shows. Three
 * implementations: labels supplied in the input (`input`), labels read from a CC image-labels TSV
 * (`tsv`), and the project's small multi-label classifier trained on the synthetic world
 * (`synth-cnn`, Node, TF.js). Every grounding decision records which one produced its labels.
 */

export const LABELER_NAMES = ["input", "tsv", "synth-cnn"] as const;
export type LabelerName = (typeof LABELER_NAMES)[number];

export interface Label {
  name: string;
  /** In [0, 1]; 1 when the source gives none. */
  confidence: number;
}

/** What a labeler may look at. */
export interface LabelerInput {
  id: string;
  url: string | null;
  /** Encoded image bytes, null/undefined when there are none. */
  image?: Uint8Array | null;
  /** Labels that came with the input, tagged with where they came from. */
  labels?: SuppliedLabels | null;
}

export interface SuppliedLabels {
  source: "input" | "tsv";
  labels: Label[];
}

export interface Labeler {
  readonly name: LabelerName;
  /** Labels for the candidate, or null when this labeler cannot label it (no image, no entry). */
  label(input: LabelerInput): Promise<Label[] | null>;
  dispose?(): void;
}
