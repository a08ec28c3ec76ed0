import { DVAE_OFFICIAL_CONFIG } from "../reference/index.js";
import { checkConfigFields, type ConfigField } from "../safetensors/index.js";

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

/** Every field's valid range (the dVAE's config table: errors and `ccw dvae --help` derive from it). */
export const DVAE_CONFIG_FIELDS = {
  groupCount: { kind: "int", min: 1, max: 8 },
  nHid: { kind: "int", min: 4, max: 4096 },
  nBlkPerGroup: { kind: "int", min: 1, max: 64 },
  vocabSize: { kind: "int", min: 2, max: 65536 },
  nInit: { kind: "int", min: 1, max: 8192 },
  inputChannels: { kind: "int", min: 1, max: 4 },
  outputChannels: { kind: "int", min: 1, max: 4 },
  inputSize: { kind: "int", min: 1, max: 1024 },
} as const satisfies Record<keyof DvaeConfig, ConfigField>;

/**
 * Floats in one image's largest feature map (nHid channels at inputSize², the encoder's first and the decoder's
 * last group): at most the official model's own, 256 × 256², so a config from a file cannot ask for gigabytes.
 */
export const MAX_FEATURE_MAP_FLOATS = 2 ** 24;

/**
 * Resolves a preset name or a partial config over a base preset, validating every field with the valid range in the
 * error. A partial config may come from a file or the command line: anything but a plain object of known fields is refused.
 */
export function resolveConfig(spec: DvaeConfigName | Partial<DvaeConfig> = "small", base: DvaeConfigName = "small"): DvaeConfig {
  if (typeof spec === "string") {
    if (!Object.hasOwn(DVAE_CONFIGS, spec)) {
      throw new Error(`unknown dVAE config "${spec}"; valid presets: ${Object.keys(DVAE_CONFIGS).join(", ")}`);
    }
    return { ...DVAE_CONFIGS[spec] };
  }
  const partial = checkConfigFields<Partial<DvaeConfig>>("dVAE config", spec, DVAE_CONFIG_FIELDS, { partial: true });
  const config = checkConfigFields<DvaeConfig>("dVAE config", { ...DVAE_CONFIGS[base], ...partial }, DVAE_CONFIG_FIELDS);
  if (config.nHid % 4 !== 0) throw new Error(`dVAE config nHid must be divisible by 4 (bottleneck width nHid/4), got ${config.nHid}`);
  const factor = 2 ** (config.groupCount - 1);
  if (config.inputSize % factor !== 0) {
    throw new Error(`dVAE config inputSize ${config.inputSize} must be divisible by 2^(groupCount-1) = ${factor}`);
  }
  if (config.nHid * config.inputSize ** 2 > MAX_FEATURE_MAP_FLOATS) {
    const side = Math.floor(Math.sqrt(MAX_FEATURE_MAP_FLOATS / config.nHid));
    throw new Error(`dVAE config inputSize ${config.inputSize} with nHid ${config.nHid} needs feature maps of ${config.nHid} × ${config.inputSize}² floats, over the limit of ${MAX_FEATURE_MAP_FLOATS} (the official model's 256 × 256²); with nHid ${config.nHid}, inputSize can be at most ${side}`);
  }
  return config;
}

/** Side of the token grid: the input side over the encoder's downsampling. */
export const tokenGridSize = (c: DvaeConfig): number => c.inputSize / 2 ** (c.groupCount - 1);
