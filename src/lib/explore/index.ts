/**
 * The dataset explorer's logic, free of DOM and Framework: the explore table's schema, datasets and
 * facets as data, SQL builders for search, facets, histograms and word statistics, the working
 * table in DuckDB, the generated dataset, URL state and CSV. Node-only loaders: ./node-index.ts.
 */
export {
  EXPLORE_COLUMNS, PUBLIC_COLUMNS, SUMMARY_KEY, exploreRows, urlDomain, categoryKey, describeSummary,
  type ExploreRow, type ExploreFields, type LoadSummary,
} from "./schema.js";
export {
  TOKEN_PATTERN, HYPERNYM_TERMS, tokenize, charCount, ngrams, countTerms, topTerms, isContentTerm, compareTermCounts, compareCodePoints,
  type TermCount, type NgramSize,
} from "./tokens.js";
export {
  DATASETS, FACETS, RANGES, GENERATED_SIZES, datasetInfo,
  type DatasetInfo, type DatasetStatus, type FacetInfo, type RangeInfo, type ImageSource,
} from "./datasets.js";
export {
  DEFAULT_STATE, SEARCH_MODES, MAX_RANGE_VALUE, MAX_PAGE, MAX_LINK_CHARS, encodeState, decodeState, normalizeState, linkQuery,
  type ExploreState, type ExploreFilters, type SearchMode, type Range, type DecodedState,
} from "./state.js";
export {
  quoteLiteral, quoteIdent, wordPattern, whereClause, searchPredicate, markPredicates, markSql, MARK_COLUMNS, countQuery, facetQuery, histogramQuery, pageIdsQuery, pageRowsQuery, selectionQuery, publicSelect,
  type TableFacts, type Bins, type MarkColumn, type Marks,
} from "./sql.js";
export { WORD_SAMPLE_ROWS, WORD_SAMPLE_SEED, wordStatsQuery, wordLists, wordBasis, type WordLists, type WordBasis, type WordStatsOptions } from "./words.js";
export { prepareTable, describeTable, loadTable, dropTable, tableExists, niceBins, type ExploreDb } from "./table.js";
export { generateSql, generateTable } from "./generate.js";
export { filterOutputSql, adaptFilterOutput, domainSql } from "./adapt.js";
export { toCsv } from "./csv.js";
export { fromSynthCandidates, fromCaptionPairs, fromCocoCaptions, type SynthCandidate } from "./convert.js";
export { facetValues, histogramBins, type FacetValue, type FacetResult, type HistogramBin } from "./results.js";
