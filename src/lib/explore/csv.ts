/** CSV as RFC 4180 writes it: CRLF line ends, a field quoted when it holds a quote, comma or line break. */

function field(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header line and one line per row; null and undefined become empty fields. Values are written exactly (no formula guarding). */
export function toCsv(rows: Iterable<Record<string, unknown>>, columns: readonly string[]): string {
  const lines = [columns.map(field).join(",")];
  for (const row of rows) lines.push(columns.map((c) => field(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
