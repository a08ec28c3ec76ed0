import { PAPERS, ref } from "./source.js";

/** Other public filtering recipes, offered as presets beside CC3M and CC12M. */
export const DATACOMP_BASIC = {
  minWords: ref(3, "words (more than 2)", PAPERS.datacomp, "basic filtering baseline"),
  minChars: ref(6, "characters (more than 5)", PAPERS.datacomp, "basic filtering baseline"),
  minSidePx: ref(200, "px (inclusive)", PAPERS.datacomp, "basic filtering baseline"),
  maxAspectRatio: ref(3, "max(w,h)/min(w,h)", PAPERS.datacomp, "basic filtering baseline"),
} as const;

export const COYO = {
  minFileBytes: ref(5 * 1024, "bytes", PAPERS.coyo, "image-level filtering"),
  maxAspectRatio: ref(3, "max(w,h)/min(w,h)", PAPERS.coyo, "image-level filtering"),
  minSidePx: ref(200, "px (inclusive)", PAPERS.coyo, "image-level filtering"),
  maxNsfwScore: ref(0.5, "score", PAPERS.coyo, "image-level filtering"),
  minWords: ref(3, "words", PAPERS.coyo, "text-level filtering"),
  maxWords: ref(256, "words", PAPERS.coyo, "text-level filtering"),
  maxChars: ref(1000, "characters", PAPERS.coyo, "text-level filtering"),
  maxTextRepeats: ref(10, "images sharing one text", PAPERS.coyo, "text-level filtering"),
} as const;

export const ALIGN = {
  minShortSidePx: ref(200, "px (exclusive)", PAPERS.align, "§3, dataset filtering"),
  maxAspectRatio: ref(3, "max(w,h)/min(w,h) (exclusive)", PAPERS.align, "§3, dataset filtering"),
  maxAltTextsPerImage: ref(1000, "alt-texts", PAPERS.align, "§3, dataset filtering"),
  maxImagesPerAltText: ref(10, "images", PAPERS.align, "§3, dataset filtering"),
  minUnigrams: ref(3, "unigrams", PAPERS.align, "§3, dataset filtering"),
  maxUnigrams: ref(20, "unigrams", PAPERS.align, "§3, dataset filtering"),
} as const;

export const LAION = {
  minAltTextChars: ref(5, "characters", PAPERS.laion, "dataset filtering"),
  minImageBytes: ref(5 * 1024, "bytes", PAPERS.laion, "dataset filtering"),
} as const;

/** img2dataset, the standard downloader: scale anchors for our own downloader benchmark. */
export const IMG2DATASET = {
  imagesPerSecond16Core: ref(1350, "images/s", PAPERS.img2dataset, "README, CC3M download on one 16-core machine", { approximate: true }),
  cc3mUrlsStillResolving: ref(0.7, "fraction of URLs", PAPERS.img2dataset, "README, CC3M download", { approximate: true }),
} as const;
