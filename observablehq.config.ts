// Observable Framework configuration for the Conceptual Workbench report.
// Everything the site needs is served from its own origin: no remote fonts,
// no DuckDB extension downloads, npm imports pre-built from node_modules by
// tools/offline-npm-cache.ts (run by `npm run build` before `observable build`).
export default {
  title: "Conceptual Workbench",
  root: "src",
  // Pages in reading order; later capabilities append theirs here.
  pages: [
    { name: "Filter attrition", path: "/pages/attrition" },
    { name: "Hypernymization", path: "/pages/hypernymization" },
    { name: "The synthetic world", path: "/pages/world" },
    { name: "Dataset explorer", path: "/pages/explore" },
    { name: "DALL-E's discrete VAE", path: "/pages/dvae" },
    { name: "DALL-E's transformer", path: "/pages/transformer" },
    { name: "Captioning: COCO vs Conceptual", path: "/pages/captioning" },
    { name: "Reproduce", path: "/pages/reproduce" }
  ],
  // The default theme pulls a web font from a remote host; use local fonts only.
  globalStylesheets: [],
  // Pending cells say "loading…" beside Framework's spinning glyph (only the glyph spins), so slow cells read as loading.
  // Observable Inputs label a range's number box but not its slider: give each slider its form's label as its accessible name.
  // The site's icon (src/favicon.svg, copied by Framework as a referenced file), so browsers do not ask for a missing /favicon.ico.
  head: "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">" +
    "<style>observablehq-loading{animation:none;transform:none}observablehq-loading::before{display:inline-block;transform-origin:50% 55%;animation:observablehq-loading 1s linear infinite}observablehq-loading::after{content:\" loading…\"}</style>" +
    "<script>new MutationObserver(() => { for (const r of document.querySelectorAll('form input[type=range]:not([aria-label])')) { const l = r.closest('form').querySelector('label'); if (l && l.textContent.trim()) r.setAttribute('aria-label', l.textContent.trim()); } }).observe(document.documentElement, {childList: true, subtree: true});</script>",
  theme: ["air", "near-midnight"],
  // DuckDB-WASM extensions would be downloaded at build time; Arrow IPC needs none.
  duckdb: { extensions: { json: null, parquet: null } },
  search: false,
  footer: "Conceptual Workbench — built from source; paper figures are labelled “paper reference”.",
  cleanUrls: true
};
