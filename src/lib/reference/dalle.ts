import { PAPERS, ref, type Reference } from "./source.js";

const PAPER = PAPERS.dalle;
const CODE = PAPERS.dalleCode;

/** The official dVAE configuration (public code defaults). */
export const DVAE_OFFICIAL_CONFIG = {
  groupCount: ref(4, "groups", CODE, "encoder.py / decoder.py defaults"),
  nHid: ref(256, "channels", CODE, "encoder.py / decoder.py defaults"),
  nBlkPerGroup: ref(2, "blocks per group", CODE, "encoder.py / decoder.py defaults"),
  vocabSize: ref(8192, "codes", CODE, "encoder.py / decoder.py defaults"),
  nInit: ref(128, "channels", CODE, "decoder.py defaults"),
  inputSizePx: ref(256, "px", PAPER, "§2.1 stage one (256×256 → 32×32 tokens)"),
  tokenGrid: ref(32, "tokens per side", PAPER, "§2.1 stage one"),
  logitLaplaceEps: ref(0.1, "eps", CODE, "utils.py map_pixels"),
} as const;

export const DVAE_PARAMS = {
  encoder: ref(53.8e6, "parameters", CODE, "official encoder.pkl", { approximate: true }),
  decoder: ref(43.8e6, "parameters", CODE, "official decoder.pkl", { approximate: true }),
} as const;

/** The dVAE training recipe from the paper's appendix. */
export const DVAE_TRAINING = {
  klWeightFinal: ref(6.6, "beta", PAPER, "appendix, dVAE training (cosine 0 → 6.6)"),
  klWarmupUpdates: ref(5000, "updates", PAPER, "appendix, dVAE training"),
  temperatureStart: ref(1, "tau", PAPER, "appendix, dVAE training"),
  temperatureEnd: ref(1 / 16, "tau", PAPER, "appendix, dVAE training (cosine; a linear schedule diverged)"),
  temperatureUpdates: ref(150_000, "updates", PAPER, "appendix, dVAE training"),
  learningRateStart: ref(1e-4, "lr", PAPER, "appendix, dVAE training"),
  learningRateEnd: ref(1.25e-6, "lr", PAPER, "appendix, dVAE training"),
  adamBetas: ref([0.9, 0.999] as const, "beta1, beta2", PAPER, "appendix, dVAE training (AdamW)"),
  adamEps: ref(1e-8, "eps", PAPER, "appendix, dVAE training (AdamW)"),
  weightDecay: ref(1e-4, "decay", PAPER, "appendix, dVAE training (AdamW)"),
  emaDecay: ref(0.999, "decay", PAPER, "appendix, dVAE training"),
} as const;

export const DVAE_RECONSTRUCTION_PSNR: Reference = ref(27.3, "dB", CODE, "official dVAE on 256px images", {
  approximate: true,
  note: "reported for the released model; our small dVAE is trained on a far smaller world",
});

export const TRANSFORMER = {
  textTokens: ref(256, "BPE tokens", PAPER, "§2.2 stage two"),
  textVocab: ref(16_384, "BPE types", PAPER, "§2.2 stage two"),
  imageTokens: ref(1024, "tokens (32×32)", PAPER, "§2.2 stage two"),
  textLossWeight: ref(1 / 8, "weight", PAPER, "§2.2 stage two"),
  imageLossWeight: ref(7 / 8, "weight", PAPER, "§2.2 stage two"),
  convMaskSize: ref(11, "tokens per side (last layer)", PAPER, "appendix, sparse attention masks"),
  rerankingGainsFlattenAt: ref(32, "samples", PAPER, "§2.6, sample generation (reranking with CLIP)", { approximate: true }),
} as const;

export const HUMAN_PREFERENCE_VS_DFGAN = {
  realism: ref(0.9, "fraction of comparisons", PAPER, "§3.1 human evaluation (best of five votes)"),
  captionMatch: ref(0.933, "fraction of comparisons", PAPER, "§3.1 human evaluation (best of five votes)"),
} as const;

/** The public "rainbow" toy (lucidrains DALLE-pytorch): the number to beat for zero-shot composition. */
export const RAINBOW_TOY = {
  trainAccuracy: ref(1.0, "accuracy", "lucidrains DALLE-pytorch (rainbow example)", "reported result"),
  unseenAccuracy: ref(0.49, "accuracy", "lucidrains DALLE-pytorch (rainbow example)", "reported result", {
    note: "trained on 30% of caption combinations, scored on unseen ones",
  }),
} as const;
