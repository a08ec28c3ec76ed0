/**
 * Image labelers for the grounding stage: the Labeler interface, labels supplied in the input or
 * from a CC image-labels TSV. The synthetic-world classifier (TF.js) is Node-only: ./node.ts.
 */
export { LABELER_NAMES, type LabelerName, type Label, type Labeler, type LabelerInput, type SuppliedLabels } from "./types.js";
export { inputLabeler, tsvLabeler, labelsByUrl, firstLabels } from "./supplied.js";
