// Read queries for exports and reports, sized for 100,000 assets over many snapshots.
//
// `streamInventoryAsOf` yields the same entries, in the same order, as `inventoryAsOf` (see the
// interface's comment for the rules: two views per asset, combined; "missing" only after a network
// scan), one at a time straight from a SQLite cursor, so an export holds one row at a time instead
// of the whole inventory. It avoids window functions over every record: one GROUP BY over the
// eligible records (on the covering (asset_id, snapshot_id) index) finds each asset's first and
// latest record per view, then each is fetched by the (snapshot_id, asset_id) key. First and last
// seen are taken from those records (each view's sightings are in snapshot order), not from a
// MIN/MAX over every record, which would read the whole table. test/export/inventory-stream.test.ts holds the two to the same
// answers.
//
// The SQL is written with kysely's `sql` template (portable; values bound, never spliced) and run
// through better-sqlite3's `iterate()`, which kysely's raw queries do not expose. While a stream is
// open the connection is busy: finish (or break out of) one before starting another query.
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DeviceSummary, DeviceType, Facts, InventoryEntry } from '../model/index.js';
import { combineFacts, combineSummaries } from './combine-views.js';
import type { InventoryFilter, SnapshotHistoryPoint } from './inventory-store.js';
import type { Database } from './schema.js';

const SUMMARY_COLUMNS = [
  'address',
  'address_num',
  'addresses',
  'macs',
  'hostname',
  'vendor',
  'model',
  'serial',
  'type',
  'os',
  'firmware',
  'smbios_uuid',
  'snmp_engine_id',
  'open_ports',
  'snapshot_id',
] as const;

type ViewColumns = { [K in (typeof SUMMARY_COLUMNS)[number] | 'facts' | 'seen_at']: unknown };

interface StreamRow {
  asset_id: number;
  first_seen_at: string;
  reference_id: number | null;
  n_id: number | null;
  d_id: number | null;
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The filter applied to one view's latest record (an asset matches when either view does). */
function viewMatches(alias: 'n' | 'd', filter: InventoryFilter): RawBuilder<unknown> {
  const col = (name: string): RawBuilder<unknown> => sql.raw(`${alias}.${name}`);
  const parts: RawBuilder<unknown>[] = [sql.raw(`${alias}.id IS NOT NULL`)];
  if (filter.type) parts.push(sql`lower(${col('type')}) = lower(${filter.type})`);
  if (filter.vendor) parts.push(sql`lower(${col('vendor')}) LIKE ${likePattern(filter.vendor)} ESCAPE '\\'`);
  if (filter.search) {
    const p = likePattern(filter.search);
    parts.push(sql`(lower(${col('address')}) LIKE ${p} ESCAPE '\\'
      OR lower(coalesce(${col('hostname')}, '')) LIKE ${p} ESCAPE '\\'
      OR lower(coalesce(${col('vendor')}, '')) LIKE ${p} ESCAPE '\\'
      OR lower(coalesce(${col('model')}, '')) LIKE ${p} ESCAPE '\\'
      OR lower(coalesce(${col('serial')}, '')) LIKE ${p} ESCAPE '\\'
      OR lower(${col('macs')}) LIKE ${p} ESCAPE '\\')`);
  }
  return sql`(${sql.join(parts, sql` AND `)})`;
}

export function* streamInventoryAsOf(
  db: Kysely<Database>,
  raw: BetterSqlite3.Database,
  snapshotId: number,
  filter: InventoryFilter = {},
  options: { withFacts?: boolean } = {},
): Generator<InventoryEntry> {
  const withFacts = Boolean(options.withFacts);
  const query = sql<StreamRow>`
    WITH eligible AS (
      SELECT id, kind = 'scan' AS is_scan FROM snapshots
      WHERE id <= ${snapshotId} AND (status = 'complete' OR id = ${snapshotId})
    ),
    per_asset AS (
      SELECT r.asset_id AS asset_id,
             MAX(CASE WHEN e.is_scan THEN r.snapshot_id END) AS net_snapshot_id,
             MAX(CASE WHEN e.is_scan THEN NULL ELSE r.snapshot_id END) AS doc_snapshot_id,
             MIN(CASE WHEN e.is_scan THEN r.snapshot_id END) AS first_net_snapshot_id,
             MIN(CASE WHEN e.is_scan THEN NULL ELSE r.snapshot_id END) AS first_doc_snapshot_id
      FROM records r INDEXED BY records_asset JOIN eligible e ON e.id = r.snapshot_id
      GROUP BY r.asset_id
    )
    SELECT p.asset_id,
           (SELECT min(f.seen_at) FROM records f
            WHERE f.asset_id = p.asset_id AND f.snapshot_id IN (p.first_net_snapshot_id, p.first_doc_snapshot_id)) AS first_seen_at,
           (SELECT max(id) FROM eligible WHERE is_scan) AS reference_id,
           n.id AS n_id, d.id AS d_id
    FROM per_asset p
    LEFT JOIN records n ON n.snapshot_id = p.net_snapshot_id AND n.asset_id = p.asset_id
    LEFT JOIN records d ON d.snapshot_id = p.doc_snapshot_id AND d.asset_id = p.asset_id
    WHERE ${viewMatches('n', filter)} OR ${viewMatches('d', filter)}
    ORDER BY coalesce(coalesce(d.type, n.type), 'zzz'),
             CASE WHEN n.id IS NULL THEN d.address_num ELSE n.address_num END,
             p.asset_id
  `;
  // Two steps: the sorted keys (small rows, so SQLite's sorter stays small), then the records
  // themselves by id, a chunk at a time. Reading while a cursor is open is allowed.
  const compiled = query.compile(db);
  const keys = raw.prepare(compiled.sql).iterate(...(compiled.parameters as unknown[])) as IterableIterator<StreamRow>;
  const columns = `id, ${[...SUMMARY_COLUMNS, 'seen_at', ...(withFacts ? ['facts'] : [])].join(', ')}`;
  const fullChunk = raw.prepare(`SELECT ${columns} FROM records WHERE id IN (${Array(CHUNK).fill('?').join(',')})`);
  let chunk: StreamRow[] = [];
  const flush = function* (): Generator<InventoryEntry> {
    const ids = chunk.flatMap((k) => [k.n_id, k.d_id].filter((id): id is number => id !== null));
    const padded = ids.length <= CHUNK ? [...ids, ...Array<null>(CHUNK - ids.length).fill(null)] : ids;
    const statement = ids.length <= CHUNK ? fullChunk : raw.prepare(`SELECT ${columns} FROM records WHERE id IN (${ids.map(() => '?').join(',')})`);
    const byId = new Map<number, ViewColumns>();
    for (const r of statement.all(...padded) as (ViewColumns & { id: number })[]) byId.set(r.id, r);
    for (const k of chunk) {
      yield entryOf(k, k.n_id === null ? null : byId.get(k.n_id as number)!, k.d_id === null ? null : byId.get(k.d_id as number)!, snapshotId, withFacts);
    }
    chunk = [];
  };
  for (const key of keys) {
    chunk.push(key);
    if (chunk.length === CHUNK / 2) yield* flush();
  }
  if (chunk.length > 0) yield* flush();
}

/** Records fetched per query (an asset may need two: its network and its document view). */
const CHUNK = 512;

function entryOf(key: StreamRow, network: ViewColumns | null, document: ViewColumns | null, snapshotId: number, withFacts: boolean): InventoryEntry {
  const base = network && document ? ((document.snapshot_id as number) > (network.snapshot_id as number) ? document : network) : (network ?? document)!;
  const summary = network && document ? combineSummaries(summaryOf(network), summaryOf(document)) : summaryOf(base);
  let facts: Facts | undefined;
  if (withFacts) {
    facts =
      network && document
        ? combineFacts(JSON.parse(network.facts as string), JSON.parse(document.facts as string))
        : JSON.parse(base.facts as string);
  }
  const snapshotOfBase = base.snapshot_id as number;
  const seen = snapshotOfBase === snapshotId || network === null || key.reference_id === null || snapshotOfBase >= key.reference_id;
  const lastSeen = [network?.seen_at, document?.seen_at].filter((v): v is string => typeof v === 'string').sort().pop()!;
  return {
    ...summary,
    assetId: key.asset_id,
    snapshotId: snapshotOfBase,
    seen,
    firstSeenAt: key.first_seen_at,
    lastSeenAt: lastSeen,
    ...(facts !== undefined ? { facts } : {}),
  };
}

function summaryOf(v: ViewColumns): DeviceSummary {
  return {
    address: v.address as string,
    addresses: JSON.parse(v.addresses as string),
    macs: JSON.parse(v.macs as string),
    hostname: v.hostname as string | null,
    vendor: v.vendor as string | null,
    model: v.model as string | null,
    serial: v.serial as string | null,
    type: v.type as DeviceType | null,
    os: v.os as string | null,
    firmware: v.firmware as string | null,
    smbiosUuid: v.smbios_uuid as string | null,
    snmpEngineId: v.snmp_engine_id as string | null,
    openPorts: JSON.parse(v.open_ports as string),
  };
}

/**
 * Size and churn of the inventory at each complete snapshot up to `snapshotId` (the last `limit`
 * of them, oldest first), for the report's charts. Churn is counted against the previous complete
 * network scan, as `diff` would count it, except that a swapped device counts as one removed and
 * one added (diff pairs those into `replaced`).
 */
export async function snapshotHistory(db: Kysely<Database>, snapshotId: number, limit: number): Promise<SnapshotHistoryPoint[]> {
  const snaps = (
    await sql<{ id: number; started_at: string; kind: string; label: string | null }>`
      SELECT id, started_at, kind, label FROM snapshots
      WHERE status = 'complete' AND id <= ${snapshotId} ORDER BY id
    `.execute(db)
  ).rows;
  if (snaps.length === 0) return [];
  const firsts = new Map(
    (
      await sql<{ first: number; n: number }>`
        SELECT first, count(*) AS n FROM (
          SELECT MIN(r.snapshot_id) AS first FROM records r
          WHERE r.snapshot_id IN (SELECT id FROM snapshots WHERE status = 'complete' AND id <= ${snapshotId})
          GROUP BY r.asset_id
        ) GROUP BY first
      `.execute(db)
    ).rows.map((r) => [r.first, r.n]),
  );
  const shown = snaps.slice(-limit);
  const seenCounts = new Map(
    (
      await sql<{ snapshot_id: number; n: number }>`
        SELECT snapshot_id, count(*) AS n FROM records
        WHERE snapshot_id IN (${sql.join(shown.map((s) => s.id))}) GROUP BY snapshot_id
      `.execute(db)
    ).rows.map((r) => [r.snapshot_id, r.n]),
  );
  const points: SnapshotHistoryPoint[] = [];
  let known = 0;
  let previousScan: number | null = null;
  for (const s of snaps) {
    known += firsts.get(s.id) ?? 0;
    const isShown = shown.includes(s);
    if (isShown) {
      const seen = seenCounts.get(s.id) ?? 0;
      const added = firsts.get(s.id) ?? 0;
      let removed = 0;
      let changed = 0;
      if (s.kind === 'scan' && previousScan !== null) {
        const pair = (
          await sql<{ removed: number | null; both: number | null; changed: number | null }>`
            SELECT SUM(b.id IS NULL) AS removed,
                   SUM(b.id IS NOT NULL) AS both,
                   SUM(b.id IS NOT NULL AND (
                     a.address IS NOT b.address OR a.addresses IS NOT b.addresses OR a.macs IS NOT b.macs
                     OR lower(coalesce(a.hostname, '')) IS NOT lower(coalesce(b.hostname, ''))
                     OR a.vendor IS NOT b.vendor OR a.model IS NOT b.model OR a.serial IS NOT b.serial
                     OR a.type IS NOT b.type OR a.os IS NOT b.os OR a.firmware IS NOT b.firmware
                     OR a.open_ports IS NOT b.open_ports)) AS changed
            FROM records a LEFT JOIN records b ON b.snapshot_id = ${s.id} AND b.asset_id = a.asset_id
            WHERE a.snapshot_id = ${previousScan}
          `.execute(db)
        ).rows[0];
        removed = Number(pair?.removed ?? 0);
        // Seen now, not in the previous scan, known before it: back after an absence (diff: `returned`).
        const returned = Math.max(0, seen - Number(pair?.both ?? 0) - added);
        changed = Number(pair?.changed ?? 0) + returned;
      }
      points.push({ snapshotId: s.id, startedAt: s.started_at, kind: s.kind, label: s.label, known, seen, added, removed, changed });
    }
    if (s.kind === 'scan') previousScan = s.id;
  }
  return points;
}
