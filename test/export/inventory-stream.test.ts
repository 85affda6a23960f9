// streamInventoryAsOf must answer exactly as inventoryAsOf (which holds the rules: two views per
// asset, "missing" only after a network scan, listing order), at every snapshot, with and without
// facts and filters, on the audit fixture (scans and an import) and on a generated inventory with
// churn. The streaming query exists for speed only; this keeps the two from drifting apart.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InventoryEntry } from '../../src/model/index.js';
import type { InventoryFilter } from '../../src/store/inventory-store.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { buildAuditFixture } from './audit-fixture.js';
import { generateSyntheticDb } from '../helpers/synthetic-db.js';

async function collect(it: AsyncIterable<InventoryEntry>): Promise<InventoryEntry[]> {
  const out: InventoryEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

async function expectSameAnswers(store: SqliteStore, filters: InventoryFilter[]): Promise<number> {
  let compared = 0;
  for (const s of await store.listSnapshots()) {
    for (const filter of filters) {
      for (const withFacts of [false, true]) {
        const expected = await store.inventoryAsOf(s.id, filter, { withFacts });
        const actual = await collect(store.streamInventoryAsOf(s.id, filter, { withFacts }));
        expect(actual, `snapshot ${s.id} ${JSON.stringify(filter)} facts=${withFacts}`).toEqual(expected);
        compared += actual.length;
      }
    }
  }
  return compared;
}

describe('streamInventoryAsOf answers as inventoryAsOf', () => {
  const dir = tempDir();

  it('on the audit fixture: scans, an import, a move, a gone and a new asset', async () => {
    const path = join(dir, 'fixture.db');
    await buildAuditFixture(path);
    const store = openSqliteStore(path);
    try {
      const n = await expectSameAnswers(store, [{}, { type: 'printer' }, { vendor: 'dell' }, { search: 'WS-2' }, { search: '00:1b:21:00:00:0' }]);
      expect(n).toBeGreaterThan(30);
    } finally {
      await store.close();
    }
  });

  describe('on a generated inventory with churn', () => {
    const path = join(dir, 'generated.db');
    beforeAll(async () => {
      // The benchmark's generator, small: 600 assets over 5 monthly snapshots.
      await generateSyntheticDb({ path, assets: 600, snapshots: 5, seed: 7 });
    });

    it('at every snapshot', async () => {
      const store = openSqliteStore(path);
      try {
        const n = await expectSameAnswers(store, [{}, { type: 'workstation' }]);
        expect(n).toBeGreaterThan(2000);
      } finally {
        await store.close();
      }
    });
  });
});
