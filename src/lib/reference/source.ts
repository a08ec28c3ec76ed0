/** Where a typed-in paper figure comes from. Pages show it beside the value. */
export interface Source {
  /** Short citation, e.g. "Sharma et al. 2018 (ACL), Conceptual Captions". */
  paper: string;
  /** Section, table or figure in that paper, or the public release it comes from. */
  where: string;
}

/** A published number the workbench may show, always labelled "paper reference". */
export interface Reference<T = number> {
  value: T;
  /** Unit or meaning of the value ("fraction", "pairs", "dB", ...). */
  unit: string;
  /** True when the paper states it loosely ("about", "more than"). */
  approximate: boolean;
  source: Source;
  /** One line of context a reader needs to interpret the value. */
  note?: string;
}

export const PAPERS = {
  conceptualCaptions: "Sharma et al. 2018, Conceptual Captions (ACL 2018)",
  cc12m: "Changpinyo et al. 2021, Conceptual 12M (CVPR 2021)",
  dalle: "Ramesh et al. 2021, Zero-Shot Text-to-Image Generation (arXiv 2102.12092)",
  dalleCode: "openai/DALL-E public repository (dall_e/encoder.py, decoder.py, utils.py)",
  datacomp: "Gadre et al. 2023, DataComp (NeurIPS 2023 Datasets and Benchmarks)",
  coyo: "Byeon et al. 2022, COYO-700M (public dataset README)",
  align: "Jia et al. 2021, ALIGN (ICML 2021)",
  laion: "Schuhmann et al. 2022, LAION-5B (NeurIPS 2022 Datasets and Benchmarks)",
  chair: "Rohrbach et al. 2018, Object Hallucination in Image Captioning (EMNLP 2018)",
  cocoCaption: "Chen et al. 2015, Microsoft COCO Captions (coco-caption toolkit)",
  img2dataset: "img2dataset (public README)",
} as const;

/** Builds a Reference; keeps the call sites one line each. */
export function ref<T>(
  value: T,
  unit: string,
  paper: string,
  where: string,
  opts: { approximate?: boolean; note?: string } = {},
): Reference<T> {
  return {
    value,
    unit,
    approximate: opts.approximate ?? false,
    source: { paper, where },
    ...(opts.note === undefined ? {} : { note: opts.note }),
  };
}
