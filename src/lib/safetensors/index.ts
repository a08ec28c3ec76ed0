/** The safetensors weight format: validated reading (all float types widened to Float32) and Float32 writing; model configs from metadata or the command line, validated field by field (config.ts). */
export { readSafetensors, writeSafetensors, SafetensorsError, MAX_HEADER_BYTES, DTYPES, type Dtype, type SafeTensor, type SafeTensors } from "./format.js";
export { checkConfigFields, checkConfigObject, parseConfigJson, parseJsonEntry, describeField, ConfigError, type ConfigField, type ConfigSchema } from "./config.js";
