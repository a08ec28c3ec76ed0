import { DVAE_OFFICIAL_CONFIG } from "../reference/index.js";

/** Size of a dVAE; the official DALL-E model is one point in this space (DVAE_CONFIGS.official). */
export interface DvaeConfig {
  /** Groups of residual blocks; every group but the last halves (encoder) or doubles (decoder) the resolution. */
  groupCount: number;
  /** Base width: group g (1-based) has nHid × 2^(g-1) channels in the encoder. */
  nHid: number;
  /** Residual blocks per group. */
  nBlkPerGroup: number;
  /** Codebook size: encoder logit channels and decoder input channels. */
  vocabSize: number;
  /** Width of the decoder's 1×1 stem. */
  nInit: number;
  /** Image channels in (3 for RGB). */
  inputChannels: number;
  /** Image channels out; the decoder emits 2× this (mu and log b of the logit-Laplace). */
  outputChannels: number;
  /** Side of the square input image in pixels; must be divisible by 2^(groupCount-1). */
  inputSize: number;
}

export const DVAE_CONFIGS = {
  /** The released DALL-E dVAE: 256×256 → 32×32 tokens over 8192 codes. */
  official: {
    groupCount: DVAE_OFFICIAL_CONFIG.groupCount.value, // 4
    nHid: DVAE_OFFICIAL_CONFIG.nHid.value, // 256
    nBlkPerGroup: DVAE_OFFICIAL_CONFIG.nBlkPerGroup.value, // 2
    vocabSize: DVAE_OFFICIAL_CONFIG.vocabSize.value, // 8192
    nInit: DVAE_OFFICIAL_CONFIG.nInit.value, // 128
    inputChannels: 3, // RGB
    outputChannels: 3, // RGB
    inputSize: DVAE_OFFICIAL_CONFIG.inputSizePx.value, // 256
  },
  /** What the workbench trains on 2 CPU cores: 64×64 → 16×16 tokens over 512 codes (models/dvae-small). */
  small: {
    groupCount: 3, // one downsampling fewer than the official 4: 8×8 tokens of the model world stay below 24 dB (models/dvae-small/MODEL.md, History)
    nHid: 32, // an eighth of the official width: ~1 s per batch-16 update on one CPU core
    nBlkPerGroup: 1, // one block per group
    vocabSize: 512, // codebook size
    nInit: 32, // decoder stem width
    inputChannels: 3, // RGB
    outputChannels: 3, // RGB
    inputSize: 64, // 64×64 input → 8×8 token grid
  },
} as const satisfies Record<string, DvaeConfig>;

export type DvaeConfigName = keyof typeof DVAE_CONFIGS;

const LIMITS: Record<keyof DvaeConfig, [number, number]> = {
  groupCount: [1, 8],
  nHid: [4, 4096],
  nBlkPerGroup: [1, 64],
  vocabSize: [2, 65536],
  nInit: [1, 8192],
  inputChannels: [1, 4],
  outputChannels: [1, 4],
  inputSize: [1, 4096],
};

/** Resolves a preset name or a partial config over a base preset, validating every field with the valid range in the error. */
export function resolveConfig(spec: DvaeConfigName | Partial<DvaeConfig> = "small", base: DvaeConfigName = "small"): DvaeConfig {
  if (typeof spec === "string") {
    if (!(spec in DVAE_CONFIGS)) {
      throw new Error(`unknown dVAE config "${spec}"; valid presets: ${Object.keys(DVAE_CONFIGS).join(", ")}`);
    }
    return { ...DVAE_CONFIGS[spec] };
  }
  const config: DvaeConfig = { ...DVAE_CONFIGS[base], ...spec };
  for (const key of Object.keys(config) as (keyof DvaeConfig)[]) {
    if (!(key in LIMITS)) throw new Error(`unknown dVAE config field "${key}"; valid fields: ${Object.keys(LIMITS).join(", ")}`);
    const [min, max] = LIMITS[key];
    const v = config[key];
    if (!Number.isInteger(v) || v < min || v > max) throw new Error(`dVAE config ${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  if (config.nHid % 4 !== 0) throw new Error(`dVAE config nHid must be divisible by 4 (bottleneck width nHid/4), got ${config.nHid}`);
  const factor = 2 ** (config.groupCount - 1);
  if (config.inputSize % factor !== 0) {
    throw new Error(`dVAE config inputSize ${config.inputSize} must be divisible by 2^(groupCount-1) = ${factor}`);
  }
  return config;
}

/** Side of the token grid: the input side over the encoder's downsampling. */
export const tokenGridSize = (c: DvaeConfig): number => c.inputSize / 2 ** (c.groupCount - 1);
