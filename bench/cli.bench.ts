// Whole-process timings of the `ccw` command: start-up (--version, every command's --help) beside a bare `node`,
// and `ccw eval-captions` on the caption-metrics workload written to COCO files, beside pycocoevalcap's Python
// scorers on the same files when python3 can import them (bench/python/coco_scorers.py).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadCommands } from "../src/cli/main.js";
import { caption, IMAGES, REFERENCES } from "./caption-metrics.bench.js";
import type { Benchmark, SelfTimed } from "./harness.js";

const COMMANDS = await loadCommands();

const CCW = join(import.meta.dirname, "..", "bin", "ccw.js");
const PYTHON_PEER = join(import.meta.dirname, "python", "coco_scorers.py");

/** Runs a process to completion; a failure is the benchmark's error, with what it printed. */
function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf-8", maxBuffer: 64 * 2 ** 20 });
  if (result.error || result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr || String(result.error)}`);
  return result.stdout;
}

/** A benchmark whose item is one whole process: each timed run starts `count` of them in turn. */
function processes(name: string, workload: string, argv: () => [string, string[]][]): Benchmark {
  return {
    name,
    unit: "processes",
    workload,
    async setup() {
      const list = argv();
      return () => {
        for (const [command, args] of list) run(command, args);
        return list.length;
      };
    },
  };
}

export const cliVersion = processes("ccw-version", "`ccw --version` as a whole process (node start, compiled-CLI freshness check, help table)", () =>
  Array.from({ length: 10 }, () => [process.execPath, [CCW, "--version"]]),
);

export const cliHelp = processes(
  "ccw-command-help",
  `\`ccw <command> --help\` as a whole process, once for each of the ${COMMANDS.length} commands`,
  () => COMMANDS.map((c) => [process.execPath, [CCW, c.name, "--help"]]),
);

export const nodeBare = processes("node-bare", "`node -e 0`: the floor every whole-process row above stands on", () =>
  Array.from({ length: 10 }, () => [process.execPath, ["-e", "0"]]),
);

/** The caption-metrics workload as COCO files: results and references, in a fresh temporary folder. */
function cocoFiles(): { results: string; annotations: string } {
  const dir = mkdtempSync(join(tmpdir(), "ccw-bench-coco-"));
  const results = join(dir, "results.json");
  const annotations = join(dir, "captions.json");
  writeFileSync(results, JSON.stringify(Array.from({ length: IMAGES }, (_, i) => ({ image_id: i, caption: caption(i, 0) }))));
  writeFileSync(
    annotations,
    JSON.stringify({
      images: Array.from({ length: IMAGES }, (_, i) => ({ id: i })),
      annotations: Array.from({ length: IMAGES * REFERENCES }, (_, k) => ({ id: k, image_id: Math.floor(k / REFERENCES), caption: caption(Math.floor(k / REFERENCES), (k % REFERENCES) + 1) })),
    }),
  );
  return { results, annotations };
}

const EVAL_WORKLOAD = `${IMAGES.toLocaleString("en-US")} images × ${REFERENCES} references from COCO JSON files: PTB tokenisation, BLEU-1..4, ROUGE-L, CIDEr-D`;

export const evalCaptionsProcess: Benchmark = {
  name: "eval-captions-process",
  unit: "images",
  workload: `\`ccw eval-captions\` as a whole process: ${EVAL_WORKLOAD}`,
  async setup() {
    const files = cocoFiles();
    return () => {
      const out = run(process.execPath, [CCW, "eval-captions", "--results", files.results, "--annotations", files.annotations]);
      if (!/CIDEr-D/.test(out)) throw new Error(`ccw eval-captions printed no CIDEr-D:\n${out}`);
      return IMAGES;
    };
  },
};

/** What python3 has of pycocoevalcap: importable or not, and whether PTBTokenizer's Stanford jar lies next to ptbtokenizer.py. */
type PythonPeer = { importable: false } | { importable: true; jar: boolean };
let pythonPeer: PythonPeer | undefined;
function probePythonPeer(): PythonPeer {
  if (pythonPeer) return pythonPeer;
  const script = "import os, pycocoevalcap.bleu.bleu, pycocoevalcap.rouge.rouge, pycocoevalcap.cider.cider, pycocoevalcap.tokenizer.ptbtokenizer as p; print(os.path.exists(os.path.join(os.path.dirname(os.path.abspath(p.__file__)), p.STANFORD_CORENLP_3_4_1_JAR)))";
  const probe = spawnSync("python3", ["-c", script], { encoding: "utf-8" });
  pythonPeer = probe.error || probe.status !== 0 ? { importable: false } : { importable: true, jar: probe.stdout.trim() === "True" };
  return pythonPeer;
}

/** The metrics both sides print, under ccw's names; the Python peer calls CIDEr-D "CIDEr", as pycocoevalcap does. */
const EVAL_METRICS = ["BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "ROUGE-L", "CIDEr-D"] as const;

/** One untimed run of each side on the same files: where their scores differ by more than 1e-6, or null when they agree. */
export function compareWithCcw(files: { results: string; annotations: string }): string | null {
  const ccw = (JSON.parse(run(process.execPath, [CCW, "eval-captions", "--json", "--results", files.results, "--annotations", files.annotations])) as { metrics: Record<string, number> }).metrics;
  const py = JSON.parse(run("python3", [PYTHON_PEER, files.annotations, files.results]).trim().split("\n").at(-1)!) as Record<string, number>;
  const differences = EVAL_METRICS.flatMap((m) => {
    const p = py[m === "CIDEr-D" ? "CIDEr" : m];
    const c = ccw[m];
    return p !== undefined && c !== undefined && Math.abs(p - c) <= 1e-6 ? [] : [`${m} python ${p} vs ccw ${c}`];
  });
  return differences.length ? differences.join("; ") : null;
}

export const evalCaptionsPython: Benchmark = {
  name: "eval-captions-pycocoevalcap",
  unit: "images",
  // A getter: the tokenizer that runs depends on what this machine's python3 has (probed once, untimed).
  get workload() {
    const peer = probePythonPeer();
    const tokenisation =
      peer.importable && !peer.jar
        ? "PTB tokenisation by a Python stand-in (the Stanford jar is absent)"
        : "PTB tokenisation by PTBTokenizer's Stanford jar under Java";
    return `pycocoevalcap's Bleu, Rouge and Cider scorers, ${tokenisation}, as a whole python3 process: ${EVAL_WORKLOAD}`;
  },
  async selfTimed(): Promise<SelfTimed | { skipped: string }> {
    if (!probePythonPeer().importable) return { skipped: "python3 cannot import pycocoevalcap (pip install pycocoevalcap, and a Java runtime for its tokenizer)" };
    const files = cocoFiles();
    // Untimed sanity run of both sides (also the Python side's warm-up): the scores should be ccw's to 1e-6.
    const differences = compareWithCcw(files);
    process.stdout.write(differences ? `scores differ from ccw eval-captions: ${differences} … ` : "scores equal ccw eval-captions' to 1e-6 … ");
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      run("python3", [PYTHON_PEER, files.annotations, files.results]);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return { repetitions: times.length, medianMs: times[1]!, minMs: times[0]!, items: IMAGES };
  },
};
