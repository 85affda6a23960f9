// The store against a real SQLite file: migrations, the lock, and "inventory as of a snapshot".
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LockHeldError, type DeviceSummary } from '../../src/model/index.js';
import type { RecordRow } from '../../src/store/inventory-store.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { summary as summaryOf } from '../inventory/fixtures.js';

const meta = (startedAt: string) => ({
  startedAt,
  label: null,
  targets: ['10.0.0.0/24'],
  scanners: ['discover:tcp'],
  options: {},
  toolVersion: 'test',
  pid: 4242,
  host: 'scanner-host',
});

function row(assetId: number, address: string, seenAt: string, extra: Partial<DeviceSummary> = {}, newAsset = false): RecordRow {
  const summary = summaryOf({ address, ...extra });
  return { assetId, newAsset, seenAt, summary, facts: {}, statuses: { 'discover:tcp': 'ok' }, evidence: [], conflicts: [] };
}

describe('SQLite store', () => {
  it('creates the file owner-only, migrates to the current schema, passes integrity_check', async () => {
    const path = join(tempDir(), 'sub', 'inv.db');
    const store = openSqliteStore(path);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(store.integrityCheck()).toBe('ok');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await store.close();
  });

  it('takes the lock only when no live run holds it, and marks dead runs interrupted', async () => {
    const store = openSqliteStore(join(tempDir(), 'inv.db'));
    const first = await store.beginSnapshot(meta('2026-01-01T00:00:00Z'), () => true);
    expect(first).toEqual({ id: 1, interrupted: [] });
    await expect(store.beginSnapshot(meta('2026-01-01T00:01:00Z'), () => true)).rejects.toThrow(LockHeldError);
    await expect(store.beginSnapshot(meta('2026-01-01T00:01:00Z'), () => true)).rejects.toThrow(/snapshot 1, pid 4242 on scanner-host/);
    const second = await store.beginSnapshot(meta('2026-01-01T00:02:00Z'), () => false);
    expect(second).toEqual({ id: 2, interrupted: [1] });
    expect((await store.getSnapshot(1))!.status).toBe('interrupted');
    await store.close();
  });

  it('gives the inventory as of a snapshot: latest state up to it, missing ones kept, incomplete runs ignored', async () => {
    const store = openSqliteStore(join(tempDir(), 'inv.db'));
    const s1 = (await store.beginSnapshot(meta('2026-01-01T00:00:00Z'), () => false)).id;
    await store.commitBatch(s1, [row(1, '10.0.0.1', 't1', { hostname: 'a' }, true), row(2, '10.0.0.2', 't1', {}, true)]);
    await store.finishSnapshot(s1, 'complete', { probed: 254, alive: 2, records: 2, newAssets: 2, failedTargets: 0 }, 't1e');
    const s2 = (await store.beginSnapshot(meta('2026-02-01T00:00:00Z'), () => false)).id;
    await store.commitBatch(s2, [row(1, '10.0.0.9', 't2', { hostname: 'a' }), row(3, '10.0.0.3', 't2', {}, true)]);
    await store.finishSnapshot(s2, 'complete', { probed: 254, alive: 2, records: 2, newAssets: 1, failedTargets: 0 }, 't2e');
    // An interrupted run's records exist but do not count for complete inventories.
    const s3 = (await store.beginSnapshot(meta('2026-03-01T00:00:00Z'), () => false)).id;
    await store.commitBatch(s3, [row(2, '10.0.0.2', 't3')]);
    await store.finishSnapshot(s3, 'interrupted', { probed: 10, alive: 1, records: 1, newAssets: 0, failedTargets: 0 }, 't3e');

    const asOf2 = await store.inventoryAsOf(s2);
    expect(asOf2.map((e) => [e.assetId, e.address, e.seen, e.firstSeenAt, e.lastSeenAt])).toEqual([
      [3, '10.0.0.3', true, 't2', 't2'],
      [1, '10.0.0.9', true, 't1', 't2'],
      [2, '10.0.0.2', false, 't1', 't1'],
    ].sort((a, b) => (a[1] as string).localeCompare(b[1] as string, 'en', { numeric: true })));
    expect((await store.inventoryAsOf(s1)).map((e) => e.assetId).sort()).toEqual([1, 2]);
    // Asked for explicitly, the interrupted snapshot shows what it saw.
    expect((await store.inventoryAsOf(s3)).find((e) => e.assetId === 2)!.seen).toBe(true);
    expect((await store.latestComplete(0))!.id).toBe(s2);
    expect((await store.latestComplete(1))!.id).toBe(s1);
    expect((await store.lastCompleteBefore('2026-01-15T00:00:00Z'))!.id).toBe(s1);
    expect(await store.lastCompleteBefore('2025-12-01T00:00:00Z')).toBeNull();
    expect(await store.nextAssetId()).toBe(4);
    const known = await store.knownAssets();
    expect(known.find((k) => k.id === 1)!.address).toBe('10.0.0.9');
    const search = await store.inventoryAsOf(s2, { search: '0.0.9' });
    expect(search.map((e) => e.assetId)).toEqual([1]);
    // LIKE wildcards in user text are literal.
    expect(await store.inventoryAsOf(s2, { search: '%' })).toEqual([]);
    await store.close();
  });

  it('replaces a record written earlier in the same snapshot (a device found at a second address)', async () => {
    const store = openSqliteStore(join(tempDir(), 'inv.db'));
    const s1 = (await store.beginSnapshot(meta('2026-01-01T00:00:00Z'), () => false)).id;
    await store.commitBatch(s1, [row(1, '10.0.0.1', 't1', { macs: ['00:11:22:33:44:55'] }, true)]);
    const merged = row(1, '10.0.0.1', 't1', { addresses: ['10.0.0.1', '10.0.0.5'], macs: ['00:11:22:33:44:55', '00:11:22:33:44:66'] });
    await store.commitBatch(s1, [], [merged]);
    const history = await store.assetHistory(1);
    expect(history).toHaveLength(1);
    expect(history[0]!.summary.addresses).toEqual(['10.0.0.1', '10.0.0.5']);
    expect(store.db).toBeDefined();
    const macs = await store.db.selectFrom('record_macs').select('mac').orderBy('mac').execute();
    expect(macs.map((m) => m.mac)).toEqual(['00:11:22:33:44:55', '00:11:22:33:44:66']);
    await store.close();
  });
});
