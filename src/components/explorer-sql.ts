import * as Plot from "@observablehq/plot";
import { recordTable } from "./record-table.js";
import type { ExploreDb } from "../lib/explore/index.js";

export interface SqlConsoleOptions {
  db: ExploreDb;
  width: number;
  /** Query to start with (from the URL). */
  sql: string;
  /** A query that works on the current dataset, shown as the placeholder. */
  example: string;
  /** Called with the query before it runs (the explorer keeps it in the URL). */
  onRun(sql: string): void;
}

export interface SqlConsole {
  element: HTMLElement;
  /** Runs the query in the editor; resolves when its result or error is shown. */
  run(): Promise<void>;
  setExample(example: string): void;
  resize(width: number): void;
}

/** Rows shown in the result table (the count says how many there are). */
export const SHOWN_ROWS = 200;
const CHARTS = ["none", "bars", "line", "dots"] as const;
type ChartKind = (typeof CHARTS)[number];

const number = new Intl.NumberFormat("en-US");
const cell = (v: unknown): string => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

function option(select: HTMLSelectElement, value: string, label = value): void {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  select.appendChild(o);
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const label = document.createElement("label");
  label.append(`${text} `, control);
  return label;
}

/**
 * A SQL editor over the page's DuckDB: the result as a table with an optional chart, and a
 * failing query's DuckDB message shown in place (never thrown). Ctrl/Cmd+Enter runs it.
 */
export function sqlConsole({ db, width, sql, example, onRun }: SqlConsoleOptions): SqlConsole {
  const element = document.createElement("div");
  element.className = "explore-sql";
  const editor = document.createElement("textarea");
  editor.id = "explore-sql-input";
  editor.rows = 4;
  editor.spellcheck = false;
  editor.value = sql;
  editor.placeholder = example;
  editor.setAttribute("aria-label", "SQL query");
  const runButton = document.createElement("button");
  runButton.type = "button";
  runButton.id = "explore-sql-run";
  runButton.textContent = "Run query";
  const hint = document.createElement("span");
  hint.className = "explore-note";
  hint.textContent = " Ctrl+Enter runs it. Empty editor: runs the example.";
  const status = document.createElement("p");
  status.className = "explore-status";
  status.setAttribute("role", "status");
  const output = document.createElement("div");
  output.id = "explore-sql-output";
  const chartControls = document.createElement("div");
  chartControls.className = "explore-sql-chart-controls";
  const kind = document.createElement("select");
  for (const c of CHARTS) option(kind, c);
  const xSelect = document.createElement("select"), ySelect = document.createElement("select");
  chartControls.append(labelled("Chart", kind), " ", labelled("x", xSelect), " ", labelled("y", ySelect));
  chartControls.hidden = true;
  const chartBox = document.createElement("div");
  element.append(editor, runButton, hint, status, chartControls, chartBox, output);

  let rows: Record<string, unknown>[] = [];
  let columns: string[] = [];
  let currentWidth = width;

  const drawChart = () => {
    chartBox.replaceChildren();
    const k = kind.value as ChartKind;
    if (k === "none" || rows.length === 0 || !xSelect.value || !ySelect.value) return;
    const x = xSelect.value, y = ySelect.value;
    const data = rows.slice(0, 5000);
    const mark = k === "bars" ? Plot.barY(data, { x, y, tip: true }) : k === "line" ? Plot.lineY(data, { x, y, tip: true }) : Plot.dot(data, { x, y, tip: true });
    chartBox.appendChild(Plot.plot({ width: currentWidth, height: 260, marginLeft: 56, x: { label: x }, y: { label: y, grid: true }, marks: [mark], ariaLabel: `${k} of ${y} by ${x}` }));
  };
  for (const s of [kind, xSelect, ySelect]) s.addEventListener("change", drawChart);

  const run = async () => {
    const query = editor.value.trim() || example;
    onRun(editor.value.trim());
    status.textContent = "Running…";
    element.setAttribute("aria-busy", "true");
    output.replaceChildren();
    chartBox.replaceChildren();
    const started = performance.now();
    try {
      rows = await db.query(query);
      columns = rows.length ? Object.keys(rows[0]!) : [];
      const ms = Math.round(performance.now() - started);
      status.textContent = `${number.format(rows.length)} row${rows.length === 1 ? "" : "s"} in ${ms} ms${rows.length > SHOWN_ROWS ? `; the first ${SHOWN_ROWS} shown` : ""}.`;
      output.appendChild(recordTable(rows.slice(0, SHOWN_ROWS), { id: "explore-sql-result", columns, format: cell }));
      for (const s of [xSelect, ySelect]) s.replaceChildren();
      for (const c of columns) (option(xSelect, c), option(ySelect, c));
      if (columns.length > 1) ySelect.value = columns[1]!;
      chartControls.hidden = columns.length === 0;
      drawChart();
    } catch (error) {
      rows = [];
      chartControls.hidden = true;
      status.textContent = "The query failed.";
      const message = document.createElement("pre");
      message.className = "explore-error";
      message.id = "explore-sql-error";
      message.setAttribute("role", "alert");
      message.textContent = error instanceof Error ? error.message : String(error);
      output.appendChild(message);
    } finally {
      element.removeAttribute("aria-busy");
    }
  };
  runButton.addEventListener("click", () => void run());
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void run();
    }
  });
  return {
    element,
    run,
    setExample(text) {
      example = text;
      editor.placeholder = text;
    },
    resize(w) {
      currentWidth = w;
      drawChart();
    },
  };
}
