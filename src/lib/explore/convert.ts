/** Source rows → explore fields, one function per source (pure: loaders and tests call them). */
import type { ExploreFields } from "./schema.js";

/** A candidate of the synthetic crawl (synth's CandidateRow, the fields used here). */
export interface SynthCandidate {
  candidate_id: string;
  image_id: string;
  image_url: string;
  alt_text: string;
  noise_class: string;
  style: string;
  categories: string;
}

/** The alt-text is the caption; an img without alt becomes an empty caption (noise class "empty"), not a dropped row. */
export function fromSynthCandidates(rows: Iterable<SynthCandidate>): ExploreFields[] {
  return Array.from(rows, (r) => ({
    id: r.candidate_id,
    caption: r.alt_text,
    url: r.image_url,
    noise_class: r.noise_class,
    style: r.style,
    categories: r.categories ? r.categories.split(",") : [],
    image: r.image_id,
  }));
}

/** A caption/URL pair from a Conceptual Captions TSV (sources' CaptionRow). */
export function fromCaptionPairs(rows: Iterable<{ line: number; caption: string; url: string }>): ExploreFields[] {
  return Array.from(rows, (r) => ({ id: String(r.line), caption: r.caption, url: r.url }));
}

/**
 * COCO reference captions (sources' CocoCaptionRow), with each image's object categories when an
 * instances file was read (`objects`: category names by image id); without one, categories are unknown (null).
 */
export function fromCocoCaptions(
  rows: Iterable<{ id: number | null; image_id: number; caption: string; file_name: string | null }>,
  objects?: ReadonlyMap<number, readonly string[]>,
): ExploreFields[] {
  return Array.from(rows, (r, i) => ({
    id: r.id === null ? `#${i}` : String(r.id),
    caption: r.caption,
    categories: objects ? (objects.get(r.image_id) ?? []) : null,
    image: r.file_name,
  }));
}
