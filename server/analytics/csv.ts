/**
 * CSV that opens safely in any spreadsheet (RFC 4180, CRLF line ends, UTF-8 with a byte-order mark so
 * Excel picks the encoding). Cells a spreadsheet would run as a formula (=, +, -, @, tab, carriage
 * return at the start, OWASP "CSV injection") get a leading apostrophe, which shows as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/

export const CSV_BOM = '\uFEFF'

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  let text = value
  if (FORMULA_START.test(text)) text = `'${text}`
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A decimal amount is written as-is (digits and one dot): it must stay a number in the sheet. */
export function csvDecimal(decimal: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(decimal)) throw new Error(`not a decimal: ${decimal}`)
  return decimal
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`
}
