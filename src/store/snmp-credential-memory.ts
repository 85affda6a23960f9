// Which SNMP credential last worked for each asset (table snmp_credentials, migration 5), so that
// the next scan tries it first (issue 4: "the one that last worked for that asset first; the winner
// is remembered"). Only the credential's label is stored ("v3 user ops", "community #2"): never a
// community, a key, or a hash of one. The scan reads it once at start, with each asset's latest
// addresses and MACs (its latest network record), and writes the winners after its records are in.
import type { Kysely } from 'kysely';
import type { InventoryStore } from './inventory-store.js';
import type { Database } from './schema.js';
import { SqliteStore } from './sqlite-store.js';

/** An asset's remembered credential, with where the asset was last seen. */
export interface RememberedSnmpCredential {
  assetId: number;
  /** The credential's label, as the scan names it; never a secret. */
  credential: string;
  workedAt: string;
  /** The asset's addresses and MACs in its latest network record. */
  addresses: string[];
  macs: string[];
}

/** One credential that worked in a scan, for one asset. */
export interface SnmpCredentialWinner {
  assetId: number;
  credential: string;
}

export interface SnmpCredentialMemory {
  /** Every remembered credential, the asset seen most recently last. */
  load(): Promise<RememberedSnmpCredential[]>;
  /** Remembers the winners of a scan (replacing what each asset had). */
  remember(snapshotId: number, workedAt: string, winners: readonly SnmpCredentialWinner[]): Promise<void>;
}

interface SnmpCredentialsTable {
  asset_id: number;
  credential: string;
  worked_at: string;
  snapshot_id: number;
}

type MemoryDatabase = Database & { snmp_credentials: SnmpCredentialsTable };

/** The memory of a store that keeps one (SQLite today), else null: the scan then remembers within the run only. */
export function snmpCredentialMemoryOf(store: InventoryStore): SnmpCredentialMemory | null {
  if (!(store instanceof SqliteStore)) return null;
  const db = store.db.withTables<{ snmp_credentials: SnmpCredentialsTable }>() as unknown as Kysely<MemoryDatabase>;
  return {
    async load() {
      const rows = await db
        .selectFrom('snmp_credentials as m')
        .innerJoin('asset_views as v', (join) => join.onRef('v.asset_id', '=', 'm.asset_id').on('v.is_scan', '=', 1))
        .innerJoin('records as r', 'r.id', 'v.last_record_id')
        .select(['m.asset_id', 'm.credential', 'm.worked_at', 'r.address', 'r.addresses', 'r.macs'])
        .orderBy('v.last_record_id')
        .execute();
      return rows.map((r) => ({
        assetId: r.asset_id,
        credential: r.credential,
        workedAt: r.worked_at,
        addresses: [...new Set([r.address, ...parseList(r.addresses)])],
        macs: parseList(r.macs),
      }));
    },
    async remember(snapshotId, workedAt, winners) {
      if (winners.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < winners.length; i += 200) {
          const rows = winners.slice(i, i + 200).map((w) => ({ asset_id: w.assetId, credential: w.credential, worked_at: workedAt, snapshot_id: snapshotId }));
          await trx
            .insertInto('snmp_credentials')
            .values(rows)
            .onConflict((oc) =>
              oc.column('asset_id').doUpdateSet((eb) => ({
                credential: eb.ref('excluded.credential'),
                worked_at: eb.ref('excluded.worked_at'),
                snapshot_id: eb.ref('excluded.snapshot_id'),
              })),
            )
            .execute();
        }
      });
    },
  };
}

function parseList(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
