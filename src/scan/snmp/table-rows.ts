// Turns walked values of a conceptual table (ENTRY.column.index...) into rows keyed by index.
import { compareOids, inSubtree, SnmpError, type SnmpTransport, type SnmpValue } from './transport.js';

export type TableRows = Map<string, Map<number, SnmpValue>>;

/**
 * Varbinds asked per GetBulk (repetitions x subtrees), shared among the subtrees still open. Kept at
 * most 64, with at most 64 subtrees per request: pysnmp-based agents (snmpsim) cap a GetBulk at 64
 * varbinds by a float division and spin for ever when repetitions x subtrees exceeds it.
 */
const VARBINDS_PER_REQUEST = 64;
/** Repetitions of a first request: little junk for an absent or empty table (which then costs no more). */
const FIRST_REPETITIONS = 4;
const MAX_REPETITIONS = 50;

/**
 * A walk's requests grow with what it has found (each asks about as many rows again as came so far,
 * up to the caps) rather than jumping to the cap: an agent answers every repetition asked, past the
 * end of the subtree too, and on the 46 shared recordings that junk was 30% of the values asked for.
 * An agent's cost is mostly per value (snmpsim: about 0.2 ms a value, 0.8 ms a request), so a few
 * more, smaller requests for a small table cost less than one full one.
 */
export interface WalkHint {
  /** Rows the table is expected to have (ifNumber for ifTable): the walk asks for no more than that, plus one to see the end. */
  rows?: number;
}

interface Cursor {
  subtree: string;
  expectedRows: number | undefined;
  /** The OID to ask after next (the last value kept, or the subtree itself). */
  last: string;
  values: SnmpValue[];
  done: boolean;
}

/**
 * Walks several subtrees (table columns, usually of one table) together: each GetBulk asks for every
 * subtree still open, and each advances on its own. A subtree is closed when its walk leaves it, hits
 * endOfMibView, answers a non-increasing OID, or reaches `maxValues` (an endless table); so an absent
 * or empty column costs no request of its own after the first. A request that times out is asked once
 * more; after that, or when the device budget is spent, the values so far are kept. An agent that
 * answers a multi-OID request with an error (out-of-order OIDs...) is walked one subtree at a time.
 */
export async function walkSubtrees(transport: SnmpTransport, subtrees: string[], maxValues: number, hints: (WalkHint | undefined)[] = []): Promise<SnmpValue[][]> {
  const cursors: Cursor[] = subtrees.map((subtree, i) => ({ subtree, expectedRows: hints[i]?.rows, last: subtree, values: [], done: false }));
  await walkCursors(transport, cursors, Math.max(1, maxValues));
  return cursors.map((c) => c.values);
}

async function walkCursors(transport: SnmpTransport, cursors: Cursor[], maxValues: number): Promise<void> {
  let first = true;
  let retried = false;
  for (;;) {
    const active = cursors.filter((c) => !c.done).slice(0, VARBINDS_PER_REQUEST);
    if (active.length === 0) return;
    const room = Math.max(...active.map((c) => maxValues - c.values.length));
    // One repetition count serves every open subtree: the largest that one of them wants.
    const wanted = Math.max(...active.map((c) => wantedRepetitions(c, first)));
    const reps = Math.max(1, Math.min(Math.floor(VARBINDS_PER_REQUEST / active.length), wanted, room));
    let answer: (SnmpValue | null)[][];
    try {
      answer = await transport.getBulk(
        active.map((c) => c.last),
        reps,
      );
    } catch (error) {
      const kind = error instanceof SnmpError ? error.kind : 'error';
      if (kind === 'timeout' && !retried) {
        retried = true;
        continue;
      }
      if (kind === 'protocol-error' && active.length > 1) {
        await Promise.all(active.map((c) => walkCursors(transport, [c], maxValues)));
      }
      return;
    }
    first = false;
    retried = false;
    // Some agents answer fewer varbinds than asked (message size; net-snmp's agent caps the whole
    // answer at maxRepetitions): a subtree with nothing in the answer stays open for the next request.
    let answered = false;
    active.forEach((c, i) => {
      const got = answer[i] ?? [];
      if (got.length > 0) answered = true;
      for (const v of got) {
        if (v === null || !inSubtree(c.subtree, v.oid) || compareOids(v.oid, c.last) <= 0) {
          c.done = true;
          break;
        }
        c.values.push(v);
        c.last = v.oid;
        if (c.values.length >= maxValues) {
          c.done = true;
          break;
        }
      }
    });
    // An agent that answers nothing at all for the open subtrees would be asked for ever.
    if (!answered) for (const c of active) c.done = true;
  }
}

/** Repetitions a subtree would ask for next: its expected rows left and one more, else as many as it has. */
function wantedRepetitions(c: Cursor, first: boolean): number {
  const got = c.values.length;
  if (c.expectedRows !== undefined && got < c.expectedRows) return c.expectedRows - got + 1;
  if (first) return FIRST_REPETITIONS;
  return Math.min(MAX_REPETITIONS, Math.max(FIRST_REPETITIONS, got));
}

/** Walks the given columns of a table entry together and groups values by row index. */
export async function walkColumns(transport: SnmpTransport, entry: string, columns: number[], maxValues = 5000): Promise<TableRows> {
  return (await walkTables(transport, [{ entry, columns }], maxValues))[0]!;
}

/** Walks the columns of several tables in the same requests; one TableRows per table. */
export async function walkTables(transport: SnmpTransport, tables: { entry: string; columns: number[]; hint?: WalkHint }[], maxValues = 5000): Promise<TableRows[]> {
  const subtrees = tables.flatMap((t) => t.columns.map((c) => `${t.entry}.${c}`));
  const hints = tables.flatMap((t) => t.columns.map(() => t.hint));
  const walked = await walkSubtrees(transport, subtrees, maxValues, hints);
  let k = 0;
  return tables.map(({ entry, columns }) => {
    const rows: TableRows = new Map();
    for (const column of columns) {
      const prefix = `${entry}.${column}.`;
      for (const v of walked[k++]!) {
        if (!v.oid.startsWith(prefix)) continue;
        const index = v.oid.slice(prefix.length);
        let row = rows.get(index);
        if (!row) rows.set(index, (row = new Map()));
        row.set(column, v);
      }
    }
    return rows;
  });
}

/** OIDs per GET of getRows: rows of a few columns, well inside a 1,500-byte answer. */
const GET_ROWS_CHUNK = 24;

/**
 * Reads the given columns of the given rows with GETs (a table's chosen rows, when walking every
 * row would read far more). A column a row lacks is simply absent. A GET that times out is asked
 * once more; one that fails otherwise (tooBig, an agent's error) is asked again in halves, so one
 * bad cell costs only its own value.
 */
export async function getRows(transport: SnmpTransport, entry: string, indexes: string[], columns: number[]): Promise<TableRows> {
  const rows: TableRows = new Map();
  const oids = indexes.flatMap((index) => columns.map((column) => `${entry}.${column}.${index}`));
  const prefix = `${entry}.`;
  const ask = async (part: string[], retried = false): Promise<void> => {
    let values: SnmpValue[];
    try {
      values = await transport.get(part);
    } catch (error) {
      const kind = error instanceof SnmpError ? error.kind : 'error';
      if (kind === 'timeout') return retried ? undefined : ask(part, true);
      if (kind === 'auth-failed' || part.length === 1) return;
      const half = Math.ceil(part.length / 2);
      await ask(part.slice(0, half));
      await ask(part.slice(half));
      return;
    }
    for (const v of values) {
      if (!v.oid.startsWith(prefix)) continue;
      const rest = v.oid.slice(prefix.length);
      const dot = rest.indexOf('.');
      const column = Number(rest.slice(0, dot));
      const index = rest.slice(dot + 1);
      let row = rows.get(index);
      if (!row) rows.set(index, (row = new Map()));
      row.set(column, v);
    }
  };
  for (let i = 0; i < oids.length; i += GET_ROWS_CHUNK) await ask(oids.slice(i, i + GET_ROWS_CHUNK));
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
