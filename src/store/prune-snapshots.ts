// Retention: `netcensus prune` removes old snapshots' records and gives the space back (VACUUM).
//
// What is kept, and why: pruning always takes a prefix of the history (every snapshot before a
// cutoff), so every snapshot after it still reads exactly as before. Per asset and per view
// (network scans; local probes and imports), of the records in the pruned range we keep
//   - its first sighting in a complete snapshot (first seen, as listings and exports show it),
//   - its latest sighting in a complete snapshot (its state and "missing since" date in every later
//     inventory, so an asset absent since then is still listed),
//   - its latest sighting of all (what identity matches the next scan against),
// and delete the rest. The snapshot rows stay, marked pruned: assets and imported documents point
// at them, ids in earlier exports and reports still name a listed run, and listings say what became
// of it. A pruned snapshot cannot be named for an inventory, diff or export any more.
//
// A running scan is never touched (it is newer than any cutoff), and it only reads assets' latest
// records, which are kept, so pruning needs no lock. VACUUM needs the database to itself: when a
// scan is writing, it is skipped and says so.
import { statSync } from 'node:fs';
import { sql } from 'kysely';
import type { SqliteStore } from './sqlite-store.js';

export interface PrunePolicy {
  /** Keep the latest N complete snapshots (and everything after the oldest of them). */
  keepLast?: number;
  /** Prune snapshots started more than this long before `now`. */
  olderThanMs?: number;
}

export interface PruneResult {
  /** Every snapshot before this id is pruned (null: nothing to prune). */
  cutoffId: number | null;
  /** Snapshots pruned by this call. */
  pruned: number[];
  recordsDeleted: number;
  /** Records kept in the pruned range: first and latest sightings. */
  recordsKept: number;
  bytesBefore: number;
  bytesAfter: number;
  vacuumed: boolean;
  /** Why VACUUM did not run, when it did not. */
  vacuumSkipped?: string;
  dryRun: boolean;
}

interface SnapshotKey {
  id: number;
  status: string;
  started_at: string;
  pruned_at: string | null;
}

/**
 * The first snapshot id that stays. With both rules, a snapshot is pruned only when both say so;
 * the latest complete snapshot always stays.
 */
export function pruneCutoff(snapshots: readonly SnapshotKey[], policy: PrunePolicy, now: Date): number | null {
  const complete = snapshots.filter((s) => s.status === 'complete').sort((a, b) => a.id - b.id);
  const latest = complete.at(-1);
  if (!latest) return null;
  const cutoffs: number[] = [latest.id];
  if (policy.keepLast !== undefined) {
    cutoffs.push(complete.length > policy.keepLast ? complete[complete.length - policy.keepLast]!.id : 0);
  }
  if (policy.olderThanMs !== undefined) {
    const limit = new Date(now.getTime() - policy.olderThanMs).toISOString();
    // Clocks can step back: the cutoff is the first snapshot started after the limit, so what goes
    // is always a prefix of the history.
    const firstRecent = [...snapshots].sort((a, b) => a.id - b.id).find((s) => s.started_at >= limit);
    cutoffs.push(firstRecent?.id ?? Number.MAX_SAFE_INTEGER);
  }
  const cutoff = Math.min(...cutoffs);
  return snapshots.some((s) => s.id < cutoff && s.status !== 'running') ? cutoff : null;
}

export async function pruneSnapshots(store: SqliteStore, policy: PrunePolicy, options: { now: Date; dryRun?: boolean }): Promise<PruneResult> {
  const db = store.db;
  const bytesBefore = fileBytes(store.path);
  const snapshots = await db.selectFrom('snapshots').select(['id', 'status', 'started_at', 'pruned_at']).orderBy('id').execute();
  const cutoffId = pruneCutoff(snapshots, policy, options.now);
  const result: PruneResult = {
    cutoffId,
    pruned: [],
    recordsDeleted: 0,
    recordsKept: 0,
    bytesBefore,
    bytesAfter: bytesBefore,
    vacuumed: false,
    dryRun: Boolean(options.dryRun),
  };
  if (cutoffId === null) return result;
  result.pruned = snapshots.filter((s) => s.id < cutoffId && s.status !== 'running' && s.pruned_at === null).map((s) => s.id);

  const prunedAt = options.now.toISOString();
  await db.transaction().execute(async (trx) => {
    await sql`DROP TABLE IF EXISTS temp.prune_records`.execute(trx);
    await sql`
      CREATE TEMP TABLE prune_records AS
      WITH candidates AS (
        SELECT r.id, r.asset_id, r.snapshot_id, s.kind = 'scan' AS is_scan, s.status = 'complete' AS is_complete
        FROM records r JOIN snapshots s ON s.id = r.snapshot_id
        WHERE r.snapshot_id < ${cutoffId} AND s.status <> 'running'
      ),
      kept AS (
        SELECT asset_id, is_scan,
               coalesce(min(CASE WHEN is_complete THEN snapshot_id END), -1) AS first_complete,
               coalesce(max(CASE WHEN is_complete THEN snapshot_id END), -1) AS last_complete,
               max(snapshot_id) AS last_any
        FROM candidates GROUP BY asset_id, is_scan
      )
      SELECT c.id AS id, c.snapshot_id NOT IN (k.first_complete, k.last_complete, k.last_any) AS doomed
      FROM candidates c JOIN kept k ON k.asset_id = c.asset_id AND k.is_scan = c.is_scan
    `.execute(trx);
    const counts = await sql<{ doomed: number; n: number }>`SELECT doomed, count(*) AS n FROM temp.prune_records GROUP BY doomed`.execute(trx);
    for (const row of counts.rows) {
      if (row.doomed) result.recordsDeleted = Number(row.n);
      else result.recordsKept = Number(row.n);
    }
    if (!options.dryRun) {
      await sql`DELETE FROM record_macs WHERE record_id IN (SELECT id FROM temp.prune_records WHERE doomed)`.execute(trx);
      await sql`DELETE FROM records WHERE id IN (SELECT id FROM temp.prune_records WHERE doomed)`.execute(trx);
      await sql`UPDATE snapshots SET pruned_at = ${prunedAt} WHERE id < ${cutoffId} AND status <> 'running' AND pruned_at IS NULL`.execute(trx);
    }
    await sql`DROP TABLE temp.prune_records`.execute(trx);
  });
  if (options.dryRun || (result.recordsDeleted === 0 && result.pruned.length === 0)) return result;

  try {
    await sql`VACUUM`.execute(db);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    result.vacuumed = true;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    result.vacuumSkipped = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
      ? 'the database is busy (a scan is writing); the space is reused, and the next prune gives it back'
      : `VACUUM failed: ${(error as Error).message}`;
  }
  result.bytesAfter = fileBytes(store.path);
  return result;
}

/** The database file and its write-ahead log. */
function fileBytes(path: string): number {
  const size = (p: string): number => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return size(path) + size(`${path}-wal`);
}
