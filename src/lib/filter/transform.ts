/**
 * Stage 4, text transformation with hypernymization (paper §3), on the boilerplate-cropped text:
 *  1. dates ("on June 12, 2014", "(2011)") and durations ("for 3 hours") are removed;
 *  2. named entities are found (compromise's people/places/organisations tags plus capitalised
 *     proper-noun runs) and resolved: a person to the class WordNet has them as an instance of
 *     ("Henry Moore" -> sculptor) or "person"; a place to its WordNet class ("Houston" -> city);
 *     a multi-word name ending in a common noun to that noun ("Cannes Film Festival" -> festival);
 *  3. preposition-based locations ("in Houston, Texas") and prepositional phrases whose object
 *     cannot be resolved ("of Eyes Wide Shut", a quoted title "of 'Hollywood Homicide'") are
 *     removed; so are proper-noun, number and unit modifiers of a noun ("Enron offices" -> offices,
 *     "Boeing 777 aircraft" -> aircraft) and an ordinal that belongs to a name ("the 29th American
 *     Film Festival" -> the festival); an article left before a new word agrees with it ("a
 *     British Airways Airbus A319 aircraft" -> an aircraft);
 *  4. same-head coordinations collapse to a plural ("person and person" -> people);
 *  5. the result is lower-cased and tokenised as the CC3M release is ("close - up", "word , word .").
 * `person-only` mode (CC12M) only replaces person names with <PERSON>; `none` only re-tokenises.
 * The stage's rules reject what hypernymization could not resolve or left too short.
 */
import { nounLemma, hypernymChain, instanceClasses, synsetName, type WordNet } from "../wordnet/index.js";
import { decide, type Decision } from "./reasons.js";
import { atMost, formatValue, limit, num, ruleFor, stageDecl, TRANSFORM_MODES, type StageOptions, type TransformMode } from "./rules/declare.js";
import { col, type StageOf } from "./stage.js";
import { tagTerms } from "./tagging.js";

const rule = ruleFor<TransformFeatures>();

const RULES = [
  rule({
    reason: "unresolved_entity", description: "a proper noun the hypernymizer could not resolve (more than transform.maxUnresolved)", reads: ["unresolved"],
    options: { maxUnresolved: { type: "integer?", min: 0, default: 0, doc: "unresolved proper nouns accepted; null = no limit" } },
    rejects: (f, o) => o.maxUnresolved !== null && f.unresolved > o.maxUnresolved,
    sql: (o) => limit(o.maxUnresolved, (n) => `coalesce(unresolved, 0) > ${n}`),
    explain: { feature: "unresolved proper nouns", value: (f) => formatValue(f.unresolved), threshold: (o) => atMost(o.maxUnresolved) },
  }),
  rule({
    reason: "too_short_after_transform", description: "fewer than transform.minWords words after hypernymization", reads: ["out_words"], shown: "caption_out",
    options: { minWords: { type: "integer", min: 0, default: 3, doc: "fewest words a transformed caption keeps" } },
    rejects: (f, o) => f.out_words < o.minWords,
    sql: (o) => `(caption_out IS NOT NULL AND out_words < ${num(o.minWords)})`,
    explain: { feature: "words after the transform", value: (f) => formatValue(f.out_words), threshold: (o) => `≥ ${o.minWords}` },
  }),
] as const;

const OPTIONS = {
  mode: { type: "mode", default: "hypernymize", doc: `${TRANSFORM_MODES[0]} (CC3M), ${TRANSFORM_MODES[1]} (CC12M <PERSON>), ${TRANSFORM_MODES[2]} (lower-case only)` },
} as const;

export type TransformOptions = StageOptions<typeof OPTIONS, typeof RULES>;
export type TransformReason = (typeof RULES)[number]["reason"];

export const TRANSFORM_DECL = stageDecl<TransformFeatures, TransformOptions>()({
  id: "transform", description: "hypernymization (or CC12M's <PERSON> substitution), then CC3M tokenisation", reference: "transformation",
  optIn: false, level: "candidate", options: OPTIONS, rules: RULES,
  // Words of the transformed caption, counted as transform.ts counts out_words (not a stored column).
  derived: [{ name: "out_words", sql: "len(list_filter(string_split(caption_out, ' '), w -> regexp_matches(w, '[\\p{L}\\p{N}]')))" }],
});

export interface TransformFeatures {
  /** The transformed caption ("" when the stage did not run). */
  caption_out: string;
  /** Entity types substituted for named entities, in order (person, city, sculptor, ...). */
  entity_types: string[];
  /** Proper-noun runs left unresolved in the caption. */
  unresolved: number;
  /** Words in the transformed caption. */
  out_words: number;
  /** Whether the transformation changed the caption beyond re-tokenising and lower-casing it. */
  changed: boolean;
}

interface Tok {
  text: string;
  pre: string;
  post: string;
  tags: Set<string>;
  drop: boolean;
  /** Replacement word(s) for this token (the first token of a resolved span). */
  replace?: string;
}

const LOCATION_PREPOSITIONS = new Set(["in", "at", "near", "outside", "from", "across", "around", "throughout", "inside", "of", "to", "on"]);
const DATE_PREPOSITIONS = new Set(["on", "in", "during", "since", "from", "at", "of", "circa", "by", "until", "before", "after"]);
const DURATION_UNITS = /^(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century|nights?)$/i;
const UNITS = /^(?:mm|cm|m|km|in|inch|inches|ft|feet|foot|yd|mi|miles?|kg|g|mg|lbs?|pounds?|oz|ml|l|liters?|litres?|gallons?|mph|kph|km\/h|gb|mb|tb|mp|px|pixels?|hp|cc|w|kw|v|%|percent|degrees?|°[cf]?)$/i;
const WORDISH = /[\p{L}\p{N}]/u;
const CAPITALISED = /^\p{Lu}/u;

/** Chain nodes that name a place's type, most specific first: what a resolved place becomes. */
const PLACE_TYPES: Readonly<Record<string, string>> = {
  city: "city", town: "town", municipality: "city", capital: "city", "national capital": "city", "state capital": "city",
  "provincial capital": "city", port: "city", village: "village", state: "state", "American state": "state", province: "province",
  country: "country", "European country": "country", "Asian country": "country", "African country": "country", island: "island",
  river: "river", lake: "lake", mountain: "mountain", "mountain peak": "mountain", continent: "continent", region: "region",
  "geographical area": "region", desert: "desert", sea: "sea", ocean: "ocean", park: "park", county: "county", neighborhood: "neighborhood",
};

const IRREGULAR_PLURALS: Readonly<Record<string, string>> = { person: "people", man: "men", woman: "women", child: "children", foot: "feet", tooth: "teeth", mouse: "mice", goose: "geese" };

/** English plural of a singular noun (for coordination collapse). */
export function pluralize(word: string): string {
  const irregular = IRREGULAR_PLURALS[word];
  if (irregular) return irregular;
  if (/(?:s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** A class synset's readable type: a place's general type from its chain, else the class's own lemma. */
function typeOfClass(wn: WordNet, cls: number): { type: string; place: boolean } {
  const chain = hypernymChain(wn, cls).map((o) => synsetName(wn, o));
  for (const name of chain) {
    const t = PLACE_TYPES[name];
    if (t) return { type: t, place: true };
  }
  const place = chain.includes("location") || chain.includes("region");
  return { type: synsetName(wn, cls).toLowerCase(), place };
}

function terms(text: string): Tok[] {
  const out: Tok[] = [];
  for (const t of tagTerms(text)) {
    // compromise leaves brackets on the word ("(2011)"): move them to the punctuation around it.
    const [, open = "", word = t.text, close = ""] = /^([(\[]*)(.*?)([)\]]*)$/s.exec(t.text) ?? [];
    out.push({ text: word, pre: (t.pre ?? "") + open, post: close + (t.post ?? ""), tags: new Set(t.tags), drop: false });
  }
  return out;
}

// A number (cardinal, not "a" nor an ordinal such as "third", which compromise also tags Value).
const isValue = (t: Tok) => /^\d[\d.,]*$/.test(t.text) || (t.tags.has("Value") && !t.tags.has("Determiner") && !t.tags.has("Ordinal"));
const isDate = (t: Tok) => t.tags.has("Date") || t.tags.has("Month") || t.tags.has("Year") || t.tags.has("WeekDay");
const isCommonNoun = (t: Tok) => t.tags.has("Noun") && !t.tags.has("ProperNoun") && !t.tags.has("Pronoun") && !isValue(t) && !isDate(t) && !CAPITALISED.test(t.text);
const breaksAfter = (t: Tok) => /[.;:!?()[\]"]|,/.test(t.post);
const isEntityTag = (t: Tok) => t.tags.has("Person") || t.tags.has("Place") || t.tags.has("Organization");
// Names are capitalised: compromise also tags lower-case common nouns as places ("main street", "jersey"), which CC3M's lower-cased captions are full of.
const isProper = (t: Tok, i: number) => !isDate(t) && !isValue(t) && CAPITALISED.test(t.text) && (i > 0 || isEntityTag(t) || t.tags.has("ProperNoun"));

const YEAR = /^(?:1[89]|20)\d\d$/;
const NUMERIC_ORDINAL = /^\d+(?:st|nd|rd|th)$/i;
const OPENING_QUOTE = /["'“‘«]$/;
const CLOSING_QUOTE = /^["'”’»]/;

/** Removes dates with their preposition and durations ("for 3 hours"). */
function dropDates(toks: Tok[]): void {
  // A bare year is a date in brackets or after a date preposition ("(2011)", "in 2014").
  toks.forEach((t, i) => {
    const prev = toks[i - 1];
    if (YEAR.test(t.text) && (/\(/.test(t.pre) || (prev !== undefined && DATE_PREPOSITIONS.has(prev.text.toLowerCase())))) t.tags.add("Year");
  });
  for (let i = 0; i < toks.length; i++) {
    if (!isDate(toks[i]!)) continue;
    let j = i;
    // A month anchors a date when capitalised or next to a number: lower-case "may" and "march" are mostly verbs.
    const anchored = (t: Tok, k: number) =>
      t.tags.has("Year") || t.tags.has("WeekDay") || isValue(t) ||
      (t.tags.has("Month") && (CAPITALISED.test(t.text) || [toks[k - 1], toks[k + 1]].some((n) => n !== undefined && isValue(n))));
    // A date run: dates and the numbers inside it ("June 12, 2014").
    while (j + 1 < toks.length && (isDate(toks[j + 1]!) || isValue(toks[j + 1]!)) && !/[.;:!?()]/.test(toks[j]!.post)) j++;
    let start = i;
    if (start > 0 && isValue(toks[start - 1]!) && !breaksAfter(toks[start - 1]!)) start--; // "12 June"
    // "fashion week", "today": a date word without a month, year, weekday or number is left alone.
    if (!toks.slice(start, j + 1).some((t, k) => anchored(t, start + k))) {
      i = j;
      continue;
    }
    if (start > 0 && DATE_PREPOSITIONS.has(toks[start - 1]!.text.toLowerCase())) start--;
    for (let k = start; k <= j; k++) toks[k]!.drop = true;
    i = j;
  }
  for (let i = 0; i + 2 < toks.length; i++) {
    const [a, b, c] = [toks[i]!, toks[i + 1]!, toks[i + 2]!];
    if (/^(?:for|during|over)$/i.test(a.text) && isValue(b) && DURATION_UNITS.test(c.text)) a.drop = b.drop = c.drop = true;
  }
}

interface Span {
  start: number;
  end: number;
  kind: "person" | "place" | "common" | "instance" | "unresolved";
  type: string;
}

/** Classifies a proper-noun run with compromise's tags and WordNet. */
function classify(toks: Tok[], start: number, end: number, wn: WordNet | null): Span {
  const run = toks.slice(start, end + 1);
  // A quoted name is a work's title (a film, a song): WordNet cannot resolve it, and the paper drops it.
  if (OPENING_QUOTE.test(run[0]!.pre.trim()) && CLOSING_QUOTE.test(run[run.length - 1]!.post.trim())) return { start, end, kind: "unresolved", type: "" };
  const name = run.map((t) => t.text.replace(/[^\p{L}\p{N}'-]/gu, "")).join(" ");
  const classes = wn ? instanceClasses(wn, name) : [];
  const resolved = classes.length && wn ? typeOfClass(wn, classes[0]!) : null;
  const words = run.map((t) => t.text.toLowerCase().replace(/[^\p{L}]/gu, ""));
  // Two or three capitalised words none of which is a common noun read as a name ("Martie Kettie").
  const nameLike = run.length >= 2 && run.length <= 3 && !classes.length && wn !== null && words.every((w) => w.length > 1 && !nounLemma(wn, w));
  if (run.some((t) => t.tags.has("Person")) || nameLike) {
    // One word is a first name or a surname, not a person WordNet knows ("Tracy" is not Spencer Tracy).
    return { start, end, kind: "person", type: resolved && !resolved.place && run.length >= 2 ? resolved.type : "person" };
  }
  if (resolved?.place || run.some((t) => t.tags.has("Place"))) return { start, end, kind: "place", type: resolved?.type ?? "place" };
  if (resolved) return { start, end, kind: "instance", type: resolved.type };
  const head = run[run.length - 1]!.text.toLowerCase().replace(/[^\p{L}'-]/gu, "");
  const lemma = wn && run.length >= 2 ? nounLemma(wn, head) : undefined;
  if (lemma) return { start, end, kind: "common", type: lemma.replace(/_/g, " ") };
  return { start, end, kind: "unresolved", type: "" };
}

function findSpans(toks: Tok[], wn: WordNet | null): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (toks[i]!.drop) continue;
    // A capitalised sentence-initial word counts only when tagged so or when a proper noun follows it ("Delta Air Lines").
    const initialName = i === 0 && CAPITALISED.test(toks[0]!.text) && !isValue(toks[0]!) && !isDate(toks[0]!) && toks[1] !== undefined && isProper(toks[1], 1) && !breaksAfter(toks[0]!);
    if (!isProper(toks[i]!, i) && !initialName) continue;
    let j = i;
    while (j + 1 < toks.length && !toks[j + 1]!.drop && !breaksAfter(toks[j]!) && isProper(toks[j + 1]!, j + 1)) j++;
    spans.push(classify(toks, i, j, wn));
    i = j;
  }
  return spans;
}

/** The next token index after `end` that is not dropped. */
function nextKept(toks: Tok[], from: number): number {
  let k = from;
  while (k < toks.length && toks[k]!.drop) k++;
  return k;
}

function prevKept(toks: Tok[], from: number): number {
  let k = from;
  while (k >= 0 && toks[k]!.drop) k--;
  return k;
}

/** Whether the span modifies a following noun (skipping numbers and units): "Enron offices", "Boeing 777 aircraft". */
function isModifier(toks: Tok[], span: Span): boolean {
  if (breaksAfter(toks[span.end]!)) return false;
  let k = nextKept(toks, span.end + 1);
  while (k < toks.length && (isValue(toks[k]!) || UNITS.test(toks[k]!.text)) && !breaksAfter(toks[k]!)) k++;
  return k < toks.length && isCommonNoun(toks[k]!) && k > span.end;
}

function hypernymize(toks: Tok[], wn: WordNet | null): { types: string[]; unresolved: number } {
  dropDates(toks);
  const spans = findSpans(toks, wn);
  const types: string[] = [];
  let unresolved = 0;
  const drop = (s: Span) => { for (let k = s.start; k <= s.end; k++) toks[k]!.drop = true; };
  for (let s = 0; s < spans.length; s++) {
    const span = spans[s]!;
    const before = prevKept(toks, span.start - 1);
    const prep = before >= 0 && LOCATION_PREPOSITIONS.has(toks[before]!.text.toLowerCase()) && !breaksAfter(toks[before]!) ? before : -1;
    if (isModifier(toks, span)) {
      drop(span);
    } else if ((span.kind === "place" || span.kind === "unresolved") && prep >= 0) {
      // "in Houston, Texas": the preposition, the place and any ", Place" that continues it.
      toks[prep]!.drop = true;
      drop(span);
      while (spans[s + 1] && (spans[s + 1]!.kind === "place" || spans[s + 1]!.kind === "unresolved") && nextKept(toks, span.end + 1) === spans[s + 1]!.start && /,/.test(toks[spans[s]!.end]!.post)) drop(spans[++s]!);
    } else if (span.kind === "unresolved") {
      unresolved++;
    } else {
      drop(span);
      // "the 29th American Film Festival": the edition number goes with the name.
      const ordinal = prevKept(toks, span.start - 1);
      if (ordinal >= 0 && NUMERIC_ORDINAL.test(toks[ordinal]!.text) && !breaksAfter(toks[ordinal]!)) toks[ordinal]!.drop = true;
      toks[span.start]!.drop = false;
      toks[span.start]!.replace = span.type;
      toks[span.start]!.post = toks[span.end]!.post;
      types.push(span.type);
    }
  }
  // Number and unit modifiers of a noun: "two sculptures", "500 ml bottle".
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.drop || !isValue(t) || breaksAfter(t)) continue;
    let k = i + 1;
    while (k < toks.length && !toks[k]!.drop && UNITS.test(toks[k]!.text) && !breaksAfter(toks[k]!)) k++;
    if (k < toks.length && (isCommonNoun(toks[k]!) || toks[k]!.replace)) for (let m = i; m < k; m++) toks[m]!.drop = true;
  }
  return { types, unresolved };
}

/** The indefinite article before `word` ("an aircraft", "a university", "an hour"): by its first letters. */
export function indefiniteArticle(word: string): "a" | "an" {
  const w = word.toLowerCase();
  if (/^(?:hour|honest|hono|heir)/.test(w)) return "an";
  return /^[aeiou]/.test(w) && !/^(?:uni|use|usu|ura|ure|uro|eu|ewe|one|once|ubiq)/.test(w) ? "an" : "a";
}

/** CC3M-style tokens of the kept terms: lower case, punctuation as its own token, hyphens split. */
function render(toks: Tok[], lower: boolean): string[] {
  const out: string[] = [];
  let pendingStop = "";
  let gap = false;
  for (const t of toks) {
    if (t.drop) {
      gap = true;
      // A sentence end on a dropped token moves to the previous kept word.
      const end = /[.!?]/.exec(t.post);
      if (end) pendingStop = end[0];
      continue;
    }
    if (pendingStop && out.length && !/^[.!?]$/.test(out[out.length - 1]!)) out.push(pendingStop);
    pendingStop = "";
    const pre = t.pre.replace(/\s+/g, "");
    // compromise splits clitics as pre "'" + "s": CC3M writes them as one token ("women 's").
    const clitic = /['’]$/.test(pre) && /^\p{L}{1,2}$/u.test(t.text);
    const word = (clitic ? "'" : "") + (t.replace ?? t.text);
    // An article kept before removed or replaced words agrees with the word that now follows it.
    const last = out[out.length - 1];
    if ((gap || t.replace) && (last?.toLowerCase() === "a" || last?.toLowerCase() === "an") && /^\p{L}/u.test(word)) {
      const article = indefiniteArticle(word);
      out[out.length - 1] = last === last.toLowerCase() ? article : article[0]!.toUpperCase() + article.slice(1);
    }
    gap = false;
    for (const p of clitic ? pre.slice(0, -1) : pre) if (/[("'“‘[]/.test(p)) out.push(p);
    for (const piece of word.replace(/(\p{L})(['’]s)$/u, "$1 $2").split(/ |(?<=\S)(-)(?=\S)/)) if (piece) out.push(lower ? piece.toLowerCase() : piece);
    for (const p of t.post.replace(/\s+/g, "")) if (p !== "-" || t.post.trim() !== "") out.push(p);
  }
  if (pendingStop && out.length && !/^[.!?]$/.test(out[out.length - 1]!)) out.push(pendingStop);
  return tidy(out);
}

/** Removes punctuation left dangling by deletions: leading separators, doubled commas, empty brackets. */
function tidy(tokens: string[]): string[] {
  const out: string[] = [];
  for (const tok of tokens) {
    const last = out[out.length - 1];
    const isPunct = !WORDISH.test(tok);
    if (isPunct && /^[,;:\-–—|]$/.test(tok) && (last === undefined || !WORDISH.test(last))) continue;
    if (tok === ")" && last === "(") {
      out.pop();
      continue;
    }
    out.push(tok);
  }
  while (out.length && /^[,;:\-–—|(]$/.test(out[out.length - 1]!)) out.pop();
  return out;
}

/** "person and person" -> "people", "actor , actor and actor" -> "actors". */
export function collapseCoordinations(tokens: string[]): string[] {
  const out = [...tokens];
  for (let i = 0; i < out.length; i++) {
    const head = out[i]!;
    if (!/^\p{L}+$/u.test(head)) continue;
    let j = i;
    while (j + 2 < out.length && (out[j + 1] === "and" || out[j + 1] === ",") && out[j + 2] === head) j += 2;
    if (j > i) out.splice(i, j - i + 1, pluralize(head));
  }
  return out;
}

/** The transformation of one caption. Never throws. */
export function transformCaption(text: string, mode: TransformMode, wn: WordNet | null): TransformFeatures {
  const toks = terms(text);
  const plain = render(toks.map((t) => ({ ...t })), true).join(" ");
  if (mode === "none") return { caption_out: plain, entity_types: [], unresolved: 0, out_words: plain.split(" ").filter((w) => WORDISH.test(w)).length, changed: false };
  let types: string[] = [];
  let unresolved = 0;
  if (mode === "person-only") {
    for (const span of findSpans(toks, null)) {
      if (!toks.slice(span.start, span.end + 1).some((t) => t.tags.has("Person"))) continue;
      for (let k = span.start + 1; k <= span.end; k++) toks[k]!.drop = true;
      toks[span.start]!.replace = "<PERSON>";
      toks[span.start]!.post = toks[span.end]!.post;
      types.push("person");
    }
  } else {
    ({ types, unresolved } = hypernymize(toks, wn));
  }
  const tokens = mode === "hypernymize" ? collapseCoordinations(render(toks, true)) : render(toks, false);
  const caption = tokens.join(" ");
  return { caption_out: caption, entity_types: types, unresolved, out_words: tokens.filter((w) => WORDISH.test(w)).length, changed: caption.toLowerCase() !== plain };
}

export const TRANSFORM_RULES = TRANSFORM_DECL.rules;

export function transformDecision(features: TransformFeatures, options: TransformOptions, all = false): Decision {
  return decide(TRANSFORM_RULES, features, options, all);
}

/** The transform stage: the (cleaned) caption transformed; its word count is not stored (the SQL re-derives it). */
export const TRANSFORM_STAGE: StageOf<typeof TRANSFORM_DECL> = {
  decl: TRANSFORM_DECL,
  resources: ["wordnet"],
  columns: [
    col("caption_out", "utf8", "transformed (hypernymized) caption"),
    col("entity_types", "list<utf8>", "entity types substituted for named entities"),
    col("unresolved", "int32", "proper nouns left unresolved"),
    col("transform_changed", "bool", "whether the transformation changed the caption"),
  ],
  run(c, row, ctx) {
    const o = ctx.resolved.config.transform;
    const t = transformCaption(row.text_clean ?? c.alt ?? "", o.mode, ctx.wordnet);
    Object.assign(row, { caption_out: t.caption_out, entity_types: t.entity_types, unresolved: t.unresolved, transform_changed: t.changed });
    return [transformDecision(t, o, ctx.allReasons)];
  },
};
