// The inventory reads answer as the queries they replaced (kept here as references, verbatim in
// effect): "inventory as of" by window functions over every record (inventoryAsOf before schema 4),
// the latest record per view by grouping every record (knownAssets before schema 4), and the diff of
// two whole inventories (diffInventories). The new reads use asset_views, kept by commitBatch, with
// seeks where a row does not apply as of an older snapshot; the diff reads both sides at once and
// skips assets whose state did not change. Checked at every snapshot (and pair of snapshots) of a
// generated inventory with churn, and of a store with interrupted, failed and running runs, local
// probes and imports, rows replaced within a run, and a prune.
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffEntries, diffInventories, finishChanges } from '../../src/diff/diff-inventories.js';
import type { Change, DeviceSummary, DeviceType, Facts, FactKey, InventoryEntry } from '../../src/model/index.js';
import { combineFacts, combineSummaries, viewOfKind } from '../../src/store/combine-views.js';
import type { InventoryFilter, InventoryOptions, KnownAssetRow, RecordRow } from '../../src/store/inventory-store.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { pruneSnapshots } from '../../src/store/prune-snapshots.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { summary as summaryWith } from '../inventory/fixtures.js';
import { generateSyntheticDb } from '../helpers/synthetic-db.js';

// ------------------------------------------------------------------------------------------------
// The references: the queries of schema 3, run on the same file.

interface RefRow {
  [column: string]: unknown;
  asset_id: number;
  snapshot_id: number;
  kind: string;
  facts: string;
  ever_scanned: number;
  reference_id: number | null;
  first_seen_at: string;
  last_seen_at: string;
}

function rawOf(store: SqliteStore): BetterSqlite3.Database {
  return (store as unknown as { raw: BetterSqlite3.Database }).raw;
}

function summaryOf(r: Record<string, unknown>): DeviceSummary {
  return {
    address: r.address as string,
    addresses: JSON.parse(r.addresses as string),
    macs: JSON.parse(r.macs as string),
    hostname: r.hostname as string | null,
    vendor: r.vendor as string | null,
    model: r.model as string | null,
    serial: r.serial as string | null,
    type: r.type as DeviceType | null,
    os: r.os as string | null,
    firmware: r.firmware as string | null,
    smbiosUuid: r.smbios_uuid as string | null,
    snmpEngineId: r.snmp_engine_id as string | null,
    openPorts: JSON.parse(r.open_ports as string),
  };
}

function pick(facts: Facts, keys: readonly FactKey[] | undefined): Facts {
  if (keys === undefined) return facts;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (facts[k] !== undefined) out[k] = facts[k];
  return out as Facts;
}

const likeOf = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function referenceInventoryAsOf(raw: BetterSqlite3.Database, snapshotId: number, filter: InventoryFilter = {}, options: InventoryOptions = {}): InventoryEntry[] {
  const search = filter.search ? likeOf(filter.search) : null;
  const vendor = filter.vendor ? likeOf(filter.vendor) : null;
  const rows = raw
    .prepare(
      `WITH eligible AS (
        SELECT id, kind FROM snapshots WHERE id <= @s AND (status = 'complete' OR id = @s)
      ),
      ranked AS (
        SELECT r.*, e.kind AS kind,
               ROW_NUMBER() OVER (PARTITION BY r.asset_id ORDER BY r.snapshot_id DESC) AS rn,
               ROW_NUMBER() OVER (PARTITION BY r.asset_id, e.kind = 'scan' ORDER BY r.snapshot_id DESC) AS view_rn,
               MAX(e.kind = 'scan') OVER (PARTITION BY r.asset_id) AS ever_scanned,
               MIN(r.seen_at) OVER (PARTITION BY r.asset_id) AS first_seen_at,
               MAX(r.seen_at) OVER (PARTITION BY r.asset_id) AS last_seen_at
        FROM records r JOIN eligible e ON e.id = r.snapshot_id
      ),
      matching AS (
        SELECT DISTINCT asset_id FROM ranked
        WHERE view_rn = 1
          AND (@type IS NULL OR lower(type) = lower(@type))
          AND (@vendor IS NULL OR lower(vendor) LIKE @vendor ESCAPE '\\')
          AND (@search IS NULL
               OR lower(address) LIKE @search ESCAPE '\\'
               OR lower(coalesce(hostname, '')) LIKE @search ESCAPE '\\'
               OR lower(coalesce(vendor, '')) LIKE @search ESCAPE '\\'
               OR lower(coalesce(model, '')) LIKE @search ESCAPE '\\'
               OR lower(coalesce(serial, '')) LIKE @search ESCAPE '\\'
               OR lower(macs) LIKE @search ESCAPE '\\')
      )
      SELECT ranked.*, (SELECT max(id) FROM eligible WHERE kind = 'scan') AS reference_id
      FROM ranked
      WHERE view_rn = 1 AND asset_id IN (SELECT asset_id FROM matching)
      ORDER BY asset_id, rn`,
    )
    .all({ s: snapshotId, type: filter.type ?? null, vendor, search }) as RefRow[];
  const entries: InventoryEntry[] = [];
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i]!;
    const other = rows[i + 1]?.asset_id === base.asset_id ? rows[++i]! : undefined;
    let summary = summaryOf(base);
    const parse = (text: string): Facts => pick(JSON.parse(text) as Facts, options.factKeys);
    let facts: Facts | undefined = options.withFacts ? parse(base.facts) : undefined;
    if (other !== undefined) {
      const [network, document] = viewOfKind(base.kind) === 'network' ? [base, other] : [other, base];
      summary = combineSummaries(summaryOf(network), summaryOf(document));
      if (options.withFacts) facts = combineFacts(parse(network.facts), parse(document.facts));
    }
    const seen = base.snapshot_id === snapshotId || !base.ever_scanned || base.reference_id === null || base.snapshot_id >= base.reference_id;
    entries.push({
      ...summary,
      assetId: base.asset_id,
      snapshotId: base.snapshot_id,
      seen,
      firstSeenAt: base.first_seen_at,
      lastSeenAt: base.last_seen_at,
      ...(facts !== undefined ? { facts } : {}),
    });
  }
  const typeKey = (e: InventoryEntry): string => e.type ?? 'zzz';
  const num = (a: string): number | null => {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
    return m ? ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]) : null;
  };
  const nullsFirst = (a: number | null, b: number | null): number => (a === null || b === null ? (a === b ? 0 : a === null ? -1 : 1) : a - b);
  return entries.sort(
    (a, b) =>
      (typeKey(a) < typeKey(b) ? -1 : typeKey(a) > typeKey(b) ? 1 : 0) || nullsFirst(num(a.address), num(b.address)) || a.assetId - b.assetId,
  );
}

function referenceKnownAssets(raw: BetterSqlite3.Database): KnownAssetRow[] {
  const rows = raw
    .prepare(
      `SELECT r.*, s.kind AS kind FROM records r JOIN snapshots s ON s.id = r.snapshot_id
       WHERE r.id IN (
         SELECT max(r2.id) FROM records r2 JOIN snapshots s2 ON s2.id = r2.snapshot_id
         GROUP BY r2.asset_id, s2.kind = 'scan'
       )
       ORDER BY r.asset_id, r.id`,
    )
    .all() as (Record<string, unknown> & { asset_id: number; kind: string })[];
  const byAsset = new Map<number, KnownAssetRow>();
  for (const r of rows) {
    const summary = summaryOf(r);
    const earlier = byAsset.get(r.asset_id);
    if (earlier === undefined) byAsset.set(r.asset_id, { id: r.asset_id, ...summary });
    else {
      const [network, document] = viewOfKind(r.kind) === 'network' ? [summary, earlier] : [earlier, summary];
      byAsset.set(r.asset_id, { id: r.asset_id, ...combineSummaries(network, document) });
    }
  }
  return [...byAsset.values()];
}

// ------------------------------------------------------------------------------------------------

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const DIFFED: readonly FactKey[] = ['software', 'memory', 'disks', 'cpu'];

/** Every comparison, at every snapshot the store holds (and every ordered pair for diffs). */
async function expectParity(store: SqliteStore, filters: InventoryFilter[], rebuild = true): Promise<number> {
  const raw = rawOf(store);
  let compared = 0;
  expect(await store.knownAssets()).toEqual(referenceKnownAssets(raw));
  const ids = (await store.listSnapshots()).filter((s) => !s.prunedAt).map((s) => s.id);
  for (const id of ids) {
    const known = raw.prepare('SELECT min(asset_id) AS lowest, max(asset_id) AS highest FROM asset_views WHERE first_snapshot_id <= ?').get(id) as {
      lowest: number | null;
      highest: number | null;
    };
    expect(await store.assetIdSpan(id), `asset id span as of ${id}`).toEqual(known.lowest === null ? null : known);
  }
  for (const id of ids) {
    for (const filter of filters) {
      for (const options of [{}, { withFacts: true }, { withFacts: true, factKeys: DIFFED }, { withFacts: true, factKeys: ['location'] as FactKey[] }]) {
        const expected = referenceInventoryAsOf(raw, id, filter, options);
        const label = `snapshot ${id} ${JSON.stringify(filter)} ${JSON.stringify(options)}`;
        expect(await store.inventoryAsOf(id, filter, options), label).toEqual(expected);
        expect(await collect(store.streamInventoryAsOf(id, filter, options)), label).toEqual(expected);
        compared += expected.length;
      }
    }
  }
  for (const from of ids) {
    for (const to of ids) {
      if (from === to) continue;
      for (const options of [{}, { withFacts: true, factKeys: DIFFED }]) {
        const expected = diffInventories(referenceInventoryAsOf(raw, from, {}, options), referenceInventoryAsOf(raw, to, {}, options));
        for (const skipUnchanged of [false, true]) {
          const found: Change[] = [];
          const pairs = await collect(store.streamInventoryPairs(from, to, { ...options, skipUnchanged }));
          for (const [b, a] of pairs) {
            const c = diffEntries(b, a);
            if (c !== null) found.push(c);
          }
          expect(finishChanges(found), `diff ${from} ${to} ${JSON.stringify(options)} skip=${skipUnchanged}`).toEqual(expected);
          // Read by ranges of asset ids (a thread each in diff --json), the pairs are the same.
          const span = await store.assetIdSpan(Math.max(from, to));
          if (span !== null) {
            const third = Math.ceil((span.highest - span.lowest + 1) / 3);
            const cuts = [span.lowest + third, span.lowest + 2 * third];
            const ranges = [{ to: cuts[0]! - 1 }, { from: cuts[0]!, to: cuts[1]! - 1 }, { from: cuts[1]! }];
            const ranged = [];
            for (const assetIds of ranges) ranged.push(...(await collect(store.streamInventoryPairs(from, to, { ...options, skipUnchanged, assetIds }))));
            expect(ranged, `diff ${from} ${to} by ranges`).toEqual(pairs);
          }
          if (!skipUnchanged) {
            // Without skipping, the pairs are the two whole inventories, in asset id order.
            const byId = (es: InventoryEntry[]) => [...es].sort((x, y) => x.assetId - y.assetId);
            expect(pairs.map(([b]) => b).filter((b) => b !== null)).toEqual(byId(referenceInventoryAsOf(raw, from, {}, options)));
            expect(pairs.map(([, a]) => a).filter((a) => a !== null)).toEqual(byId(referenceInventoryAsOf(raw, to, {}, options)));
          }
        }
      }
    }
  }
  // asset_views as commitBatch keeps it is what migration 4 computes from the records. (Not after a
  // prune: it may delete a first sighting in an incomplete run that a row still names; no read uses
  // that, as such a run is never eligible.)
  if (!rebuild) return compared;
  const kept = raw.prepare('SELECT * FROM asset_views ORDER BY asset_id, is_scan').all();
  const migration = MIGRATIONS.find((m) => m.sql.includes('CREATE TABLE asset_views'))!;
  const rebuilt = raw.transaction(() => {
    raw.exec('DROP TABLE asset_views');
    raw.exec(migration.sql);
    return raw.prepare('SELECT * FROM asset_views ORDER BY asset_id, is_scan').all();
  })();
  expect(rebuilt).toEqual(kept);
  return compared;
}

// ------------------------------------------------------------------------------------------------

const meta = (startedAt: string, kind: 'scan' | 'local' | 'import' = 'scan') => ({
  kind,
  startedAt,
  label: null,
  targets: ['10.0.0.0/24'],
  scanners: [kind === 'scan' ? 'discover:tcp' : kind],
  options: {},
  toolVersion: 'test',
  pid: 4242,
  host: 'scanner-host',
});

function row(assetId: number, address: string, seenAt: string, extra: Partial<DeviceSummary> = {}, facts: Facts = {}, newAsset = false): RecordRow {
  const base = summaryWith({ address, macs: [`00:1b:21:00:00:${assetId.toString(16).padStart(2, '0')}`], ...extra });
  return { assetId, newAsset, seenAt, summary: base, facts, statuses: { 'discover:tcp': 'ok' }, evidence: [], conflicts: [] };
}

const counts = { probed: 1, alive: 1, records: 1, newAssets: 0, failedTargets: 0 };
const software = (versions: Record<string, string>): Facts =>
  ({ software: { value: Object.entries(versions).map(([name, version]) => ({ name, version })), source: 'dpkg-query' }, memory: { value: { totalBytes: 8e9 }, source: 'si' } }) as unknown as Facts;

/** Runs of every kind and status, both views, rows replaced within a run. */
async function buildMixedStore(path: string): Promise<SqliteStore> {
  const store = openSqliteStore(path);
  const run = async (at: string, kind: 'scan' | 'local' | 'import', status: 'complete' | 'interrupted' | 'failed' | 'running', rows: RecordRow[], updates: RecordRow[] = []) => {
    const { id } = await store.beginSnapshot(meta(at, kind), () => false);
    await store.commitBatch(id, rows);
    if (updates.length > 0) await store.commitBatch(id, [], updates);
    if (status !== 'running') await store.finishSnapshot(id, status, counts, `${at}+1h`);
    return id;
  };
  const printer = { type: 'printer' as const, vendor: 'HP', hostname: 'prn-1' };
  // 1: three devices.
  await run('2026-01-01T00:00:00Z', 'scan', 'complete', [
    row(1, '10.0.0.1', '2026-01-01T00:01:00Z', { type: 'workstation', hostname: 'ws-1' }, {}, true),
    row(2, '10.0.0.2', '2026-01-01T00:02:00Z', printer, { location: { value: 'floor 2', source: 'snmp' } } as Facts, true),
    row(3, '10.0.0.10', '2026-01-01T00:03:00Z', { type: 'switch', vendor: 'Cisco' }, {}, true),
  ]);
  // 2: interrupted: a new asset only ever seen here, and a sighting of asset 1 that must not count.
  await run('2026-01-15T00:00:00Z', 'scan', 'interrupted', [
    row(4, '10.0.0.4', '2026-01-15T00:01:00Z', {}, {}, true),
    row(1, '10.0.0.99', '2026-01-15T00:02:00Z', { type: 'workstation', hostname: 'ws-1' }),
  ]);
  // 3: an import of asset 1's machine and of a machine the network never saw; its first row replaced.
  await run(
    '2026-01-20T00:00:00Z',
    'import',
    'complete',
    [row(1, '10.0.0.1', '2026-01-19T00:00:00Z', { os: 'Debian 12', hostname: 'WS-1' }, software({ bash: '5.2' })), row(5, '192.168.7.5', '2026-01-19T01:00:00Z', { type: 'server' }, software({ nginx: '1.24' }), true)],
    [row(1, '10.0.0.1', '2026-01-19T06:00:00Z', { os: 'Debian 12', hostname: 'WS-1', serial: 'SN1' }, software({ bash: '5.2', curl: '8.0' }))],
  );
  // 4: a scan: asset 2 is gone, asset 1 moved, asset 4 (seen only in the interrupted run) is back.
  await run('2026-02-01T00:00:00Z', 'scan', 'complete', [
    row(1, '10.0.0.7', '2026-02-01T00:01:00Z', { type: 'workstation', hostname: 'ws-1' }),
    row(3, '10.0.0.10', '2026-02-01T00:03:00Z', { type: 'switch', vendor: 'Cisco', firmware: '17.9' }),
    row(4, '10.0.0.4', '2026-02-01T00:04:00Z'),
  ]);
  // 5: failed; 6: a local probe with newer software; 7: a replacement printer at 2's place.
  await run('2026-02-10T00:00:00Z', 'scan', 'failed', [row(2, '10.0.0.2', '2026-02-10T00:01:00Z', printer)]);
  await run('2026-02-15T00:00:00Z', 'local', 'complete', [row(1, '10.0.0.7', '2026-02-15T00:00:00Z', { os: 'Debian 12', hostname: 'WS-1', serial: 'SN1' }, software({ bash: '5.3', curl: '8.0' }))]);
  await run('2026-03-01T00:00:00Z', 'scan', 'complete', [
    row(6, '10.0.0.2', '2026-03-01T00:01:00Z', printer, {}, true),
    row(1, '10.0.0.7', '2026-03-01T00:02:00Z', { type: 'workstation', hostname: 'ws-1' }),
    row(3, '10.0.0.10', '2026-03-01T00:03:00Z', { type: 'switch', vendor: 'Cisco', firmware: '17.9' }),
  ]);
  // 8: still running (named by id, it stands for itself), seeing asset 2 again.
  await run('2026-03-02T00:00:00Z', 'scan', 'running', [row(2, '10.0.0.22', '2026-03-02T00:01:00Z', printer), row(7, '10.0.0.8', '2026-03-02T00:02:00Z', {}, {}, true)]);
  return store;
}

describe('inventory reads answer as the schema-3 queries did', () => {
  const dir = tempDir();
  const filters: InventoryFilter[] = [{}, { type: 'printer' }, { vendor: 'cis' }, { search: 'ws-1' }, { search: '00:1b:21:00:00:0' }];

  it('on runs of every kind and status, both views, replaced rows', async () => {
    const store = await buildMixedStore(join(dir, 'mixed.db'));
    try {
      expect(await expectParity(store, filters)).toBeGreaterThan(100);
    } finally {
      await store.close();
    }
  });

  it('after a prune', async () => {
    const store = await buildMixedStore(join(dir, 'pruned.db'));
    try {
      await pruneSnapshots(store, { keepLast: 2 }, { now: new Date('2026-04-01T00:00:00Z') });
      expect(await expectParity(store, [{}], false)).toBeGreaterThan(5);
    } finally {
      await store.close();
    }
  });

  describe('on a generated inventory with churn', () => {
    const path = join(dir, 'generated.db');
    beforeAll(async () => {
      await generateSyntheticDb({ path, assets: 400, snapshots: 4, seed: 11 });
    });

    it('at every snapshot and between every two', async () => {
      const store = openSqliteStore(path);
      try {
        expect(await expectParity(store, [{}, { type: 'workstation' }])).toBeGreaterThan(2000);
      } finally {
        await store.close();
      }
    });
  });
});
