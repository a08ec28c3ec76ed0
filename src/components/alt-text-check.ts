import type { AltTextCheck } from "../lib/filter/browser.js";
import { hypernymPairs } from "./hypernym-pairs.js";

export interface AltTextCheckOptions {
  width: number;
  /** The preset whose options judged the text (shown in the summary). */
  preset: string;
  id?: string;
}

function cell(row: HTMLTableRowElement, text: string, column: string): HTMLTableCellElement {
  const td = row.insertCell();
  td.textContent = text;
  td.dataset.column = column;
  return td;
}

/**
 * One alt-text's check: a summary line, every text and transform rule with its verdict, the value
 * it read and its threshold, then the transformed caption with the word diff. The typed text is
 * only ever set as textContent or a data attribute, never parsed as HTML.
 */
export function altTextCheck(alt: string, check: AltTextCheck, { width, preset, id }: AltTextCheckOptions): HTMLElement {
  const root = document.createElement("div");
  if (id) root.id = id;
  root.dataset.alt = alt;
  root.dataset.status = check.status;

  const summary = document.createElement("p");
  summary.className = "alt-check-status";
  const strong = document.createElement("strong");
  strong.textContent = check.status === "kept" ? "kept" : `rejected: ${check.status}`;
  const failing = check.rules.filter((r) => r.rejects).length;
  summary.append(`Under ${preset}, the text and transform stages: `, strong, check.status === "kept" ? "." : ` (the first rejecting rule; ${failing} ${failing === 1 ? "rule rejects" : "rules reject"} in all).`);
  root.append(summary);

  const scroller = document.createElement("div");
  scroller.style.maxWidth = "100%";
  scroller.style.overflowX = "auto";
  const table = document.createElement("table");
  table.className = "alt-check-rules";
  const head = table.createTHead().insertRow();
  for (const h of ["stage", "rule", "verdict", "reads", "value", "passes when"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const rule of check.rules) {
    const tr = body.insertRow();
    tr.dataset.reason = rule.reason;
    tr.dataset.verdict = rule.rejects ? "fail" : "pass";
    cell(tr, rule.stage, "stage");
    cell(tr, rule.reason, "rule");
    const verdict = cell(tr, rule.rejects ? "fail" : "pass", "verdict");
    verdict.style.fontWeight = "bold";
    verdict.style.color = rule.rejects ? "var(--theme-red)" : "var(--theme-green)";
    cell(tr, rule.feature, "feature");
    cell(tr, rule.value, "value");
    cell(tr, rule.threshold, "threshold");
  }
  scroller.append(table);
  root.append(scroller);

  const heading = document.createElement("p");
  heading.textContent = check.transform.entity_types.length
    ? `Transformed caption (entity types: ${check.transform.entity_types.join(", ")}):`
    : "Transformed caption:";
  const caption = document.createElement("p");
  caption.className = "alt-check-caption";
  caption.textContent = check.transform.caption_out === "" ? "(empty)" : check.transform.caption_out;
  caption.style.fontFamily = "var(--monospace)";
  root.append(heading, caption);
  root.append(hypernymPairs([{ id: "typed", text_clean: check.text.text_clean, caption_out: check.transform.caption_out, entity_types: check.transform.entity_types, status: check.status }], { width, id: id ? `${id}-diff` : undefined }));
  return root;
}
