// What the front page's pictures hold (src/lib/report/pictures.ts computes them at build time).
/** How many of each picture the front page shows, and how samples are drawn. */
export const FRONT_PICTURES = {
  prompts: 6, // held-out prompts in the sample grid
  samplesPerPrompt: 4, // samples drawn per prompt; the reranker's best is shown
  scenes: 8, // model-world scenes in the reconstruction strip (the dVAE page's held-out stream, "page")
  captioned: 3, // test images with both captions (one per style where the styles allow)
  seed: 0,
} as const;
