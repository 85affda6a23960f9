// Snapshot references: an id, "latest", "latest~N", or a date YYYY-MM-DD meaning the last complete
// snapshot on or before that (local) day.
import { UsageError, type Snapshot } from '../model/index.js';
import type { InventoryStore } from '../store/inventory-store.js';

export type SnapshotRef =
  | { kind: 'id'; id: number }
  | { kind: 'latest'; offset: number }
  | { kind: 'date'; endOfDay: Date; text: string };

export function parseSnapshotRef(text: string): SnapshotRef {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { kind: 'id', id: Number(t) };
  if (t === 'latest') return { kind: 'latest', offset: 0 };
  const tilde = /^latest~(\d+)$/.exec(t);
  if (tilde) return { kind: 'latest', offset: Number(tilde[1]) };
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const start = new Date(y, m - 1, d);
    if (start.getFullYear() !== y || start.getMonth() !== m - 1 || start.getDate() !== d) {
      throw new UsageError(`snapshot "${text}": ${t} is not a calendar date; write YYYY-MM-DD`);
    }
    return { kind: 'date', endOfDay: new Date(y, m - 1, d + 1), text: t };
  }
  throw new UsageError(`snapshot "${text}" is not an id, "latest", "latest~N" or a date YYYY-MM-DD; list them with "netcensus snapshots"`);
}

export async function resolveSnapshot(store: InventoryStore, text: string): Promise<Snapshot> {
  const ref = parseSnapshotRef(text);
  let found: Snapshot | null;
  switch (ref.kind) {
    case 'id':
      found = await store.getSnapshot(ref.id);
      if (!found) throw new UsageError(`snapshot ${ref.id} does not exist; list them with "netcensus snapshots"`);
      return notPruned(found);
    case 'latest':
      found = await store.latestComplete(ref.offset);
      if (!found) {
        throw new UsageError(
          ref.offset === 0
            ? 'no complete snapshot yet; run "netcensus scan TARGET" first'
            : `there is no complete snapshot ${ref.offset} before the latest; list them with "netcensus snapshots"`,
        );
      }
      return notPruned(found);
    case 'date':
      found = await store.lastCompleteBefore(ref.endOfDay.toISOString());
      if (!found) throw new UsageError(`no complete snapshot on or before ${ref.text}; list them with "netcensus snapshots"`);
      return notPruned(found);
  }
}

/** A pruned snapshot's records are mostly gone, so it cannot stand for an inventory any more. */
function notPruned(snapshot: Snapshot): Snapshot {
  if (snapshot.prunedAt) {
    throw new UsageError(
      `snapshot ${snapshot.id} (${snapshot.startedAt}) was pruned on ${snapshot.prunedAt}: its records are gone; name a later snapshot (see "netcensus snapshots")`,
    );
  }
  return snapshot;
}
