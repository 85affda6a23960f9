// SQLite store over better-sqlite3, queried through kysely so that a PostgreSQL store can share the
// queries. Only this folder imports the driver.
//
// Durability: WAL with synchronous=NORMAL survives a killed process (not a power cut mid-commit,
// which loses at most the last batch, never the file). Records are committed in batches and the
// snapshot row is marked complete last.
import { mkdirSync, openSync, closeSync, chmodSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Selectable } from 'kysely';
import {
  LockHeldError,
  StoreError,
  type DeviceSummary,
  type DeviceType,
  type InventoryEntry,
  type Snapshot,
  type SnapshotCounts,
  type SnapshotStatus,
} from '../model/index.js';
import type {
  AssetSighting,
  BegunSnapshot,
  InventoryFilter,
  InventoryStore,
  KnownAssetRow,
  NewSnapshot,
  RecordRow,
} from './inventory-store.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type { Database, RecordsTable, SnapshotsTable } from './schema.js';

export interface OpenOptions {
  /** Open an existing database read-only; never creates or migrates. */
  readonly?: boolean;
}

export function openSqliteStore(path: string, options: OpenOptions = {}): SqliteStore {
  let raw: BetterSqlite3.Database;
  try {
    if (options.readonly) {
      if (!existsSync(path)) {
        throw new StoreError(`database ${path} does not exist; run "netcensus scan" first or pass --db`);
      }
      raw = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    } else {
      createPrivately(path);
      raw = new BetterSqlite3(path);
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
    }
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot open database ${path}: ${(error as Error).message}`);
  }
  try {
    migrate(raw, path, Boolean(options.readonly));
  } catch (error) {
    raw.close();
    throw error;
  }
  return new SqliteStore(path, raw);
}

/** The database holds an inventory of the network: create it (and its folder) readable by the owner only. */
function createPrivately(path: string): void {
  if (path === ':memory:' || existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

function migrate(raw: BetterSqlite3.Database, path: string, readonly: boolean): void {
  const current = raw.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      `database ${path} has schema version ${current}, newer than this netcensus (${SCHEMA_VERSION}); upgrade netcensus`,
    );
  }
  if (current === SCHEMA_VERSION) return;
  if (readonly) {
    throw new StoreError(`database ${path} needs migrating to schema ${SCHEMA_VERSION}; run a scan to migrate it`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    raw.transaction(() => {
      raw.exec(migration.sql);
      raw.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

const RECORD_BATCH_COLUMNS = 22;

export class SqliteStore implements InventoryStore {
  readonly db: Kysely<Database>;

  constructor(
    readonly path: string,
    private readonly raw: BetterSqlite3.Database,
  ) {
    this.db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  }

  schemaVersion(): number {
    return this.raw.pragma('user_version', { simple: true }) as number;
  }

  integrityCheck(): string {
    return String(this.raw.pragma('integrity_check', { simple: true }));
  }

  async beginSnapshot(s: NewSnapshot, isRunAlive: (pid: number, host: string) => boolean): Promise<BegunSnapshot> {
    // better-sqlite3 directly, for BEGIN IMMEDIATE: the write lock is taken before the check, so
    // two scans started together cannot both see "nobody running". (A PostgreSQL store would use
    // an advisory lock here.)
    const running = this.raw.prepare(
      "SELECT id, pid, host, started_at FROM snapshots WHERE status = 'running' ORDER BY id",
    );
    const interrupt = this.raw.prepare("UPDATE snapshots SET status = 'interrupted', finished_at = ? WHERE id = ?");
    const insert = this.raw.prepare(`INSERT INTO snapshots
      (started_at, finished_at, status, label, targets, scanners, options, counts, tool_version, pid, host)
      VALUES (?, NULL, 'running', ?, ?, ?, ?, ?, ?, ?, ?)`);
    const begin = this.raw.transaction((): BegunSnapshot => {
      const interrupted: number[] = [];
      for (const row of running.all() as { id: number; pid: number | null; host: string | null; started_at: string }[]) {
        if (row.pid !== null && row.host !== null && isRunAlive(row.pid, row.host)) {
          throw new LockHeldError(
            `another scan holds ${this.path}: snapshot ${row.id}, pid ${row.pid} on ${row.host}, started ${row.started_at}; wait for it to finish`,
          );
        }
        interrupt.run(s.startedAt, row.id);
        interrupted.push(row.id);
      }
      const info = insert.run(
        s.startedAt,
        s.label,
        JSON.stringify(s.targets),
        JSON.stringify(s.scanners),
        JSON.stringify(s.options),
        JSON.stringify(emptyCounts()),
        s.toolVersion,
        s.pid,
        s.host,
      );
      return { id: Number(info.lastInsertRowid), interrupted };
    });
    return begin.immediate();
  }

  async nextAssetId(): Promise<number> {
    const row = await this.db
      .selectFrom('assets')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    return Number(row?.max ?? 0) + 1;
  }

  async knownAssets(): Promise<KnownAssetRow[]> {
    // Latest record of every asset, from any snapshot: an interrupted run's records are real sightings.
    const rows = await this.db
      .selectFrom('records as r')
      .selectAll('r')
      .where(({ eb, selectFrom }) =>
        eb(
          'r.id',
          'in',
          selectFrom('records').select((e) => e.fn.max('id').as('id')).groupBy('asset_id'),
        ),
      )
      .execute();
    return rows.map((r) => ({ id: r.asset_id, ...summaryOf(r) }));
  }

  async commitBatch(snapshotId: number, rows: RecordRow[], updates: RecordRow[] = []): Promise<void> {
    if (rows.length === 0 && updates.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const row of updates) {
        const { snapshot_id: _s, asset_id: _a, ...values } = recordValues(snapshotId, row);
        const updated = await trx
          .updateTable('records')
          .set(values)
          .where('snapshot_id', '=', snapshotId)
          .where('asset_id', '=', row.assetId)
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.deleteFrom('record_macs').where('record_id', '=', updated.id).execute();
        if (row.summary.macs.length > 0) {
          await trx
            .insertInto('record_macs')
            .values(row.summary.macs.map((mac) => ({ record_id: updated.id, snapshot_id: snapshotId, asset_id: row.assetId, mac })))
            .execute();
        }
      }
      const created = rows.filter((r) => r.newAsset);
      for (const chunk of chunks(created, 300)) {
        await trx
          .insertInto('assets')
          .values(chunk.map((r) => ({ id: r.assetId, created_snapshot_id: snapshotId, created_at: r.seenAt })))
          .execute();
      }
      // SQLite caps bound parameters per statement; keep each insert under it.
      for (const chunk of chunks(rows, Math.floor(30000 / RECORD_BATCH_COLUMNS))) {
        const inserted = await trx
          .insertInto('records')
          .values(chunk.map((r) => recordValues(snapshotId, r)))
          .returning(['id', 'asset_id'])
          .execute();
        const macs = inserted.flatMap((ins, i) =>
          chunk[i]!.summary.macs.map((mac) => ({
            record_id: ins.id,
            snapshot_id: snapshotId,
            asset_id: ins.asset_id,
            mac,
          })),
        );
        for (const macChunk of chunks(macs, 5000)) {
          await trx.insertInto('record_macs').values(macChunk).execute();
        }
      }
    });
  }

  async finishSnapshot(id: number, status: SnapshotStatus, counts: SnapshotCounts, finishedAt: string): Promise<void> {
    await this.db
      .updateTable('snapshots')
      .set({ status, counts: JSON.stringify(counts), finished_at: finishedAt })
      .where('id', '=', id)
      .execute();
  }

  async listSnapshots(): Promise<Snapshot[]> {
    const rows = await this.db.selectFrom('snapshots').selectAll().orderBy('id').execute();
    return rows.map(snapshotOf);
  }

  async getSnapshot(id: number): Promise<Snapshot | null> {
    const row = await this.db.selectFrom('snapshots').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? snapshotOf(row) : null;
  }

  async latestComplete(offset: number): Promise<Snapshot | null> {
    const row = await this.db
      .selectFrom('snapshots')
      .selectAll()
      .where('status', '=', 'complete')
      .orderBy('id', 'desc')
      .limit(1)
      .offset(offset)
      .executeTakeFirst();
    return row ? snapshotOf(row) : null;
  }

  async lastCompleteBefore(isoInstant: string): Promise<Snapshot | null> {
    const row = await this.db
      .selectFrom('snapshots')
      .selectAll()
      .where('status', '=', 'complete')
      .where('started_at', '<', isoInstant)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? snapshotOf(row) : null;
  }

  async inventoryAsOf(snapshotId: number, filter: InventoryFilter = {}, options: { withFacts?: boolean } = {}): Promise<InventoryEntry[]> {
    // Window functions are standard SQL (PostgreSQL has them too); values are bound, never spliced.
    const search = filter.search ? `%${escapeLike(filter.search.toLowerCase())}%` : null;
    const result = await sql<RankedRecord>`
      WITH eligible AS (
        SELECT id FROM snapshots WHERE id <= ${snapshotId} AND (status = 'complete' OR id = ${snapshotId})
      ),
      ranked AS (
        SELECT r.*,
               ROW_NUMBER() OVER (PARTITION BY r.asset_id ORDER BY r.snapshot_id DESC) AS rn,
               MIN(r.seen_at) OVER (PARTITION BY r.asset_id) AS first_seen_at,
               MAX(r.seen_at) OVER (PARTITION BY r.asset_id) AS last_seen_at
        FROM records r
        WHERE r.snapshot_id IN (SELECT id FROM eligible)
      )
      SELECT * FROM ranked
      WHERE rn = 1
        AND (${filter.type ?? null} IS NULL OR lower(type) = lower(${filter.type ?? null}))
        AND (${filter.vendor ?? null} IS NULL OR lower(vendor) LIKE ${filter.vendor ? `%${escapeLike(filter.vendor.toLowerCase())}%` : null} ESCAPE '\\')
        AND (${search} IS NULL
             OR lower(address) LIKE ${search} ESCAPE '\\'
             OR lower(coalesce(hostname, '')) LIKE ${search} ESCAPE '\\'
             OR lower(coalesce(vendor, '')) LIKE ${search} ESCAPE '\\'
             OR lower(coalesce(model, '')) LIKE ${search} ESCAPE '\\'
             OR lower(coalesce(serial, '')) LIKE ${search} ESCAPE '\\'
             OR lower(macs) LIKE ${search} ESCAPE '\\')
      ORDER BY coalesce(type, 'zzz'), address_num, asset_id
    `.execute(this.db);
    return result.rows.map((r) => ({
      ...summaryOf(r),
      assetId: r.asset_id,
      snapshotId: r.snapshot_id,
      seen: r.snapshot_id === snapshotId,
      firstSeenAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
      ...(options.withFacts ? { facts: JSON.parse(r.facts) } : {}),
    }));
  }

  async assetHistory(assetId: number): Promise<AssetSighting[]> {
    const rows = await this.db
      .selectFrom('records as r')
      .innerJoin('snapshots as s', 's.id', 'r.snapshot_id')
      .selectAll('r')
      .select([
        's.started_at as s_started_at',
        's.finished_at as s_finished_at',
        's.status as s_status',
        's.label as s_label',
        's.targets as s_targets',
        's.scanners as s_scanners',
        's.options as s_options',
        's.counts as s_counts',
        's.tool_version as s_tool_version',
        's.pid as s_pid',
        's.host as s_host',
      ])
      .where('r.asset_id', '=', assetId)
      .orderBy('r.snapshot_id')
      .execute();
    return rows.map((r) => ({
      snapshot: snapshotOf({
        id: r.snapshot_id,
        started_at: r.s_started_at,
        finished_at: r.s_finished_at,
        status: r.s_status,
        label: r.s_label,
        targets: r.s_targets,
        scanners: r.s_scanners,
        options: r.s_options,
        counts: r.s_counts,
        tool_version: r.s_tool_version,
        pid: r.s_pid,
        host: r.s_host,
      }),
      seenAt: r.seen_at,
      summary: summaryOf(r),
      facts: JSON.parse(r.facts),
      statuses: JSON.parse(r.statuses),
      evidence: JSON.parse(r.evidence),
      conflicts: JSON.parse(r.conflicts),
    }));
  }

  async assetExists(assetId: number): Promise<boolean> {
    const row = await this.db.selectFrom('assets').select('id').where('id', '=', assetId).executeTakeFirst();
    return row !== undefined;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

type RecordRowDb = Selectable<RecordsTable>;
type RankedRecord = RecordRowDb & { rn: number; first_seen_at: string; last_seen_at: string };

function recordValues(snapshotId: number, r: RecordRow) {
  const s = r.summary;
  return {
    snapshot_id: snapshotId,
    asset_id: r.assetId,
    seen_at: r.seenAt,
    address: s.address,
    address_num: addressNumber(s.address),
    addresses: JSON.stringify(s.addresses),
    macs: JSON.stringify(s.macs),
    hostname: s.hostname,
    vendor: s.vendor,
    model: s.model,
    serial: s.serial,
    type: s.type,
    os: s.os,
    firmware: s.firmware,
    smbios_uuid: s.smbiosUuid,
    snmp_engine_id: s.snmpEngineId,
    open_ports: JSON.stringify(s.openPorts),
    facts: JSON.stringify(r.facts),
    statuses: JSON.stringify(r.statuses),
    evidence: JSON.stringify(r.evidence),
    conflicts: JSON.stringify(r.conflicts),
  };
}

function summaryOf(r: RecordRowDb): DeviceSummary {
  return {
    address: r.address,
    addresses: JSON.parse(r.addresses),
    macs: JSON.parse(r.macs),
    hostname: r.hostname,
    vendor: r.vendor,
    model: r.model,
    serial: r.serial,
    type: r.type as DeviceType | null,
    os: r.os,
    firmware: r.firmware,
    smbiosUuid: r.smbios_uuid,
    snmpEngineId: r.snmp_engine_id,
    openPorts: JSON.parse(r.open_ports),
  };
}

function snapshotOf(r: Selectable<SnapshotsTable>): Snapshot {
  return {
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status as SnapshotStatus,
    label: r.label,
    targets: JSON.parse(r.targets),
    scanners: JSON.parse(r.scanners),
    options: JSON.parse(r.options),
    counts: { ...emptyCounts(), ...JSON.parse(r.counts) },
    toolVersion: r.tool_version,
    pid: r.pid,
    host: r.host,
  };
}

export function emptyCounts(): SnapshotCounts {
  return { probed: 0, alive: 0, records: 0, newAssets: 0, failedTargets: 0 };
}

/** IPv4 as an integer for numeric ordering; null for anything else. */
function addressNumber(address: string): number | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (!m) return null;
  return ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
