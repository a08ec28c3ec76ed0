/** The safetensors weight format: validated reading (all float types widened to Float32) and Float32 writing. */
export { readSafetensors, writeSafetensors, SafetensorsError, MAX_HEADER_BYTES, DTYPES, type Dtype, type SafeTensor, type SafeTensors } from "./format.js";
