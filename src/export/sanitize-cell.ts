// Formula injection: a spreadsheet runs a cell that starts with = + - @ (or tab / carriage return,
// which some parsers skip before such a character) as a formula. Every string that came from the
// network is hostile, so such cells get a leading apostrophe, as OWASP's CSV injection guidance says.
// Numbers are written as numbers and need nothing.

const FORMULA_START = /^[=+\-@\t\r]/;

export function sanitizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function sanitizeRow<T extends object>(row: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = typeof value === 'string' ? sanitizeCell(value) : value;
  return out as T;
}
