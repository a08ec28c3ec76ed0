import { wordDiff } from "../lib/attrition/index.js";

/** One before/after pair as the pipeline wrote it (a row of filter-candidates.arrow). */
export interface HypernymPair {
  id: string;
  text_clean: string;
  caption_out: string;
  entity_types: readonly string[] | null;
  status: string;
}

export interface PairsOptions {
  width: number;
  id?: string;
}

/**
 * Each pair as two lines: the alt-text with what the transformation removed struck through, and
 * the caption with what it added (hypernyms, plurals) marked. Text goes in through textContent only.
 */
export function hypernymPairs(pairs: readonly HypernymPair[], { width, id }: PairsOptions): HTMLElement {
  const list = document.createElement("ol");
  if (id) list.id = id;
  list.style.paddingLeft = width >= 640 ? "2em" : "1.2em";
  for (const pair of pairs) {
    const item = document.createElement("li");
    item.dataset.id = pair.id;
    item.style.marginBottom = "0.8em";
    const parts = wordDiff(pair.text_clean, pair.caption_out);
    const line = (label: string, skip: "added" | "removed", cls: string) => {
      const p = document.createElement("div");
      p.className = cls;
      const tag = document.createElement("span");
      tag.textContent = `${label}: `;
      tag.style.color = "var(--theme-foreground-muted)";
      p.append(tag);
      for (const part of parts.filter((x) => x.kind !== skip)) {
        const el = document.createElement(part.kind === "removed" ? "del" : part.kind === "added" ? "ins" : "span");
        el.textContent = part.text;
        if (part.kind !== "same") el.style.background = part.kind === "removed" ? "color-mix(in srgb, var(--theme-red) 20%, transparent)" : "color-mix(in srgb, var(--theme-green) 25%, transparent)";
        p.append(el, " ");
      }
      return p;
    };
    item.append(line("alt-text", "added", "hypernym-before"), line("caption", "removed", "hypernym-after"));
    const meta = document.createElement("div");
    meta.style.fontSize = "smaller";
    meta.style.color = "var(--theme-foreground-muted)";
    meta.textContent = `${pair.id} · entity types: ${pair.entity_types?.length ? pair.entity_types.join(", ") : "none"} · status: ${pair.status}`;
    item.append(meta);
    list.append(item);
  }
  return list;
}

export interface ChainOptions {
  id?: string;
}

/** A WordNet hypernym chain, most specific first, as an ordered list (empty chain: a note). */
export function hypernymChain(chain: readonly string[], { id }: ChainOptions = {}): HTMLElement {
  if (chain.length === 0) {
    const p = document.createElement("p");
    p.textContent = "WordNet has no noun sense for this type.";
    return p;
  }
  const list = document.createElement("ol");
  if (id) list.id = id;
  for (const name of chain) {
    const li = document.createElement("li");
    li.textContent = name;
    list.append(li);
  }
  return list;
}
