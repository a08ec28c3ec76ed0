// The front page's key results: each measured number beside its labelled reference, linking to the page that measures it.
/** One row: what is measured, the value (null: not available, with why), the reference and where it comes from. */
export interface KeyResult {
  measure: string;
  measured: string | null;
  /** Shown in place of the value when it is null ("not yet trained"). */
  unavailable?: string;
  /** The reference value, already formatted, and its label ("paper reference", or another named reference). */
  reference: string;
  referenceLabel: string;
  referenceSource: string;
  /** Link to the page that measures it (relative to the front page) and that page's name. */
  href: string;
  page: string;
}

const cell = (row: HTMLTableRowElement, content: string | Node) => {
  const td = row.insertCell();
  if (typeof content === "string") td.textContent = content;
  else td.appendChild(content);
  return td;
};

/** A table of key results; every cell is set as text. Wrapped in a scrolling container for narrow screens. */
export function keyResults(rows: readonly KeyResult[], options: { id?: string; caption?: string } = {}): HTMLElement {
  const wrap = document.createElement("div");
  wrap.className = "key-results";
  wrap.style.overflowX = "auto";
  wrap.style.maxWidth = "100%";
  const table = document.createElement("table");
  if (options.id) table.id = options.id;
  if (options.caption) table.createCaption().textContent = options.caption;
  const head = table.createTHead().insertRow();
  for (const name of ["measure", "measured here", "reference", "page"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  body.style.verticalAlign = "top";
  for (const r of rows) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = r.measure;
    tr.appendChild(th);
    const value = cell(tr, r.measured ?? r.unavailable ?? "not available");
    value.className = r.measured === null ? "key-result-unavailable" : "key-result-value";
    const ref = document.createElement("span");
    const label = document.createElement("strong");
    label.textContent = r.referenceLabel;
    const source = document.createElement("small");
    source.textContent = ` (${r.referenceSource})`;
    ref.append(label, `: ${r.reference}`, source);
    cell(tr, ref);
    const a = document.createElement("a");
    a.href = r.href;
    a.textContent = r.page;
    cell(tr, a);
  }
  wrap.appendChild(table);
  return wrap;
}
