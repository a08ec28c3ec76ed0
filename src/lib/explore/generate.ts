/**
 * A dataset of any size made by DuckDB itself, so the explorer can be tried (and benchmarked) at a
 * million rows without shipping a million rows: captions assembled from phrase lists, with the
 * synthetic world's noise classes, styles and object categories, and web URLs on the reserved
 * .example domain (RFC 2606: they never resolve). Deterministic: DuckDB's hash of the row number
 * picks every part.
 */
import { CATEGORIES, NOISE_CLASSES, STYLES } from "../synth/index.js";
import { derivedColumnsSql } from "./adapt.js";
import { quoteIdent, quoteLiteral } from "./sql.js";
import { prepareTable, type ExploreDb } from "./table.js";
import type { TableFacts } from "./sql.js";
import { TOKEN_PATTERN } from "./tokens.js";

const PREFIXES = ["", "", "", "", "photo of ", "image may contain : ", "illustration of ", "vector illustration of ", "portrait of "];
const SUBJECTS = [
  "person", "actor", "artist", "a young woman", "a man", "football player", "politician", "a dog", "a cat", "pop artist",
  "the team", "a little girl", "tourists", "a couple", "rock artist", "athlete", "an old man", "children",
];
const VERBS = [
  "walks along", "performs on", "sits on", "stands in front of", "plays with", "looks at", "poses with", "arrives at",
  "runs through", "waits near", "attends", "celebrates at",
];
const OBJECTS = [
  "the beach", "a stage", "a red car", "the city", "a wooden table", "the premiere", "a snowy road", "a kite", "the park",
  "a birthday cake", "tourist attraction", "the river", "a busy street", "the old house", "a white background",
];
const TAILS = ["", "", "", " during the festival", " at sunset", " in the rain", " with friends", " on a sunny day", " in city", " before the game", " after the show in country"];
/** Mostly good alt-text, like a crawl after cheap filters. */
const NOISE = [...NOISE_CLASSES, "good", "good", "good", "good", "good"];

function pick(list: readonly string[], salt: number): string {
  return `[${list.map(quoteLiteral).join(", ")}][1 + (hash(i, ${salt}) % ${list.length})::BIGINT]`;
}

/** The CREATE TABLE statement for `rows` generated explore rows. */
export function generateSql(table: string, rows: number): string {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`rows must be a whole number >= 0, got ${rows}`);
  const categories = CATEGORIES.map((c) => c.id);
  const caption = `${pick(PREFIXES, 1)} || ${pick(SUBJECTS, 2)} || ' ' || ${pick(VERBS, 3)} || ' ' || ${pick(OBJECTS, 4)} || ${pick(TAILS, 5)}`;
  // A Zipf-like skew: a few domains hold most images, as on the web.
  const domain = `'site' || (floor(2000 * pow((hash(i, 9) % 1000003)::DOUBLE / 1000003, 3)))::INTEGER::VARCHAR || '.example'`;
  const set = `[${pick(categories, 10)}, CASE WHEN hash(i, 11) % 2 = 0 THEN ${pick(categories, 12)} END, CASE WHEN hash(i, 13) % 4 = 0 THEN ${pick(categories, 14)} END]`;
  const token = quoteLiteral(TOKEN_PATTERN);
  return `CREATE TABLE ${quoteIdent(table)} AS
SELECT row_id, id, caption, 'https://' || domain || '/images/' || row_id::VARCHAR || '.jpg' AS url, domain,
  ${derivedColumnsSql()},
  noise_class, NULL::VARCHAR AS status, style, categories, NULL::VARCHAR AS image
FROM (
  SELECT *, regexp_extract_all(lower(caption), ${token}) AS t FROM (
    SELECT i::INTEGER AS row_id, 'g-' || i::VARCHAR AS id, ${caption} AS caption, ${domain} AS domain,
      ${pick(NOISE, 7)} AS noise_class, ${pick(STYLES, 8)} AS style,
      array_to_string(list_sort(list_distinct(${set})), ',') AS categories
    FROM range(${rows}) t(i)
  )
)`;
}

/** Generates and prepares the table; returns its facts. */
export async function generateTable(db: ExploreDb, table: string, rows: number): Promise<TableFacts> {
  const raw = `${table}__raw`;
  await db.query(generateSql(raw, rows));
  return prepareTable(db, raw, table);
}
