/**
 * Part-of-speech tagging for the text and transform stages: compromise's terms with their tags,
 * exactly as `nlp(text).json()` gives them, several times faster. Four changes, none of which
 * alters a tag (test/lib/filter/tagging.test.ts holds them equal to the plain call):
 *  1. The post-tagger's match selection. compromise picks, per sentence, the patterns whose
 *     cached words and tags occur in it by walking every one of its ~730 hook keys and
 *     concatenating their lists (sweep/01-getHooks.js), then filters them (02-trim-down.js).
 *     `fastBulkMatch` finds the same list, in the same order, from an index built once per
 *     pattern set: each pattern filed under one key it needs (or each key it wants), so a
 *     sentence visits only the patterns one of its own keys points to. It replaces
 *     `methods.one.bulkMatch` on compromise's world (a process-wide, output-identical change;
 *     small pattern sets, such as a one-off `doc.match()`, keep the original).
 *  2. No chunker or typeahead: `nlp()` ends with the "chunks" hook, which sets term.chunk and
 *     never a tag, and neither stage reads chunks; "typeahead" looks prefixes up in a lexicon
 *     only its plugin fills.
 *  3. The last texts tagged are remembered: the transform stage tags the text the text stage
 *     just tagged (the cropped alt-text), so a candidate is tagged once.
 *  4. Batches: `tagMany` tags a batch of texts as one document of all their sentences, which
 *     saves compromise's per-document work (~1.4× on the synthetic alt-texts). compromise tags
 *     sentence by sentence, so each text's tags are those it gets alone (tested on the crawl's
 *     and CC3M's texts).
 */
import type nlpType from "compromise";
import { nlpPackages } from "./nlp-packages.js";

/** One compromise term: what the stages read of `nlp(text).json()[i].terms[j]`. */
export interface TaggedTerm {
  readonly text: string;
  readonly pre: string;
  readonly post: string;
  readonly tags: readonly string[];
}

// compromise's internals that the fast path touches, typed as far as it reads them.
interface Term {
  text: string;
  pre: string;
  post: string;
  tags: Set<string>;
}
interface MatchObject {
  match: string;
  needs: string[];
  wants: string[];
  ifNo?: string[];
  minWant: number;
  minWords: number;
  unTag?: unknown;
}
interface Net {
  hooks: Record<string, MatchObject[]>;
  always: MatchObject[];
}
interface Found extends MatchObject {
  pointer: number[];
}
interface Methods {
  one: {
    cacheDoc(document: Term[][]): Set<string>[];
    match(document: Term[][], regs: MatchObject): { ptrs: number[][] };
    bulkMatch(document: Term[][], net: Net, methods: Methods, opts?: { matchOne?: boolean }): Found[];
    tokenize: { fromString(text: string, world: World): Term[][] };
  };
}
interface World {
  methods: Methods;
  hooks: string[];
}
interface Doc {
  docs: Term[][];
  compute(hooks: string[]): Doc;
}

/** compromise, once plugged in (useCompromise): its world, document class, own match selection and the hooks that tag. */
interface Engine {
  nlp: typeof nlpType;
  world: World;
  View: new (document: Term[][]) => Doc;
  originalBulkMatch: Methods["one"]["bulkMatch"];
  hooks: string[];
}
let engine: Engine | null = null;

/** compromise's world set up once, on first use: the indexed selection replaces its own (module comment, 1). */
function setUp(nlp: typeof nlpType): Engine {
  const world = nlp.world() as World;
  const View = (nlp("") as unknown as { constructor: new (document: Term[][]) => Doc }).constructor;
  const set = { nlp, world, View, originalBulkMatch: world.methods.one.bulkMatch, hooks: taggingHooks(world) };
  world.methods.one.bulkMatch = fastBulkMatch;
  return set;
}

/** compromise, plugged in by nlp.ts (nlp-packages.ts), set up on first use. */
function tagger(): Engine {
  engine ??= setUp(nlpPackages().nlp);
  return engine;
}

/** Pattern sets with fewer hooked patterns than this keep compromise's own selection (indexing them would cost more). */
const MIN_INDEXED = 64;

/** A pattern set's selection index (see the module comment, 1). */
interface NetIndex {
  /** Key -> the patterns filed under it. */
  byKey: Map<string, Entry[]>;
  /** How many entries (the stamp arrays' size). */
  size: number;
}
interface Entry {
  id: number;
  obj: MatchObject;
  /** The pattern's hook keys with its place in compromise's concatenation: rank of the key × LIST_STRIDE + index in the key's list. */
  keys: string[];
  places: number[];
}
/** Longer than any hook list, so rank × LIST_STRIDE + index orders by key first. */
const LIST_STRIDE = 1 << 20;

const indexes = new WeakMap<Net, NetIndex | null>();

function buildIndex(net: Net): NetIndex | null {
  const entries = new Map<MatchObject, Entry>();
  Object.keys(net.hooks).forEach((key, rank) => {
    net.hooks[key]!.forEach((obj, i) => {
      let e = entries.get(obj);
      if (!e) entries.set(obj, (e = { id: entries.size, obj, keys: [], places: [] }));
      e.keys.push(key);
      e.places.push(rank * LIST_STRIDE + i);
    });
  });
  if (entries.size < MIN_INDEXED) return null;
  const byKey = new Map<string, Entry[]>();
  const file = (key: string, e: Entry) => byKey.set(key, [...(byKey.get(key) ?? []), e]);
  for (const e of entries.values()) {
    // A pattern is kept only when all its needs are present, so any one need finds it: the rarest is visited least.
    const { needs, wants } = e.obj;
    if (needs.length > 0) file(needs.reduce((a, b) => (commonness(b) < commonness(a) ? b : a)), e);
    else for (const w of new Set(wants)) file(w, e);
  }
  return { byKey, size: entries.size };
}

/**
 * The hook keys most sentences have, commonest first (counted over the synthetic crawl's alt-texts at the
 * post-tagger); any other word or tag is rarer. Only which need a pattern is filed under depends on it, never
 * which patterns are chosen.
 */
const COMMON_KEYS = [
  "#Noun", "#Singular", "#Determiner", "#Preposition", "#Adjective", "#Verb", "#Plural", "#PresentTense", "#ProperNoun", "#Conjunction",
  "#Value", "#Cardinal", "a", "in", "and", "the", "of", "#Infinitive", "#TextValue", "#Date", "#Place", "#NumericValue",
];
function commonness(key: string): number {
  const at = COMMON_KEYS.indexOf(key);
  return at < 0 ? 0 : COMMON_KEYS.length - at;
}

/** Where compromise's concatenation first meets the pattern for a sentence with cache `haves` (Infinity: not hooked). */
function placeIn(e: Entry, haves: Set<string>): number {
  let best = Infinity;
  for (let k = 0; k < e.keys.length; k++) if (e.places[k]! < best && haves.has(e.keys[k]!)) best = e.places[k]!;
  return best;
}

/** compromise's trim-down (02-trim-down.js): needs met, no ifNo present, enough wants. */
function passesTrim(obj: MatchObject, haves: Set<string>): boolean {
  const { needs, ifNo, wants } = obj;
  for (let i = 0; i < needs.length; i++) if (!haves.has(needs[i]!)) return false;
  if (ifNo !== undefined) for (let i = 0; i < ifNo.length; i++) if (haves.has(ifNo[i]!)) return false;
  if (wants.length === 0) return true;
  let found = 0;
  for (let i = 0; i < wants.length; i++) if (haves.has(wants[i]!)) found++;
  return found >= obj.minWant;
}

let stamp = new Int32Array(0);
let generation = 0;

/** The patterns compromise would try on one sentence, in its order (getHooks + trimDown). */
function selectFor(index: NetIndex, haves: Set<string>): MatchObject[] {
  if (stamp.length < index.size) stamp = new Int32Array(index.size);
  if (++generation === 0x7fffffff) {
    stamp.fill(0);
    generation = 1;
  }
  const chosen: { place: number; obj: MatchObject }[] = [];
  for (const key of haves) {
    const filed = index.byKey.get(key);
    if (filed === undefined) continue;
    for (const e of filed) {
      if (stamp[e.id] === generation) continue;
      stamp[e.id] = generation;
      if (!passesTrim(e.obj, haves)) continue;
      // compromise's de-duplication by match string never fires here: buildNet already left one pattern per match string.
      chosen.push({ place: placeIn(e, haves), obj: e.obj });
    }
  }
  chosen.sort((a, b) => a.place - b.place);
  return chosen.map((c) => c.obj);
}

/** compromise's bulkMatch (sweep/index.js) with the indexed selection; runs the matches exactly as 04-runMatch.js does. */
function fastBulkMatch(document: Term[][], net: Net, methods: Methods, opts: { matchOne?: boolean } = {}): Found[] {
  let index = indexes.get(net);
  if (index === undefined) indexes.set(net, (index = buildIndex(net)));
  if (index === null) return tagger().originalBulkMatch(document, net, methods, opts);
  const caches = methods.one.cacheDoc(document);
  const results: Found[] = [];
  for (let n = 0; n < document.length; n++) {
    const termCount = document[n]!.length;
    const maybe = net.always.length > 0 ? selectFor(index, caches[n]!).concat(net.always) : selectFor(index, caches[n]!);
    for (const m of maybe) {
      if (termCount < m.minWords) continue;
      const res = methods.one.match([document[n]!], m);
      if (res.ptrs.length === 0) continue;
      for (const ptr of res.ptrs) {
        ptr[0] = n;
        const todo: Found = Object.assign({}, m, { pointer: ptr });
        if (m.unTag !== undefined) todo.unTag = m.unTag;
        results.push(todo);
      }
      if (opts.matchOne === true) return [results[0]!];
    }
  }
  return results;
}

/**
 * compromise's hooks for a string, without the two that set no tag (see the module comment, 2): the chunker
 * (term.chunk) and `typeahead` (prefix lookups of a lexicon that only a plugin fills; empty here).
 */
const taggingHooks = (world: World): string[] => world.hooks.filter((h) => h !== "chunks" && h !== "typeahead");

/** How many recent texts keep their terms (the transform stage asks for the one the text stage just tagged). */
const RECENT = 4;
const recent = new Map<string, readonly TaggedTerm[]>();
/** Texts tagMany() tags in one compromise document, at most (a longer call is tagged in several). */
export const MAX_BATCH = 64;
/** The last tagMany() call's texts and their terms. */
let batch = new Map<string, readonly TaggedTerm[]>();

/** The stages' view of tagged sentences: each term's text, white space and tags, frozen. */
function termsOf(sentences: readonly Term[][]): readonly TaggedTerm[] {
  const out: TaggedTerm[] = [];
  for (const sentence of sentences) for (const t of sentence) out.push(Object.freeze({ text: t.text, pre: t.pre, post: t.post, tags: Object.freeze(Array.from(t.tags)) }));
  return Object.freeze(out);
}

function tagAlone(text: string): readonly TaggedTerm[] {
  if (!text) return Object.freeze([]);
  const { world, View, hooks } = tagger();
  return termsOf(new View(world.methods.one.tokenize.fromString(text, world)).compute(hooks).docs);
}

/** compromise's terms of `text` with their tags, as `nlp(text).json()` lists them over its sentences. */
export function tagTerms(text: string): readonly TaggedTerm[] {
  const hit = batch.get(text) ?? recent.get(text);
  if (hit !== undefined) return hit;
  const terms = tagAlone(text);
  if (recent.size >= RECENT) recent.delete(recent.keys().next().value!);
  recent.set(text, terms);
  return terms;
}

/**
 * Tags several texts at once, as compromise documents of at most MAX_BATCH texts' sentences (the module comment, 4),
 * and keeps them all until the next call (the caller bounds how many: the pipeline passes one FILTER_BATCH), so that
 * tagTerms() of each finds its terms: what tagTerms(text) gives it alone.
 */
export function tagMany(texts: readonly string[]): void {
  batch = new Map();
  for (let from = 0; from < texts.length; from += MAX_BATCH) {
    const todo = [...new Set(texts.slice(from, from + MAX_BATCH))].filter((t) => t.length > 0 && !batch.has(t));
    if (todo.length === 0) continue;
    const { world, View, hooks } = tagger();
    const parts = todo.map((t) => world.methods.one.tokenize.fromString(t, world));
    const docs = new View(parts.flat()).compute(hooks).docs;
    // Every hook keeps the sentences it was given; were one to split or join them, each text is tagged alone.
    if (docs.length !== parts.reduce((n, p) => n + p.length, 0)) {
      for (const t of todo) batch.set(t, tagAlone(t));
      continue;
    }
    let at = 0;
    parts.forEach((sentences, i) => {
      batch.set(todo[i]!, termsOf(docs.slice(at, at + sentences.length)));
      at += sentences.length;
    });
  }
}

/** The plain call this module stands in for, with compromise's own selection (tests compare against it). */
export function referenceTerms(text: string): TaggedTerm[] {
  const { nlp, world, originalBulkMatch } = tagger();
  const current = world.methods.one.bulkMatch;
  world.methods.one.bulkMatch = originalBulkMatch;
  try {
    const sentences = nlp(text).json() as { terms: TaggedTerm[] }[];
    return sentences.flatMap((s) => s.terms.map((t) => ({ text: t.text, pre: t.pre, post: t.post, tags: t.tags })));
  } finally {
    world.methods.one.bulkMatch = current;
  }
}

/** Switches every caller of compromise in this process to its own match selection (true) or the indexed one (false): the bench's "before". */
export function useOriginalSweep(original: boolean): void {
  const { world, originalBulkMatch } = tagger();
  world.methods.one.bulkMatch = original ? originalBulkMatch : fastBulkMatch;
}
