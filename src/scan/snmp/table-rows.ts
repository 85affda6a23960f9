// Turns walked values of a conceptual table (ENTRY.column.index...) into rows keyed by index.
import { SnmpError, type SnmpTransport, type SnmpValue } from './transport.js';

export type TableRows = Map<string, Map<number, SnmpValue>>;

/** Walks the given columns of a table entry, a few at a time, and groups values by row index. */
export async function walkColumns(transport: SnmpTransport, entry: string, columns: number[], maxValues = 5000): Promise<TableRows> {
  const rows: TableRows = new Map();
  // A column a busy agent dropped (timeout) is asked once more; a table is data, its loss is not fatal.
  const walkColumn = (c: number): Promise<SnmpValue[]> => transport.walk(`${entry}.${c}`, { maxValues });
  const walked = await Promise.all(
    columns.map((c) => walkColumn(c).catch((error: unknown) => (error instanceof SnmpError && error.kind === 'timeout' ? walkColumn(c).catch(() => []) : []))),
  );
  walked.forEach((values, i) => {
    const column = columns[i]!;
    const prefix = `${entry}.${column}.`;
    for (const v of values) {
      if (!v.oid.startsWith(prefix)) continue;
      const index = v.oid.slice(prefix.length);
      let row = rows.get(index);
      if (!row) rows.set(index, (row = new Map()));
      row.set(column, v);
    }
  });
  return rows;
}

/** A MAC address from 6 octets, lower-case with colons; null for anything else or all-zero. */
export function macFromBytes(bytes: Uint8Array | undefined): string | null {
  if (!bytes || bytes.length !== 6) return null;
  if (bytes.every((b) => b === 0) || bytes.every((b) => b === 0xff)) return null;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** A MAC address from six dotted decimal sub-identifiers (an index such as 0.17.34.51.68.85). */
export function macFromIndex(parts: string[]): string | null {
  if (parts.length !== 6) return null;
  const bytes = parts.map(Number);
  if (bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) return null;
  return macFromBytes(new Uint8Array(bytes));
}

export function textOf(v: SnmpValue | undefined): string | undefined {
  const t = v?.text.trim();
  return t ? t : undefined;
}

export function numOf(v: SnmpValue | undefined): number | undefined {
  return v?.num !== undefined && Number.isFinite(v.num) ? v.num : undefined;
}
