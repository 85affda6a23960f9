// Formula injection: a spreadsheet runs a cell that starts with = + - @ (or tab / carriage return,
// which some parsers skip before such a character) as a formula. Every string that came from the
// network is hostile, so such cells get a leading apostrophe, as OWASP's CSV injection guidance says.
// Numbers are written as numbers and need nothing.

const FORMULA_START = /^[=+\-@\t\r]/;

export function sanitizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Excel's limit on the characters in one cell. */
export const MAX_CELL_CHARS = 32_767;

/**
 * A string for an XLSX cell: control characters (which XML 1.0 cannot carry and which only confuse
 * a reader) become spaces, overlong text is cut to what Excel accepts, then the formula guard runs.
 */
export function sheetText(value: string): string {
  // eslint-disable-next-line no-control-regex
  let text = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, ' ');
  if (text.length > MAX_CELL_CHARS) text = `${text.slice(0, MAX_CELL_CHARS - 1)}…`;
  return sanitizeCell(text);
}
