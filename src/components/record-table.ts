/** A plain, fully rendered HTML table of query results; every cell is set as text, never as HTML. */
export interface RecordTableOptions {
  /** Columns to show, in order; defaults to the first row's keys. */
  columns?: readonly string[];
  /** Formats a cell for display; defaults to String(value), "—" for null. */
  format?: (value: unknown, column: string) => string;
  /** id attribute for the table element (tests and links find it by id). */
  id?: string;
}

const defaultFormat = (value: unknown): string => (value === null || value === undefined ? "—" : String(value));

export function recordTable(rows: readonly Record<string, unknown>[], options: RecordTableOptions = {}): HTMLTableElement {
  const columns = options.columns ?? (rows.length > 0 ? Object.keys(rows[0]!) : []);
  const format = options.format ?? defaultFormat;
  const table = document.createElement("table");
  if (options.id) table.id = options.id;
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement("th");
    th.textContent = column;
    th.scope = "col";
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const column of columns) {
      const td = tr.insertCell();
      td.textContent = format(row[column], column);
      td.dataset.column = column;
      // The raw value, machine-readable, so a reader (or a test) can copy it exactly.
      td.dataset.value = JSON.stringify(row[column] ?? null, (_, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
    }
  }
  return table;
}
