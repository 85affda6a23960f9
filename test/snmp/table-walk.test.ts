// How table walks size their GetBulk requests on a recorded agent: growing with what came, or
// sized by the expected row count, and the same rows either way.
import { describe, expect, it } from 'vitest';
import { openRecordedTransport } from '../../src/scan/snmp/recorded-transport.js';
import { parseSnmprec } from '../../src/scan/snmp/snmprec.js';
import { walkTables } from '../../src/scan/snmp/table-rows.js';
import type { SnmpTransport } from '../../src/scan/snmp/transport.js';

const ENTRY = '1.3.6.1.4.1.99999.1.1';
/** A two-column table of `rows` rows, then 200 values of another subtree after it. */
function agent(rows: number): SnmpTransport & { asked: number[] } {
  const lines: string[] = [];
  for (const column of [1, 2]) for (let r = 1; r <= rows; r++) lines.push(`${ENTRY}.${column}.${r}|2|${column * 1000 + r}`);
  for (let r = 1; r <= 200; r++) lines.push(`1.3.6.1.4.1.99999.2.${r}|2|${r}`);
  const inner = openRecordedTransport(parseSnmprec(lines.join('\n') + '\n'));
  const asked: number[] = [];
  return {
    asked,
    get: (oids) => inner.get(oids),
    getNext: (oids) => inner.getNext(oids),
    getBulk: (oids, reps) => (asked.push(reps), inner.getBulk(oids, reps)),
    walk: (subtree, options) => inner.walk(subtree, options),
    close: () => inner.close(),
  };
}

const expectRows = (rows: Map<string, Map<number, { num?: number }>>, n: number) => {
  expect(rows.size).toBe(n);
  for (let r = 1; r <= n; r++) expect([rows.get(String(r))?.get(1)?.num, rows.get(String(r))?.get(2)?.num]).toEqual([1000 + r, 2000 + r]);
};

describe('table walks', () => {
  it('ask about as many rows again as came so far, up to the caps', async () => {
    const t = agent(100);
    const [rows] = await walkTables(t, [{ entry: ENTRY, columns: [1, 2] }]);
    expectRows(rows!, 100);
    // 4, then 4 (8 so far), 8, 16, then the 32 that two subtrees may share of a 64-value request
    // (32, 64, 96 and the last 4 rows so far).
    expect(t.asked).toEqual([4, 4, 8, 16, 32, 32, 32]);
  });

  it('ask for the expected rows and one more when the row count is known', async () => {
    const t = agent(20);
    const [rows] = await walkTables(t, [{ entry: ENTRY, columns: [1, 2], hint: { rows: 20 } }]);
    expectRows(rows!, 20);
    expect(t.asked).toEqual([21]);
  });

  it('keep walking past a row count that was too low', async () => {
    const t = agent(30);
    const [rows] = await walkTables(t, [{ entry: ENTRY, columns: [1, 2], hint: { rows: 10 } }]);
    expectRows(rows!, 30);
    expect(t.asked[0]).toBe(11);
  });
});
