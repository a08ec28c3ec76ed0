/**
 * The README's preset and option tables, generated from the declarations (rules/) and the presets:
 * one row per option with its doc and each preset's value (¹: a paper's; off: null; —: the preset
 * does not configure the stage). test/lib/filter/option-table.test.ts keeps the README equal to it.
 */
import type { Reference } from "../reference/index.js";
import { PRESETS, PRESET_NAMES } from "./presets.js";
import { DECLARATION, STAGES, configuredStages, optionDecls } from "./rules/index.js";

const isReference = (v: unknown): v is Reference<unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && "source" in v && "value" in v;

function shown(value: unknown): string {
  if (isReference(value)) return `${shown(value.value)}¹`;
  if (value === null) return "off";
  if (Array.isArray(value)) return value.join(",");
  return String(value);
}

const cell = (text: string): string => text.replace(/\|/g, "\\|");

/** The markdown tables: presets with their stages, then every option with each preset's value. */
export function optionTable(): string {
  const presets = ["| preset | stages |", "|---|---|", ...PRESET_NAMES.map((p) => `| \`${p}\` | ${PRESETS[p].stages.join(", ")} |`)];
  const head = [`| option | what it does | ${PRESET_NAMES.join(" | ")} |`, `|---|---|${PRESET_NAMES.map(() => "---|").join("")}`];
  const rows = STAGES.flatMap((stage) =>
    optionDecls(stage).map(([key, decl]) => {
      const values = PRESET_NAMES.map((p) => {
        if (!configuredStages(PRESETS[p].stages).includes(stage)) return "—";
        const spec = (PRESETS[p].spec as unknown as Record<string, Record<string, unknown> | undefined>)[stage];
        return shown(spec && key in spec ? spec[key] : decl.default);
      });
      return `| \`${stage}.${key}\` | ${cell(decl.doc)} | ${values.join(" | ")} |`;
    }),
  );
  const optIn = STAGES.filter((s) => DECLARATION[s].optIn);
  const note = optIn.length ? [`\nOpt-in stages (${optIn.join(", ")}) run only where a preset or \`--stages\` lists them; — marks a preset without the stage.`] : [];
  return [...presets, "", ...head, ...rows, ...note].join("\n");
}
