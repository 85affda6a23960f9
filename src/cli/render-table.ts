// Listings: an aligned table on a TTY; tab-separated lines with a header when piped, so scripts
// can rely on the columns (stable order, no padding, no colour).
import type { Output } from './output.js';

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  /** Right-align (numbers). */
  right?: boolean;
}

export function renderTable<T>(rows: T[], columns: Column<T>[], output: Output): string {
  const cells = rows.map((row) => columns.map((c) => clean(c.value(row))));
  if (!output.stdoutIsTTY) {
    return [columns.map((c) => c.header), ...cells].map((line) => line.join('\t')).join('\n') + '\n';
  }
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const pad = (text: string, i: number): string =>
    columns[i]!.right ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const header = columns.map((c, i) => pad(c.header, i)).join('  ').trimEnd();
  const lines = cells.map((r) => r.map((text, i) => pad(text, i)).join('  ').trimEnd());
  return [output.style('bold', header), ...lines].join('\n') + '\n';
}

/** Network strings may hold control characters: never let them move the cursor or ring the bell. */
export function clean(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}
