// What `ccw eval-captions` runs (flags and help: eval-captions.ts).
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { evaluateCaptions, type Evaluation } from "../lib/metrics/index.js";
// The light door (COCO JSON readers only): the sources index loads the WARC/HTML readers, ~150 ms of start-up.
import {
  captionsByImage, countCocoErrors, joinCocoResults, objectsByImage, parseCocoJson, readCocoCaptions, readCocoInstances, readCocoResults,
  type CocoError,
} from "../lib/sources/browser.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { readFlags } from "./flags.js";
import { FLAGS } from "./eval-captions.js";


/** Errors printed to stderr before "… and N more" (all are counted, and all are in --json). */
const SHOWN_ERRORS = 5;

/** Reads and parses one JSON file; a missing file or non-JSON text is the user's error (exit 2), naming the file. */
async function readJsonFile(path: string, option: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf-8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`ccw eval-captions: cannot read --${option} ${path} (${code ?? String(error)}); expected ${what}`);
  }
  const { json, error } = parseCocoJson(text);
  if (error) throw new UsageError(`ccw eval-captions: --${option} ${path} is ${error.message}; expected ${what}`);
  return json;
}

/** A document of the wrong shape cannot be evaluated at all: exit 2 with the reader's message. */
function requireUsable(read: { usable: boolean; errors: CocoError[] }, option: string, path: string): void {
  if (!read.usable) throw new UsageError(`ccw eval-captions: --${option} ${path}: ${read.errors.map((e) => e.message).join("; ")}`);
}

const fmt = (x: number) => (Number.isNaN(x) ? "n/a" : x.toFixed(4));

function table(evaluation: Evaluation): string[] {
  const { corpus } = evaluation;
  const rows: [string, string, string][] = [
    ...corpus.bleu.map((b, k): [string, string, string] => [`BLEU-${k + 1}`, fmt(b), ""]),
    ["ROUGE-L", fmt(corpus.rougeL), ""],
    ["CIDEr-D", fmt(corpus.ciderD), ""],
  ];
  if (corpus.chair) {
    const c = corpus.chair;
    const hallucinatedCaptions = evaluation.perImage.filter((i) => (i.chair?.hallucinated.length ?? 0) > 0).length;
    rows.push(
      ["CHAIR-i", fmt(c.chairI), `${c.hallucinatedMentions} of ${c.mentions} object mentions hallucinated`],
      ["CHAIR-s", fmt(c.chairS), `${hallucinatedCaptions} of ${corpus.images} captions with a hallucinated object`],
      ["recall", fmt(c.recall), "annotated categories the captions name"],
    );
  }
  const s = corpus.bleuStats;
  return [
    `${"metric".padEnd(8)} ${"score".padStart(6)}`,
    ...rows.map(([name, value, note]) => `${name.padEnd(8)} ${value.padStart(6)}${note ? `   ${note}` : ""}`),
    `(BLEU: testlen ${s.testlen}, reflen ${s.reflen}, guess [${s.guess.join(", ")}], correct [${s.correct.join(", ")}])`,
  ];
}

function jsonReport(evaluation: Evaluation, extra: Record<string, unknown>): string {
  const { corpus } = evaluation;
  const metrics: Record<string, number> = {};
  corpus.bleu.forEach((b, k) => (metrics[`BLEU-${k + 1}`] = b));
  metrics["ROUGE-L"] = corpus.rougeL;
  metrics["CIDEr-D"] = corpus.ciderD;
  if (corpus.chair) {
    metrics["CHAIR-i"] = corpus.chair.chairI;
    metrics["CHAIR-s"] = corpus.chair.chairS;
    metrics["object-recall"] = corpus.chair.recall;
  }
  const perImage = evaluation.perImage.map((i) => ({
    imageId: i.imageId,
    caption: i.caption,
    tokens: i.tokens.join(" "),
    bleu: i.bleu,
    rougeL: i.rougeL,
    ciderD: i.ciderD,
    ...(i.chair
      ? {
          objects: i.chair.mentions.map(({ word, category }) => ({ word, category })),
          hallucinated: i.chair.hallucinated.map(({ word, category }) => ({ word, category })),
          objectRecall: i.chair.recall,
        }
      : {}),
  }));
  return JSON.stringify({ images: corpus.images, metrics, bleuStats: corpus.bleuStats, ...(corpus.chair ? { chair: { mentions: corpus.chair.mentions, hallucinatedMentions: corpus.chair.hallucinatedMentions } } : {}), ...extra, perImage }, null, 2);
}

function reportErrors(io: CommandIO, label: string, errors: readonly CocoError[]): void {
  for (const e of errors.slice(0, SHOWN_ERRORS)) io.err(`${label}: ${e.kind}: ${e.message}`);
  if (errors.length > SHOWN_ERRORS) io.err(`${label}: … and ${errors.length - SHOWN_ERRORS} more (all listed with --json)`);
}

/** `ccw evalCaptions`: what evalCaptionsCommand runs once its arguments have parsed. */
export async function run({ values }: CommandArgs, io: CommandIO): Promise<number> {
  const start = performance.now();
  const flags = readFlags("eval-captions", FLAGS, values);
  const { results: resultsPath, annotations: annotationsPath, instances: instancesPath, "chair-truth": chairTruth } = flags;
  if (!resultsPath || !annotationsPath) {
    const missing = [!resultsPath && "--results", !annotationsPath && "--annotations"].filter(Boolean).join(" and ");
    throw new UsageError(`ccw eval-captions: ${missing} ${missing.includes(" and ") ? "are" : "is"} required. See \`ccw eval-captions --help\`.`);
  }
  if (values["chair-truth"] !== undefined && !instancesPath) throw new UsageError("ccw eval-captions: --chair-truth needs --instances (CHAIR needs annotated objects)");

  const results = readCocoResults(await readJsonFile(resultsPath, "results", 'a JSON array of {"image_id", "caption"}'));
  requireUsable(results, "results", resultsPath);
  const annotations = readCocoCaptions(await readJsonFile(annotationsPath, "annotations", 'a COCO captions JSON object with an "annotations" array'));
  requireUsable(annotations, "annotations", annotationsPath);
  const instances = instancesPath
    ? readCocoInstances(await readJsonFile(instancesPath, "instances", 'a COCO instances JSON object with "categories" and "annotations" arrays'))
    : undefined;
  if (instances && instancesPath) requireUsable(instances, "instances", instancesPath);

  const join = joinCocoResults(results.results, captionsByImage(annotations.captions), instances ? objectsByImage(instances) : undefined);
  const labelled = [
    ...results.errors.map((e) => ({ file: "results", ...e })),
    ...join.errors.map((e) => ({ file: "results", ...e })),
    ...annotations.errors.map((e) => ({ file: "annotations", ...e })),
    ...(instances?.errors ?? []).map((e) => ({ file: "instances", ...e })),
  ];
  if (!flags.json) {
    reportErrors(io, `results ${resultsPath}`, [...results.errors, ...join.errors]);
    reportErrors(io, `annotations ${annotationsPath}`, annotations.errors);
    if (instances) reportErrors(io, `instances ${instancesPath}`, instances.errors);
  }
  if (join.records.length === 0) {
    io.err(`ccw eval-captions: nothing to evaluate: none of the ${results.results.length} results has reference captions in ${annotationsPath} (${results.errors.length + join.errors.length} result errors)`);
    return 1;
  }

  const evaluation = evaluateCaptions(join.records, {
    chairReferenceObjects: chairTruth === "instances+captions",
    specificity: flags.specificity,
    ...(flags.specificity ? { wordnet: await (await import("../lib/metrics/node.js")).loadWordNet() } : {}),
  });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  const counts = {
    results: countCocoErrors([...results.errors, ...join.errors]),
    annotations: countCocoErrors(annotations.errors),
    ...(instances ? { instances: countCocoErrors(instances.errors) } : {}),
  };
  if (flags.json) {
    const spec = evaluation.corpus.specificity ? { specificity: evaluation.corpus.specificity } : {};
    io.out(jsonReport(evaluation, { ...(instances ? { chairTruth } : {}), ...spec, imagesWithoutResult: join.imagesWithoutResult, errorCounts: counts, errors: labelled }));
    return 0;
  }
  io.out(`eval-captions: ${join.records.length} images with a result, ${annotations.captions.length} reference captions${instances ? `, ${instances.objects.length} annotated objects (CHAIR truth: ${chairTruth})` : ""}`);
  io.out("");
  for (const line of table(evaluation)) io.out(line);
  const s = evaluation.corpus.specificity;
  if (s) {
    io.out(`specificity: vocabulary ${s.vocabularySize}, distinct-1..4 ${s.distinct.map(fmt).join(" ")}, mean noun depth ${fmt(s.meanNounDepth)} over ${s.nounCount} nouns, mean length ${s.meanLength.toFixed(2)}`);
  }
  const errorTotal = labelled.length;
  io.out("");
  io.out(
    `Summary: ${join.records.length} images evaluated in ${seconds} s; ${errorTotal} malformed or unmatched entr${errorTotal === 1 ? "y" : "ies"} skipped ` +
      `(results ${results.errors.length + join.errors.length}, annotations ${annotations.errors.length}${instances ? `, instances ${instances.errors.length}` : ""}); ` +
      `${join.imagesWithoutResult} annotated images have no result and were not evaluated.`,
  );
  return 0;
}
