/**
 * Browser door of src/lib/filter: the text stage, the transform and their per-rule verdicts, with
 * the lexicon unpacked from a loader's JSON (lexicon-pack.ts), the presets and the reasons. The
 * main door (index.ts) also exports the pipeline, whose labelers pull in TF.js; a page that only
 * judges alt-texts imports this one.
 */
import "./nlp.js"; // plugs the stages' NLP packages in (nlp-packages.ts)
export { checkAltText, explainText, explainTransform, formatValue, type AltTextCheck, type RuleVerdict } from "./explain.js";
export { packLexicon, unpackLexicon, LexiconPackError, LEXICON_PACK_FORMAT, type LexiconPack } from "./lexicon-pack.js";
export { PRESET_NAMES, resolveConfig, type PresetName, type ResolvedConfig } from "./presets.js";
export { REASON_INFO, type Reason, type Status } from "./reasons.js";
export { textFeatures, textDecision, TEXT_RULES, type TextFeatures } from "./text.js";
export { transformCaption, transformDecision, TRANSFORM_RULES, type TransformFeatures } from "./transform.js";
export type { Lexicon } from "./lexicon.js";
