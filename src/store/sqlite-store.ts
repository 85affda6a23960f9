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
  type FactKey,
  type Facts,
  type InventoryEntry,
  type Snapshot,
  type SnapshotCounts,
  type SnapshotKind,
  type SnapshotStatus,
} from '../model/index.js';
import { combineSummaries, viewOfKind } from './combine-views.js';
import type {
  AssetIdSpan,
  AssetSighting,
  BegunSnapshot,
  ImportedDocument,
  InventoryFilter,
  InventoryOptions,
  InventoryStore,
  KnownAssetRow,
  NewSnapshot,
  PairOptions,
  RecordRow,
  SnapshotFactsUpdate,
  SnapshotHistoryPoint,
  SnapshotRecordFacts,
} from './inventory-store.js';
import { assetIdSpan, streamInventoryAsOf, streamInventoryPairs, snapshotHistory } from './inventory-stream.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { nativeBinding } from './native-binding.js';
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
      raw = new BetterSqlite3(path, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding() });
    } else {
      createPrivately(path);
      raw = new BetterSqlite3(path, { nativeBinding: nativeBinding() });
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

/**
 * On some errors (SQLITE_FULL, SQLITE_IOERR, ...) SQLite rolls the transaction back itself; kysely
 * then sends its own ROLLBACK, which fails with "no transaction is active" and hides the real
 * error (a full disk became an internal error). Here a ROLLBACK outside a transaction is a no-op.
 */
function rollbackSafe(raw: BetterSqlite3.Database): BetterSqlite3.Database {
  const noop = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }), all: () => [] };
  return new Proxy(raw, {
    get(target, key) {
      if (key === 'prepare') {
        return (source: string) => (/^\s*rollback\s*$/i.test(source) && !target.inTransaction ? noop : target.prepare(source));
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A synchronous generator (better-sqlite3 reads rows synchronously) as the AsyncIterable the
 * InventoryStore interface promises: each step is one resolved promise. An `async *` method that
 * `yield*`s the generator costs several promises and microtask turns per row, which an export of
 * 100,000 rows felt. Leaving a `for await` early (break, throw) returns the generator, which
 * finishes the SQLite statement.
 */
function asyncOf<T>(start: () => Generator<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const rows = start();
      return {
        next: () => {
          try {
            return Promise.resolve(rows.next());
          } catch (error) {
            return Promise.reject(error as Error);
          }
        },
        return: (value?: unknown) => Promise.resolve(rows.return(value as T)),
      };
    },
  };
}

export class SqliteStore implements InventoryStore {
  readonly db: Kysely<Database>;
  private writeStatements: WriteStatements | undefined;

  constructor(
    readonly path: string,
    private readonly raw: BetterSqlite3.Database,
  ) {
    this.db = new Kysely<Database>({ dialect: new SqliteDialect({ database: rollbackSafe(raw) }) });
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
      (started_at, finished_at, status, label, targets, scanners, options, counts, tool_version, pid, host, kind)
      VALUES (?, NULL, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
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
        s.kind ?? 'scan',
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
    // Latest record of every asset in each view (network, document), from any snapshot: an
    // interrupted run's records are real sightings. The two views are combined (combine-views).
    // asset_views holds each view's latest record (the highest id), kept by commitBatch.
    const rows = await sql<RecordRowDb & { kind: string }>`
      SELECT r.*, s.kind AS kind FROM asset_views v
      JOIN records r ON r.id = v.last_record_id
      JOIN snapshots s ON s.id = r.snapshot_id
      ORDER BY r.asset_id, r.id
    `.execute(this.db);
    const byAsset = new Map<number, KnownAssetRow>();
    for (const r of rows.rows) {
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

  async commitBatch(snapshotId: number, rows: RecordRow[], updates: RecordRow[] = [], documents: ImportedDocument[] = []): Promise<void> {
    if (rows.length === 0 && updates.length === 0 && documents.length === 0) return;
    // better-sqlite3 directly, with statements prepared once per store and run row by row: a batch
    // is one transaction either way, and this saves building, compiling and preparing a multi-row
    // statement per batch (kysely prepares every query it runs). BEGIN IMMEDIATE takes the write
    // lock first. kysely's connection is held meanwhile, so none of its transactions is open.
    const st = (this.writeStatements ??= prepareWriteStatements(this.raw));
    const write = this.raw.transaction(() => {
      // Which view the records are of, for asset_views (migration 4).
      const kind = st.snapshotKind.get(snapshotId) as string | undefined;
      const isScan = (kind ?? 'scan') === 'scan' ? 1 : 0;
      for (const row of updates) {
        const values = recordValues(snapshotId, row);
        const updated = st.updateRecord.get(values) as { id: number } | undefined;
        if (updated === undefined) throw new StoreError(`snapshot ${snapshotId}: no record of asset ${row.assetId} to update`);
        st.deleteMacs.run(updated.id);
        // Same record (same id); only its seen_at may have moved, which matters for a first sighting.
        st.updateFirstSeen.run(row.seenAt, row.assetId, isScan, snapshotId);
        for (const mac of row.summary.macs) st.insertMac.run(updated.id, snapshotId, row.assetId, mac);
      }
      for (const r of rows) if (r.newAsset) st.insertAsset.run(r.assetId, snapshotId, r.seenAt);
      for (const r of rows) {
        const recordId = Number(st.insertRecord.run(recordValues(snapshotId, r)).lastInsertRowid);
        for (const mac of r.summary.macs) st.insertMac.run(recordId, snapshotId, r.assetId, mac);
        // Each new record is its asset's latest in its view (ids only grow), and the first when the
        // view has none yet.
        st.upsertView.run(r.assetId, isScan, snapshotId, r.seenAt, snapshotId, recordId);
      }
      // In the records' transaction: a document counts as imported exactly when its record is stored.
      // A row left by an interrupted import is taken over.
      for (const d of documents) st.upsertDocument.run(d.sha256, snapshotId, d.assetId, d.collectedAt, d.file, d.importedAt);
    });
    await this.db.connection().execute(async () => {
      write.immediate();
    });
  }

  async snapshotRecord(snapshotId: number, assetId: number): Promise<RecordRow | null> {
    const r = await this.db
      .selectFrom('records')
      .selectAll()
      .where('snapshot_id', '=', snapshotId)
      .where('asset_id', '=', assetId)
      .executeTakeFirst();
    if (!r) return null;
    const created = await this.db
      .selectFrom('assets')
      .select('created_snapshot_id')
      .where('id', '=', assetId)
      .executeTakeFirst();
    return {
      assetId,
      newAsset: created?.created_snapshot_id === snapshotId,
      seenAt: r.seen_at,
      summary: summaryOf(r),
      facts: JSON.parse(r.facts),
      statuses: JSON.parse(r.statuses),
      evidence: JSON.parse(r.evidence),
      conflicts: JSON.parse(r.conflicts),
    };
  }

  async snapshotRecordFacts(snapshotId: number, factKeys: readonly FactKey[]): Promise<SnapshotRecordFacts[]> {
    // json_extract per key: only the named facts leave SQLite, not every record's whole document.
    const rows = await this.db
      .selectFrom('records')
      .select(['asset_id', 'address', 'addresses', 'macs', 'hostname', 'vendor', 'model', 'serial', 'type', 'os', 'firmware', 'smbios_uuid', 'snmp_engine_id', 'open_ports'])
      .select(() => factKeys.map((key, i) => sql<string | null>`json_extract(facts, ${`$.${key}`})`.as(`f${i}`)))
      .where('snapshot_id', '=', snapshotId)
      .orderBy('id')
      .execute();
    return rows.map((r) => {
      const facts: Record<string, unknown> = {};
      const picked = r as unknown as Record<string, string | null>;
      factKeys.forEach((key, i) => {
        const v = picked[`f${i}`];
        if (v !== null && v !== undefined) facts[key] = JSON.parse(v);
      });
      return { assetId: r.asset_id, summary: summaryOf(r as RecordRowDb), facts: facts as Facts };
    });
  }

  async updateSnapshotFacts(snapshotId: number, updates: readonly SnapshotFactsUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const u of updates) {
        // json_set replaces each named fact whole (json_patch would merge into a stale one).
        const pairs = Object.entries(u.facts).map(([key, value]) => sql`${`$.${key}`}, json(${JSON.stringify(value)})`);
        if (pairs.length === 0) continue;
        await trx
          .updateTable('records')
          .set({ facts: sql<string>`json_set(facts, ${sql.join(pairs)})` })
          .where('snapshot_id', '=', snapshotId)
          .where('asset_id', '=', u.assetId)
          .execute();
      }
    });
  }

  async importedHashes(sha256s: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunks([...sha256s], 500)) {
      const rows = await this.db
        .selectFrom('imported_documents as d')
        .innerJoin('snapshots as s', 's.id', 'd.snapshot_id')
        .select('d.sha256')
        .where('s.status', '=', 'complete')
        .where('d.sha256', 'in', chunk)
        .execute();
      for (const r of rows) found.add(r.sha256);
    }
    return found;
  }

  async finishSnapshot(
    id: number,
    status: SnapshotStatus,
    counts: SnapshotCounts,
    finishedAt: string,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      let options: string | undefined;
      if (details) {
        const row = await trx.selectFrom('snapshots').select('options').where('id', '=', id).executeTakeFirst();
        options = JSON.stringify({ ...JSON.parse(row?.options ?? '{}'), ...details });
      }
      await trx
        .updateTable('snapshots')
        .set({ status, counts: JSON.stringify(counts), finished_at: finishedAt, ...(options ? { options } : {}) })
        .where('id', '=', id)
        .execute();
    });
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
      .where('pruned_at', 'is', null)
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
      .where('pruned_at', 'is', null)
      .where('started_at', '<', isoInstant)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? snapshotOf(row) : null;
  }

  async inventoryAsOf(snapshotId: number, filter: InventoryFilter = {}, options: InventoryOptions = {}): Promise<InventoryEntry[]> {
    // Per asset, the latest record of each view (network scans; local probes and imports) up to the
    // snapshot, combined (combine-views.ts), in listing order: types first (unknown last), then
    // numeric address, then id. See inventory-stream.ts and the interface's comment for the rules.
    return [...streamInventoryAsOf(this.db, this.raw, snapshotId, filter, options)];
  }

  streamInventoryAsOf(snapshotId: number, filter: InventoryFilter = {}, options: InventoryOptions = {}): AsyncIterable<InventoryEntry> {
    return asyncOf(() => streamInventoryAsOf(this.db, this.raw, snapshotId, filter, options));
  }

  streamInventoryPairs(fromId: number, toId: number, options: PairOptions = {}): AsyncIterable<[InventoryEntry | null, InventoryEntry | null]> {
    return asyncOf(() => streamInventoryPairs(this.db, this.raw, fromId, toId, options));
  }

  async assetIdSpan(snapshotId: number): Promise<AssetIdSpan | null> {
    return assetIdSpan(this.db, this.raw, snapshotId);
  }

  async snapshotHistory(snapshotId: number, limit: number): Promise<SnapshotHistoryPoint[]> {
    return snapshotHistory(this.db, snapshotId, limit);
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
        's.kind as s_kind',
        's.pruned_at as s_pruned_at',
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
        kind: r.s_kind,
        pruned_at: r.s_pruned_at,
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

type WriteStatements = ReturnType<typeof prepareWriteStatements>;

/** commitBatch's statements, prepared once per store. */
function prepareWriteStatements(raw: BetterSqlite3.Database) {
  const recordColumns = ['seen_at', 'address', 'address_num', 'addresses', 'macs', 'hostname', 'vendor', 'model', 'serial', 'type', 'os', 'firmware', 'smbios_uuid', 'snmp_engine_id', 'open_ports', 'facts', 'statuses', 'evidence', 'conflicts'];
  return {
    snapshotKind: raw.prepare('SELECT kind FROM snapshots WHERE id = ?').pluck(),
    insertAsset: raw.prepare('INSERT INTO assets (id, created_snapshot_id, created_at) VALUES (?, ?, ?)'),
    insertRecord: raw.prepare(
      `INSERT INTO records (snapshot_id, asset_id, ${recordColumns.join(', ')}) VALUES (@snapshot_id, @asset_id, ${recordColumns.map((c) => `@${c}`).join(', ')})`,
    ),
    updateRecord: raw.prepare(
      `UPDATE records SET ${recordColumns.map((c) => `${c} = @${c}`).join(', ')} WHERE snapshot_id = @snapshot_id AND asset_id = @asset_id RETURNING id`,
    ),
    deleteMacs: raw.prepare('DELETE FROM record_macs WHERE record_id = ?'),
    insertMac: raw.prepare('INSERT INTO record_macs (record_id, snapshot_id, asset_id, mac) VALUES (?, ?, ?, ?)'),
    updateFirstSeen: raw.prepare('UPDATE asset_views SET first_seen_at = ? WHERE asset_id = ? AND is_scan = ? AND first_snapshot_id = ?'),
    upsertView: raw.prepare(
      `INSERT INTO asset_views (asset_id, is_scan, first_snapshot_id, first_seen_at, last_snapshot_id, last_record_id) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (asset_id, is_scan) DO UPDATE SET last_snapshot_id = excluded.last_snapshot_id, last_record_id = excluded.last_record_id`,
    ),
    upsertDocument: raw.prepare(
      `INSERT INTO imported_documents (sha256, snapshot_id, asset_id, collected_at, file, imported_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (sha256) DO UPDATE SET snapshot_id = excluded.snapshot_id, asset_id = excluded.asset_id,
         collected_at = excluded.collected_at, file = excluded.file, imported_at = excluded.imported_at`,
    ),
  };
}

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
    facts: r.factsJson ?? JSON.stringify(r.facts),
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
    kind: (r.kind ?? 'scan') as SnapshotKind,
    toolVersion: r.tool_version,
    pid: r.pid,
    host: r.host,
    ...(r.pruned_at ? { prunedAt: r.pruned_at } : {}),
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

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
