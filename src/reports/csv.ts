/**
 * CSV as spreadsheets in the Netherlands open it: UTF-8 with a byte-order mark, `;` between
 * cells, CRLF between lines, quotes where a cell needs them (RFC 4180 otherwise). A cell that a
 * spreadsheet would take for a formula (=, +, -, @ first) gets a leading apostrophe.
 */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(cell).join(';')).join('\r\n')}\r\n`;
}

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A download's headers: the file name, and no caching of figures that change. */
export const csvHeaders = (filename: string) => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
  'cache-control': 'no-store',
});
