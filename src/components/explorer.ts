/**
 * The dataset explorer: picks a dataset, loads it into the page's DuckDB, and keeps search,
 * facets, histograms, the sample grid, word lists, the SQL console and exports in step with one
 * state that lives in the URL. All logic it runs is src/lib/explore; this file wires views.
 */
import {
  DATASETS, DEFAULT_STATE, adaptFilterOutput, FACETS, GENERATED_SIZES, PUBLIC_COLUMNS, RANGES, SUMMARY_KEY,
  countQuery, datasetInfo, decodeState, describeSummary, dropTable, linkQuery, MAX_LINK_CHARS, facetQuery, facetValues, generateTable,
  histogramBins, histogramQuery, loadTable, markPredicates, markSql, normalizeState, pageIdsQuery, pageRowsQuery, selectionQuery, toCsv, whereClause,
  wordBasis, wordLists, wordStatsQuery, compareTermCounts,
  type DatasetInfo, type DatasetStatus, type ExploreState, type FacetResult, type HistogramBin, type LoadSummary, type Range,
  type MarkColumn, type TableFacts, type WordLists, type WordBasis,
} from "../lib/explore/index.js";
import type { EmojiSheet } from "../lib/synth/index.js";
import { frameworkDb, lockExternalAccess, type ArrowTableLike, type ExplorerDb, type FrameworkDuckDBClient } from "./explorer-db.js";
import { facetList, rangeFacet } from "./explorer-facets.js";
import { sampleGrid, type GridRow } from "./explorer-grid.js";
import { sqlConsole } from "./explorer-sql.js";
import { termChart } from "./explorer-words.js";
import { downloadBlob } from "./download.js";

/** A Framework FileAttachment, as far as the explorer uses one. */
export interface FileLike {
  name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
}

/** The page's apache-arrow (the instance DuckDB-WASM shares), for metadata and Arrow export. */
export interface ArrowModule {
  tableFromIPC(bytes: Uint8Array): { schema: { metadata: Map<string, string> } };
  tableToIPC(table: ArrowTableLike, type: "file" | "stream"): Uint8Array;
}

export interface ExplorerOptions {
  /** Initial width; the explorer follows its container's width afterwards. */
  width?: number;
  /** Explore table files by dataset id (DATASETS); a dataset without a file (and not generated) is not offered. */
  files: Readonly<Record<string, FileLike>>;
  /** explore-datasets.json: which file-backed datasets are configured. */
  manifest: Readonly<Record<string, DatasetStatus>>;
  stopWords: readonly string[];
  /** explore-synth-scenes.arrow, synth-emoji.json, explore-coco-thumbs.json. */
  scenes: FileLike;
  emoji: FileLike;
  thumbnails: FileLike;
  arrow: ArrowModule;
}

const PAGE_SIZE = 24;
/** The filter pipeline's full output, kept as a table of its own for the SQL console. */
const FILTER_SOURCE_TABLE = "filter_candidates";
const TOP_TERMS = 20;
/** Updates faster than this show no loading indicator. */
const INDICATOR_DELAY_MS = 200;
/** Word lists wait for a pause in clicking, so rapid facet changes do not queue them in DuckDB's worker. */
const WORDS_DELAY_MS = 120;
const number = new Intl.NumberFormat("en-US");

/** Tables loaded per DuckDB client, so a re-created explorer (e.g. after a resize) does not load them again. */
const loadedTables = new WeakMap<object, Map<string, Promise<TableFacts>>>();
const locked = new WeakMap<object, Promise<void>>();
const scenesLoaded = new WeakMap<object, Promise<void>>();
/** Per client and table: the conditions the table's mark columns hold (markSql). */
const tableMarks = new WeakMap<object, Map<string, Map<MarkColumn, string>>>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: { id?: string; className?: string; text?: string } = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (attrs.id) e.id = attrs.id;
  if (attrs.className) e.className = attrs.className;
  if (attrs.text !== undefined) e.textContent = attrs.text;
  return e;
}

function section(title: string, id: string): HTMLElement {
  const s = el("section", { id, className: "explore-section" });
  s.appendChild(el("h2", { text: title }));
  return s;
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const label = el("label");
  label.append(`${text} `, control);
  return label;
}

function button(text: string, id: string, onClick: () => void): HTMLButtonElement {
  const b = el("button", { id, text });
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

const STYLE = `
.explorer { --gap: 1rem; }
.explorer .explore-section { margin-top: 1.5rem; }
.explorer .explore-toolbar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
.explorer .explore-filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 220px), 1fr)); gap: var(--gap); align-items: start; }
.explorer .explore-ranges { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); gap: var(--gap); }
.explorer fieldset.explore-facet { border: 1px solid var(--theme-foreground-faintest); margin: 0; padding: 0.25rem 0.75rem 0.5rem; min-width: 0; }
.explorer fieldset.explore-facet ul { list-style: none; padding: 0; margin: 0; font-size: 13px; }
.explorer .explore-facet-value { overflow-wrap: anywhere; }
.explorer .explore-facet-count { color: var(--theme-foreground-muted); font-variant-numeric: tabular-nums; }
.explorer .explore-note { color: var(--theme-foreground-muted); font-size: 12px; margin: 0.25rem 0; }
.explorer .explore-status { min-height: 1.4em; margin: 0.25rem 0; }
.explorer .explore-error { color: var(--theme-red, #c33); white-space: pre-wrap; overflow-wrap: anywhere; }
.explorer .explore-grid { display: grid; gap: 12px; }
.explorer .explore-card { margin: 0; font-size: 13px; min-width: 0; }
.explorer .explore-thumb { display: block; max-width: 100%; max-height: 180px; width: auto; height: auto; object-fit: contain; border: 1px solid var(--theme-foreground-faintest); }
.explorer .explore-thumb-empty { display: flex; align-items: center; padding: 6px; font-size: 11px; color: var(--theme-foreground-muted); overflow: hidden; }
.explorer .explore-caption { margin: 4px 0; overflow-wrap: anywhere; }
.explorer .explore-meta { margin: 0; font-size: 11px; color: var(--theme-foreground-muted); overflow-wrap: anywhere; }
.explorer .explore-words { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); gap: var(--gap); }
.explorer .explore-terms { margin: 0; }
.explorer textarea { width: 100%; font-family: var(--monospace, monospace); font-size: 13px; }
.explorer input[type=search] { min-width: min(100%, 18rem); }
.explorer select, .explorer input, .explorer .explore-toolbar label { max-width: 100%; }
.explorer input[type=number] { width: 5.5em; }
.explorer .explore-sql table { font-size: 12px; }
.explorer .explore-sql { overflow-x: auto; }
`;

function ensureStyle(): void {
  if (document.getElementById("explorer-style")) return;
  const style = el("style", { id: "explorer-style", text: STYLE });
  document.head.appendChild(style);
}

/** The explorer over Framework's DuckDB client; everything it shows comes from queries on that database. */
export function explorer(client: FrameworkDuckDBClient, options: ExplorerOptions): HTMLElement {
  ensureStyle();
  const db: ExplorerDb = frameworkDb(client);
  const tables = loadedTables.get(client) ?? new Map<string, Promise<TableFacts>>();
  loadedTables.set(client, tables);
  const marks = tableMarks.get(client) ?? new Map<string, Map<MarkColumn, string>>();
  tableMarks.set(client, marks);
  const marksOf = (table: string) => marks.get(table) ?? marks.set(table, new Map()).get(table)!;
  if (!locked.has(client)) locked.set(client, lockExternalAccess(db));
  const decoded = decodeState(location.search);
  let state: ExploreState = decoded.state;
  let width = options.width ?? 640;
  const available = DATASETS.filter((d) => d.generated || options.files[d.id]);
  const summaries = new Map<string, LoadSummary | null>();
  let scenes: Map<string, { scene_json: string; description: string }> | null = null;
  let emoji: EmojiSheet | null = null;
  let thumbnails: Record<string, string> | null = null;

  // ---- skeleton ----
  const root = el("div", { id: "explorer", className: "explorer" });
  root.dataset.state = "loading";
  root.dataset.updates = "0";
  const problems = el("div", { id: "explore-problems", className: "explore-error" });
  problems.setAttribute("role", "alert");
  if (decoded.problems.length) problems.textContent = `Some of the link's settings were ignored: ${decoded.problems.join("; ")}.`;
  const linkNote = el("p", { id: "explore-link-note", className: "explore-note" });
  linkNote.setAttribute("role", "status");

  const datasetSection = section("Dataset", "explore-dataset-section");
  const picker = el("select", { id: "explore-dataset" });
  for (const d of available) {
    const status = options.manifest[d.id];
    const o = el("option", { text: d.label });
    o.value = d.id;
    if (!d.generated && status && !status.configured) {
      o.disabled = true;
      o.textContent = `${d.label} (not configured: set ${d.configuredBy})`;
    }
    picker.appendChild(o);
  }
  const rowsSelect = el("select", { id: "explore-rows" });
  for (const n of GENERATED_SIZES) {
    const o = el("option", { text: `${number.format(n)} rows` });
    o.value = String(n);
    rowsSelect.appendChild(o);
  }
  const rowsLabel = labelled("Size", rowsSelect);
  const description = el("p", { id: "explore-description" });
  const sourceLine = el("p", { id: "explore-source", className: "explore-note" });
  const status = el("p", { id: "explore-status", className: "explore-status" });
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const count = el("p", { id: "explore-count" });
  const toolbar = el("div", { className: "explore-toolbar" });
  toolbar.append(labelled("Dataset", picker), rowsLabel);
  datasetSection.append(toolbar, description, sourceLine, count, status);

  const filterSection = section("Search and filters", "explore-filter-section");
  const search = el("input", { id: "explore-search" });
  search.type = "search";
  search.setAttribute("aria-label", "Search captions");
  search.placeholder = "search captions";
  const mode = el("select", { id: "explore-mode" });
  for (const [value, text] of [["substring", "substring"], ["word", "whole words"]] as const) {
    const o = el("option", { text });
    o.value = value;
    mode.appendChild(o);
  }
  const searchNote = el("p", { id: "explore-search-note", className: "explore-note" });
  const clearAll = button("Clear search and filters", "explore-clear", () => update({ search: "", facets: {}, ranges: {}, page: 0 }));
  const searchBar = el("div", { className: "explore-toolbar" });
  searchBar.append(labelled("Search", search), labelled("Match", mode), clearAll);
  const facetsBox = el("div", { id: "explore-facets", className: "explore-filters" });
  const rangesBox = el("div", { id: "explore-ranges", className: "explore-ranges" });
  filterSection.append(
    el("p", { className: "explore-note", text: "Search is case-insensitive. Whole words match the search's words in sequence. Values within a facet combine with OR, facets with AND; each facet's counts apply every filter but its own." }),
    searchBar, searchNote, facetsBox, rangesBox,
  );

  const gridSection = section("Captions in the selection", "explore-grid-section");
  const remote = el("input", { id: "explore-remote" });
  remote.type = "checkbox";
  const remoteLabel = labelled("Show web images (asks their hosts; off by default, never kept in the link)", remote);
  const pager = el("div", { id: "explore-pager", className: "explore-toolbar" });
  const gridBox = el("div", { id: "explore-grid-box" });
  gridSection.append(remoteLabel, pager, gridBox);

  const wordsSection = section("Words", "explore-words-section");
  const stop = el("input", { id: "explore-stop" });
  stop.type = "checkbox";
  const wordsBasis = el("p", { id: "explore-words-basis", className: "explore-note" });
  const wordsBox = el("div", { id: "explore-words", className: "explore-words" });
  wordsSection.append(
    el("p", {
      text: "The most frequent words and word pairs of the selected captions, and how often the hypernym vocabulary occurs: the Knowledge Graph types (person, actor, city, …) the Conceptual Captions transformation writes in place of names. Counts are occurrences; a word pair never spans two captions.",
    }),
    labelled("Leave out stop words (301 English function words)", stop),
    wordsBasis,
    wordsBox,
  );

  const sqlSection = section("SQL console", "explore-sql-section");
  const tablesNote = el("p", { id: "explore-sql-tables", className: "explore-note" });
  const sql = sqlConsole({ db, width, sql: state.sql, example: "", onRun: (text) => update({ sql: text }, "none") });
  // SQL from a link is shown, never run on opening: a link must not drop or change a table behind the reader's back.
  const sqlFromLink = el("p", { id: "explore-sql-from-link", className: "explore-note" });
  if (state.sql) sqlFromLink.textContent = "This query came with the link and has not run: read it, then press Run query to run it.";
  sqlSection.append(tablesNote, sqlFromLink, sql.element);

  const exportSection = section("Export the selection", "explore-export-section");
  const exportStatus = el("p", { id: "explore-export-status", className: "explore-status" });
  exportStatus.setAttribute("role", "status");
  exportSection.append(
    el("p", { text: `Every selected row with the columns ${PUBLIC_COLUMNS.join(", ")}: as CSV (RFC 4180, UTF-8, values exactly as stored) or as an Arrow IPC file.` }),
    button("Download CSV", "explore-export-csv", () => void exportSelection("csv")),
    " ",
    button("Download Arrow", "explore-export-arrow", () => void exportSelection("arrow")),
    exportStatus,
  );
  root.append(problems, linkNote, datasetSection, filterSection, gridSection, wordsSection, sqlSection, exportSection);

  // ---- state ----
  let facts: TableFacts | null = null;
  let info: DatasetInfo = datasetInfo(state.dataset);
  let seq = 0;
  let updates = 0;
  let wordUpdates = 0;
  let wordsTimer: ReturnType<typeof setTimeout> | undefined;
  let indicator: ReturnType<typeof setTimeout> | undefined;
  let last: { selected: number; facets: [string, FacetResult][]; ranges: [string, HistogramBin[]][]; rows: GridRow[] } | null = null;
  let lastWords: { unigrams: WordLists; bigrams: WordLists; basis: WordBasis } | null = null;

  const busy = (message: string) => {
    root.dataset.state = "loading";
    root.setAttribute("aria-busy", "true");
    clearTimeout(indicator);
    indicator = setTimeout(() => (status.textContent = message), INDICATOR_DELAY_MS);
  };
  const idle = (message = "") => {
    clearTimeout(indicator);
    status.textContent = message;
    root.removeAttribute("aria-busy");
  };
  const fail = (error: unknown) => {
    idle();
    root.dataset.state = "error";
    status.textContent = "";
    const message = el("p", { className: "explore-error", text: error instanceof Error ? error.message : String(error) });
    message.setAttribute("role", "alert");
    status.appendChild(message);
    // The old count no longer describes anything: say so instead of showing it beside the error.
    last = null;
    count.textContent = "No selection: the last update failed (see below).";
    delete count.dataset.count;
  };

  const writeUrl = () => {
    const { query, omitted } = linkQuery(state);
    linkNote.textContent = omitted.length ? `The link leaves out ${omitted.join(" and ")}: with them it would be longer than the ${number.format(MAX_LINK_CHARS)} characters a link may hold.` : "";
    history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
  };

  function update(patch: Partial<ExploreState>, scope: "all" | "grid" | "words" | "none" = "all"): void {
    state = normalizeState({ ...state, ...patch });
    writeUrl();
    if (scope === "words") renderWords();
    else if (scope !== "none") void refresh(scope);
  }

  // ---- loading ----
  async function loadScenes(): Promise<void> {
    if (!scenes) {
      if (!scenesLoaded.has(client)) {
        scenesLoaded.set(client, options.scenes.arrayBuffer().then((b) => db.insertArrowIPC("synth_scenes", new Uint8Array(b))));
      }
      await scenesLoaded.get(client);
      const rows = await db.query("SELECT image_id, description, scene_json FROM synth_scenes");
      scenes = new Map(rows.map((r) => [String(r.image_id), { scene_json: String(r.scene_json), description: String(r.description) }]));
    }
    emoji ??= (await options.emoji.json()) as EmojiSheet;
  }

  async function loadThumbnails(): Promise<void> {
    thumbnails ??= ((await options.thumbnails.json()) as { thumbnails: Record<string, string> }).thumbnails;
  }

  async function load(d: DatasetInfo): Promise<TableFacts> {
    await locked.get(client);
    marks.delete(d.table);
    if (d.generated) {
      for (const key of [...tables.keys()]) if (key.startsWith("generated:")) tables.delete(key);
      await dropTable(db, d.table);
      return generateTable(db, d.table, state.rows);
    }
    const file = options.files[d.id];
    if (!file) throw new Error(`dataset "${d.id}" has no file on this page; available: ${available.map((a) => a.id).join(", ")}`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (d.adapter === "filter-output") {
      // Candidate ids are the synthetic crawl's: its explore table supplies style, objects and image.
      const synth = available.some((a) => a.id === "synth") ? (await ensure(datasetInfo("synth")), "synth") : null;
      await db.insertArrowIPC(FILTER_SOURCE_TABLE, bytes);
      return adaptFilterOutput(db, FILTER_SOURCE_TABLE, d.table, synth);
    }
    const meta = options.arrow.tableFromIPC(bytes).schema.metadata.get(SUMMARY_KEY);
    summaries.set(d.id, meta ? (JSON.parse(meta) as LoadSummary) : null);
    return loadTable(db, d.table, bytes);
  }

  async function ensure(d: DatasetInfo): Promise<TableFacts> {
    const key = d.generated ? `generated:${state.rows}` : d.id;
    if (!tables.has(key)) {
      const promise = load(d);
      tables.set(key, promise);
      promise.catch(() => tables.delete(key));
    }
    const result = await tables.get(key)!;
    if (d.images === "synthetic") await loadScenes();
    if (d.images === "coco") await loadThumbnails();
    return result;
  }

  async function openDataset(): Promise<void> {
    info = datasetInfo(state.dataset);
    if (!available.includes(info) || (!info.generated && options.manifest[info.id]?.configured === false)) {
      problems.textContent = `Dataset "${info.id}" is not available here${info.configuredBy ? ` (set ${info.configuredBy} and rebuild)` : ""}; showing the synthetic crawl.`;
      state = normalizeState({ ...DEFAULT_STATE, stopWords: state.stopWords });
      info = datasetInfo(state.dataset);
      writeUrl();
    }
    picker.value = info.id;
    rowsSelect.value = String(state.rows);
    rowsLabel.hidden = !info.generated;
    remoteLabel.hidden = info.images !== "web";
    description.textContent = `${info.label}: ${info.description}.`;
    sourceLine.textContent = "";
    facts = null;
    last = null;
    lastWords = null;
    busy(info.generated ? `Generating ${number.format(state.rows)} rows in DuckDB…` : `Loading ${info.label}…`);
    try {
      facts = await ensure(info);
    } catch (error) {
      fail(error);
      return;
    }
    const summary = summaries.get(info.id);
    sourceLine.textContent = info.generated
      ? `Generated in this page by SQL (src/lib/explore/generate.ts): ${number.format(facts.rows)} rows.`
      : summary
        ? `Loaded ${describeSummary(summary)}.`
        : `${number.format(facts.rows)} rows from ${options.files[info.id]?.name ?? "its file"}.`;
    const extra = [info.images === "synthetic" ? "synth_scenes (image_id, description, scene_json)" : null, info.adapter === "filter-output" ? `${FILTER_SOURCE_TABLE} (the filter's full output: features, NSFW scores, labels, all reasons)` : null];
    tablesNote.textContent = `Tables: ${info.table} (${number.format(facts.rows)} rows; columns ${[...PUBLIC_COLUMNS, "row_id", "tokens", "search_tokens"].join(", ")})${extra.filter(Boolean).map((t) => `, ${t}`).join("")}. Other datasets become tables when picked. Reading files or URLs is switched off.`;
    sql.setExample(`SELECT noise_class, style, count(*) AS captions, round(avg(words), 1) AS mean_words FROM ${info.table} GROUP BY ALL ORDER BY captions DESC`);
    search.value = state.search;
    mode.value = state.mode;
    stop.checked = state.stopWords;
    await refresh("all");
  }

  // ---- queries ----
  async function refresh(scope: "all" | "grid"): Promise<void> {
    if (!facts) return;
    const my = ++seq;
    const f = facts;
    const started = performance.now();
    // Milliseconds per query of this update, for the benchmark and for anyone curious (data-timings).
    const timings: Record<string, number> = {};
    const timed = async (label: string, sql: string) => {
      const t = performance.now();
      const result = await db.query(sql);
      timings[label] = Math.round(performance.now() - t);
      return result;
    };
    busy("Updating…");
    clearTimeout(wordsTimer);
    try {
      // A new search or category choice is evaluated once, into its mark column; the queries below test that column.
      const marked = marksOf(f.table);
      for (const [column, predicate] of markPredicates(state, f)) {
        if (marked.get(column) === predicate) continue;
        marked.delete(column);
        await timed(`mark ${column}`, markSql(f, column, predicate));
        marked.set(column, predicate);
      }
      const where = whereClause(state, f, undefined, marked);
      let selected = last?.selected ?? f.rows;
      const facetResults: [string, FacetResult][] = [];
      const rangeResults: [string, HistogramBin[]][] = [];
      if (scope === "all" || !last) {
        for (const range of RANGES) {
          if (my !== seq) return;
          rangeResults.push([range.id, histogramBins(f.bins[range.id]!, await timed(`histogram ${range.id}`, histogramQuery(range, f, whereClause(state, f, range.id, marked))))]);
        }
        // A histogram without a range of its own counts exactly the selection: no count query needed.
        const unfiltered = rangeResults.find(([id]) => !state.ranges[id]);
        selected = unfiltered ? unfiltered[1].reduce((n, b) => n + b.count, 0) : Number((await timed("count", countQuery(f, where)))[0]?.n ?? 0);
        for (const facet of FACETS) {
          if (!f.facets.includes(facet.id) || my !== seq) continue;
          const chosen = state.facets[facet.id] ?? [];
          const rows = await timed(`facet ${facet.id}`, facetQuery(facet, f, whereClause(state, f, facet.id, marked), chosen));
          facetResults.push([facet.id, facetValues(facet, rows, chosen, f.categoryKeys)]);
        }
      } else {
        facetResults.push(...last.facets);
        rangeResults.push(...last.ranges);
      }
      const pages = Math.max(1, Math.ceil(selected / PAGE_SIZE));
      if (state.page >= pages) {
        state = { ...state, page: pages - 1 };
        writeUrl();
      }
      if (my !== seq) return;
      const ids = (await timed("page ids", pageIdsQuery(f, where, state.page, PAGE_SIZE))).map((r) => Number(r.row_id));
      if (my !== seq) return;
      const rows = (await timed("page rows", pageRowsQuery(f, ids, PUBLIC_COLUMNS))) as unknown as GridRow[];
      if (my !== seq) return;
      last = { selected, facets: facetResults, ranges: rangeResults, rows };
      render();
      root.dataset.lastUpdateMs = String(Math.round(performance.now() - started));
      root.dataset.timings = JSON.stringify(timings);
      root.dataset.updates = String(++updates);
      root.dataset.state = "ready";
      idle();
      if (scope === "all" || !lastWords) wordsTimer = setTimeout(() => void countWords(my, selected, where), WORDS_DELAY_MS);
    } catch (error) {
      if (my === seq) fail(error);
    }
  }

  async function countWords(my: number, selected: number, where: string): Promise<void> {
    if (!facts || my !== seq) return;
    const f = facts;
    const started = performance.now();
    wordsSection.dataset.state = "loading";
    wordsSection.setAttribute("aria-busy", "true");
    const slow = setTimeout(() => (wordsBasis.textContent = "Counting words…"), INDICATOR_DELAY_MS);
    try {
      const opts = { k: TOP_TERMS, stopWords: options.stopWords, selected };
      const unigrams = wordLists(await db.query(wordStatsQuery(1, f, where, opts)));
      if (my !== seq) return;
      const bigrams = wordLists(await db.query(wordStatsQuery(2, f, where, opts)));
      if (my !== seq) return;
      lastWords = { unigrams, bigrams, basis: wordBasis(selected) };
      renderWords();
      wordsSection.dataset.updates = String(++wordUpdates);
      wordsSection.dataset.lastMs = String(Math.round(performance.now() - started));
      wordsSection.dataset.state = "ready";
    } catch (error) {
      if (my !== seq) return;
      wordsSection.dataset.state = "error";
      wordsBox.replaceChildren(el("p", { className: "explore-error", text: error instanceof Error ? error.message : String(error) }));
    } finally {
      clearTimeout(slow);
      wordsSection.removeAttribute("aria-busy");
    }
  }

  async function exportSelection(kind: "csv" | "arrow"): Promise<void> {
    if (!facts) return;
    exportStatus.textContent = "Preparing the export…";
    try {
      const query = selectionQuery(facts, whereClause(state, facts, undefined, marksOf(facts.table)), PUBLIC_COLUMNS);
      const name = `${info.table}-selection.${kind === "csv" ? "csv" : "arrow"}`;
      if (kind === "csv") {
        const rows = await db.query(query);
        downloadBlob(new Blob([toCsv(rows, PUBLIC_COLUMNS)], { type: "text/csv;charset=utf-8" }), name);
        exportStatus.textContent = `${name}: ${number.format(rows.length)} rows.`;
      } else {
        const table = await db.queryArrow(query);
        downloadBlob(new Blob([options.arrow.tableToIPC(table, "file") as Uint8Array<ArrayBuffer>], { type: "application/vnd.apache.arrow.file" }), name);
        exportStatus.textContent = `${name}: ${number.format(table.numRows)} rows.`;
      }
    } catch (error) {
      exportStatus.textContent = `Export failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  // ---- rendering (from the last results; also on resize) ----
  function keepFocus(render: () => void): void {
    const key = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
    render();
    if (key) root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
  }

  function toggle(facetId: string, value: string | null, checked: boolean): void {
    const current = state.facets[facetId] ?? [];
    update({ facets: { ...state.facets, [facetId]: checked ? [...current, value] : current.filter((v) => v !== value) }, page: 0 });
  }

  function render(): void {
    if (!last || !facts) return;
    const { selected, facets, ranges, rows } = last;
    count.textContent = `${number.format(selected)} of ${number.format(facts.rows)} captions selected.`;
    count.dataset.count = String(selected);
    count.dataset.total = String(facts.rows);
    const tokens = state.mode === "word" && state.search.trim() && !/[\p{L}\p{N}]/u.test(state.search);
    searchNote.textContent = tokens ? "The search has no words in it, so it matches everything in whole-word mode." : "";
    keepFocus(() => {
      facetsBox.replaceChildren(...facets.map(([id, result]) => facetList(result, { facet: FACETS.find((x) => x.id === id)!, onToggle: (v, c) => toggle(id, v, c) })));
      const chartWidth = Math.max(240, Math.min(width, width >= 700 ? width / 2 - 16 : width));
      rangesBox.replaceChildren(
        ...ranges.map(([id, bins]) =>
          rangeFacet(bins, { width: chartWidth, range: RANGES.find((r) => r.id === id)!, selection: state.ranges[id], onChange: (r: Range) => update({ ranges: { ...state.ranges, [id]: r }, page: 0 }) }),
        ),
      );
      const pages = Math.max(1, Math.ceil(selected / PAGE_SIZE));
      const prev = button("← Previous", "explore-prev", () => update({ page: state.page - 1 }, "grid"));
      prev.disabled = state.page === 0;
      prev.dataset.focusKey = "pager:prev";
      const next = button("Next →", "explore-next", () => update({ page: state.page + 1 }, "grid"));
      next.disabled = state.page >= pages - 1;
      next.dataset.focusKey = "pager:next";
      const where = el("span", { id: "explore-page", text: `page ${number.format(state.page + 1)} of ${number.format(pages)}` });
      pager.replaceChildren(prev, where, next);
    });
    gridBox.replaceChildren(
      sampleGrid(rows, {
        width,
        id: "explore-grid",
        images: { source: info.images, scenes: scenes ?? undefined, emoji: emoji ?? undefined, thumbnails: thumbnails ?? undefined, remote: remote.checked },
      }),
    );
  }

  function renderWords(): void {
    stop.checked = state.stopWords;
    if (!lastWords) return;
    const { unigrams, bigrams, basis } = lastWords;
    wordsBasis.textContent = basis.sampled
      ? `Counted on a uniform random sample of ${number.format(basis.rows)} of the ${number.format(basis.selected)} selected captions (reservoir sampling, seed 42).`
      : `Counted over all ${number.format(basis.selected)} selected captions.`;
    const list = (l: WordLists) => (state.stopWords ? l.content : l.all);
    const hypernyms = [...unigrams.hypernym, ...bigrams.hypernym].sort(compareTermCounts);
    const w = Math.max(240, width >= 960 ? width / 3 - 16 : width >= 640 ? width / 2 - 12 : width);
    wordsBox.replaceChildren(
      termChart(list(unigrams), { width: w, label: `Top words${state.stopWords ? " (no stop words)" : ""}`, id: "explore-top-words" }),
      termChart(list(bigrams), { width: w, label: `Top word pairs${state.stopWords ? " (no stop words)" : ""}`, id: "explore-top-bigrams" }),
      termChart(hypernyms, { width: w, label: "Hypernym vocabulary", id: "explore-hypernyms" }),
    );
  }

  // ---- events ----
  picker.addEventListener("change", () => {
    state = normalizeState({ ...DEFAULT_STATE, dataset: picker.value, rows: state.rows, stopWords: state.stopWords });
    writeUrl();
    void openDataset();
  });
  rowsSelect.addEventListener("change", () => {
    state = normalizeState({ ...state, rows: Number(rowsSelect.value), page: 0 });
    writeUrl();
    void openDataset();
  });
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => update({ search: search.value, page: 0 }), 250);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    clearTimeout(searchTimer);
    update({ search: search.value, page: 0 });
  });
  mode.addEventListener("change", () => update({ mode: mode.value as ExploreState["mode"], page: 0 }));
  remote.addEventListener("change", () => render());
  stop.addEventListener("change", () => update({ stopWords: stop.checked }, "words"));
  new ResizeObserver(([entry]) => {
    const w = Math.floor(entry?.contentRect.width ?? width);
    if (w > 0 && Math.abs(w - width) >= 24) {
      width = w;
      render();
      renderWords();
      sql.resize(width);
    }
  }).observe(root);

  void openDataset();
  return root;
}
