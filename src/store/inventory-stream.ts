// Read queries for listings, exports, reports and diffs, sized for 100,000 assets over many
// snapshots.
//
// The inventory as of a snapshot (the rules are in the InventoryStore interface's comment: two views
// per asset, combined; "missing" only after a network scan) is read from asset_views (migration 4):
// per asset and view, its first and latest record. Where a row's record is in a snapshot eligible
// as of the one asked for (always, for the latest snapshot), it is used as it is; otherwise the
// latest (or first) eligible record of that view is sought on records_asset, one short index seek
// per asset. First seen is the earliest seen_at of the two views' first records, last seen the
// later of their latest records'.
//
// Rows come straight from a SQLite cursor (better-sqlite3's iterate(), in raw mode), one at a time:
//   - streamInventoryAsOf: in listing order (type, address, id), sorted by SQLite (whose sorter
//     spills to disk), so an export holds one row at a time instead of the whole inventory;
//   - streamInventoryPairs: two snapshots' inventories side by side in asset id order (one pass over
//     asset_views for both), optionally without the assets whose state did not change, so a diff
//     holds (and builds) only the changes.
// Facts are read only when asked for; with factKeys (a listing's attachment), only those facts
// leave SQLite (json_extract), not every record's whole document. A diff's pairs read the facts as
// text and parse a document only when it names one of the keys: its software and hardware facts
// come from local probes and imports, so most records (network scans) name none, and a text search
// costs less than json_extract's parse of every record read. Where no snapshot read is a local probe
// or an import, no record can name them, and the documents are not read at all (documentFactsOnly).
//
// Where no snapshot eligible holds a document view (network scans only, the common case), each asset
// has one asset_views row and the queries read it without grouping, and rows carry no document
// columns.
//
// The SQL is written with kysely's `sql` template (portable; values bound, never spliced) and run
// through better-sqlite3's `iterate()`, which kysely's raw queries do not expose. While a stream is
// open the connection cannot write: finish (or break out of) it first.
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DeviceSummary, DeviceType, FactKey, Facts, InventoryEntry } from '../model/index.js';
import { combineFacts, combineSummaries } from './combine-views.js';
import type { AssetIdSpan, InventoryFilter, InventoryOptions, PairOptions, SnapshotHistoryPoint } from './inventory-store.js';
import type { Database } from './schema.js';

/** One view's columns, in this order, in every row the queries below return. */
const VIEW_COLUMNS = [
  'id',
  'snapshot_id',
  'seen_at',
  'address',
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
] as const;
const C = Object.fromEntries(VIEW_COLUMNS.map((c, i) => [c, i])) as { [K in (typeof VIEW_COLUMNS)[number]]: number };
/** Facts follow a view's columns when they are read. */
const FACTS_AT = VIEW_COLUMNS.length;
/** A row: asset_id, first_seen_at, then the network view's columns, then the document view's. */
const ASSET_AT = 0;
const FIRST_SEEN_AT = 1;
const NETWORK_AT = 2;

type Row = unknown[];

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

/**
 * What of the facts a query reads: none, all, or only these keys, picked by SQLite (`keys`) or, from
 * the whole document read as text, in JS (`pick`: the document parsed only when it names a key);
 * `empty`: keys no record read can hold (documentFactsOnly), so every entry's facts are {} unread.
 */
type FactsWanted = { kind: 'none' } | { kind: 'empty' } | { kind: 'all' } | { kind: 'keys' | 'pick'; keys: readonly FactKey[] };

/**
 * Facts only a machine's own document holds: local probes and imports (scan/local); no network
 * scanner records them (model/facts.ts). The software and hardware a diff compares are such facts.
 */
const DOCUMENT_FACTS: ReadonlySet<FactKey> = new Set<FactKey>(['software', 'memory', 'disks', 'cpu']);

/**
 * The facts wanted, knowing whether any snapshot read can hold a document view: where none can,
 * wanted keys that only documents hold are absent from every record, and reading them (a diff read
 * every record's whole document as text, to find none) is left out.
 */
function documentFactsOnly(facts: FactsWanted, documents: boolean): FactsWanted {
  if (documents || (facts.kind !== 'keys' && facts.kind !== 'pick')) return facts;
  return facts.keys.every((k) => DOCUMENT_FACTS.has(k)) ? { kind: 'empty' } : facts;
}

function factsWanted(options: InventoryOptions): FactsWanted {
  if (!options.withFacts) return { kind: 'none' };
  return options.factKeys === undefined ? { kind: 'all' } : { kind: 'keys', keys: options.factKeys };
}

function viewColumns(alias: string, facts: FactsWanted): RawBuilder<unknown> {
  const cols: RawBuilder<unknown>[] = VIEW_COLUMNS.map((c) => sql.raw(`${alias}.${c}`));
  const f = factsColumn(alias, facts);
  if (f !== null) cols.push(f);
  return sql.join(cols);
}

/** The facts a query reads of a record: none (null), all, or (with keys) only those. */
function factsColumn(alias: string, facts: FactsWanted): RawBuilder<unknown> | null {
  const f = sql.raw(`${alias}.facts`);
  if (facts.kind === 'none' || facts.kind === 'empty') return null;
  if (facts.kind === 'all' || facts.kind === 'pick') return f;
  // Only these facts leave SQLite, as one JSON array of their values (null where absent; facts
  // never hold a null value). Two paths at least, so that the answer is always an array.
  if (facts.keys.length === 0) return sql`NULL`;
  return extractKeys(f, facts.keys);
}

/** json_extract of the keys from a facts document: one JSON array of their values. */
function extractKeys(f: RawBuilder<unknown>, keys: readonly FactKey[]): RawBuilder<unknown> {
  const paths = (keys.length === 1 ? [keys[0]!, keys[0]!] : keys).map((k) => sql`${`$.${k}`}`);
  return sql`json_extract(${f}, ${sql.join(paths)})`;
}

/** Whether two records' facts are equal as read: the same text, or (keys) the same values of the keys. */
function sameFacts(b: string, a: string, facts: FactsWanted): RawBuilder<unknown> | null {
  const bf = sql.raw(`${b}.facts`);
  const af = sql.raw(`${a}.facts`);
  if (facts.kind === 'none' || facts.kind === 'empty') return null;
  if (facts.kind === 'all') return sql`${bf} IS ${af}`;
  if (facts.keys.length === 0) return null;
  // The same text first: one comparison, and the common answer for a device that did not change.
  return sql`(${bf} IS ${af} OR ${extractKeys(bf, facts.keys)} IS ${extractKeys(af, facts.keys)})`;
}

/** The snapshots eligible as of one (complete ones up to it, and itself), as a CTE. */
function eligibleAsOf(name: string, snapshotId: number): RawBuilder<unknown> {
  return sql`${sql.raw(name)} AS (
      SELECT id, kind = 'scan' AS is_scan FROM snapshots
      WHERE id <= ${snapshotId} AND (status = 'complete' OR id = ${snapshotId})
    )`;
}

/**
 * Of the asset_views row `v`, the view's latest record (id) and its first sighting (seen_at) as of
 * the snapshot: the row's own where its snapshot is eligible, else sought on records_asset. NULL
 * when the view has no eligible record.
 */
function viewAsOf(snapshotId: number, eligible: string): { recordId: RawBuilder<unknown>; firstSeenAt: RawBuilder<unknown> } {
  const e = sql.raw(eligible);
  // An eligible record of the row's view: its (snapshot, view) in the list of eligible snapshots.
  // The list does not depend on the row, so SQLite builds it once (`WHERE is_scan = v.is_scan`
  // would rebuild it for every row); the unary + keeps it off the index, which is walked on
  // (asset_id, snapshot_id <= S) from the newest (or oldest) record, stopping at the first eligible.
  const eligibleRecord = sql`(+r.snapshot_id, v.is_scan) IN (SELECT id, is_scan FROM ${e})`;
  return {
    recordId: sql`CASE WHEN v.first_snapshot_id > ${snapshotId} THEN NULL
                  WHEN v.last_snapshot_id IN (SELECT id FROM ${e}) THEN v.last_record_id
                  ELSE (SELECT r.id FROM records r INDEXED BY records_asset
                        WHERE r.asset_id = v.asset_id AND r.snapshot_id <= ${snapshotId} AND ${eligibleRecord}
                        ORDER BY r.snapshot_id DESC LIMIT 1)
             END`,
    firstSeenAt: sql`CASE WHEN v.first_snapshot_id > ${snapshotId} THEN NULL
                  WHEN v.first_snapshot_id IN (SELECT id FROM ${e}) THEN v.first_seen_at
                  ELSE (SELECT r.seen_at FROM records r INDEXED BY records_asset
                        WHERE r.asset_id = v.asset_id AND r.snapshot_id <= ${snapshotId} AND ${eligibleRecord}
                        ORDER BY r.snapshot_id LIMIT 1)
             END`,
  };
}

/**
 * Per asset known as of the snapshot: the record ids of its two views (network n_id, document d_id)
 * and its first sighting, in asset id order, as the CTE per_asset.
 */
function perAssetAsOf(snapshotId: number, seeks: boolean): RawBuilder<unknown> {
  const view = viewAsOf(snapshotId, 'eligible');
  // Where rows will need seeking (an older snapshot), each view's answer is computed once and kept
  // (MATERIALIZED), not again for each use of it below; for the latest, the row's own is cheaper.
  return sql`
    ${eligibleAsOf('eligible', snapshotId)},
    views AS ${seeks ? sql`MATERIALIZED` : sql``} (
      SELECT v.asset_id AS asset_id, v.is_scan AS is_scan, ${view.recordId} AS record_id, ${view.firstSeenAt} AS first_seen_at
      FROM asset_views v
      WHERE v.first_snapshot_id <= ${snapshotId}
    ),
    per_asset AS (
      SELECT asset_id,
             MAX(CASE WHEN is_scan THEN record_id END) AS n_id,
             MAX(CASE WHEN is_scan THEN NULL ELSE record_id END) AS d_id,
             MIN(CASE WHEN record_id IS NOT NULL THEN first_seen_at END) AS first_seen_at
      FROM views GROUP BY asset_id
      HAVING n_id IS NOT NULL OR d_id IS NOT NULL
    )`;
}

function asOfQuery(snapshotId: number, filter: InventoryFilter, facts: FactsWanted, order: 'listing' | 'asset', documents: boolean, latest: boolean): RawBuilder<Row> {
  if (!documents) {
    // Only network views: one asset_views row per asset, nothing to group, no document columns.
    // Each of the view's answers is used once (the join, the column), so it is computed once a row.
    const view = viewAsOf(snapshotId, 'eligible');
    return sql<Row>`
      WITH ${eligibleAsOf('eligible', snapshotId)}
      SELECT v.asset_id, ${view.firstSeenAt}, ${viewColumns('n', facts)}
      FROM asset_views v
      JOIN records n ON n.id = ${view.recordId}
      WHERE v.is_scan = 1 AND v.first_snapshot_id <= ${snapshotId} AND ${viewMatches('n', filter)}
      ORDER BY ${order === 'listing' ? sql`coalesce(n.type, 'zzz'), n.address_num, v.asset_id` : sql`v.asset_id`}
    `;
  }
  const orderBy =
    order === 'listing'
      ? sql`coalesce(coalesce(d.type, n.type), 'zzz'), CASE WHEN n.id IS NULL THEN d.address_num ELSE n.address_num END, p.asset_id`
      : sql`p.asset_id`;
  return sql<Row>`
    WITH ${perAssetAsOf(snapshotId, !latest)}
    SELECT p.asset_id, p.first_seen_at, ${viewColumns('n', facts)}, ${viewColumns('d', facts)}
    FROM per_asset p
    LEFT JOIN records n ON n.id = p.n_id
    LEFT JOIN records d ON d.id = p.d_id
    WHERE ${viewMatches('n', filter)} OR ${viewMatches('d', filter)}
    ORDER BY ${orderBy}
  `;
}

/** Whether this is the newest snapshot of all (asset_views rows then answer without seeking). */
function isLatest(db: Kysely<Database>, raw: BetterSqlite3.Database, snapshotId: number): boolean {
  const q = sql`SELECT 1 FROM snapshots WHERE id > ${snapshotId} LIMIT 1`.compile(db);
  return raw.prepare(q.sql).get(...(q.parameters as unknown[])) === undefined;
}

/** Whether any snapshot eligible as of this one is a local probe or an import (a document view). */
function hasDocuments(db: Kysely<Database>, raw: BetterSqlite3.Database, snapshotId: number): boolean {
  const q = sql`SELECT 1 FROM snapshots WHERE id <= ${snapshotId} AND kind <> 'scan' LIMIT 1`.compile(db);
  return raw.prepare(q.sql).get(...(q.parameters as unknown[])) !== undefined;
}

/** The latest network scan eligible as of the snapshot: who was not seen by then is missing. */
function referenceScan(db: Kysely<Database>, raw: BetterSqlite3.Database, snapshotId: number): number | null {
  const q = sql`SELECT max(id) FROM snapshots WHERE id <= ${snapshotId} AND (status = 'complete' OR id = ${snapshotId}) AND kind = 'scan'`.compile(db);
  return (raw.prepare(q.sql).pluck().get(...(q.parameters as unknown[])) as number | null) ?? null;
}

function rows(db: Kysely<Database>, raw: BetterSqlite3.Database, query: RawBuilder<Row>): IterableIterator<Row> {
  const compiled = query.compile(db);
  return raw.prepare(compiled.sql).raw(true).iterate(...(compiled.parameters as unknown[])) as IterableIterator<Row>;
}

/** Reads entries of one snapshot's inventory from query rows. */
class EntryReader {
  private readonly width: number;
  /** For `pick`: any of the keys as it appears in a document's JSON text (`"software"`). */
  private readonly named: RegExp | null;
  /**
   * @param documents whether rows carry the document view's columns (after the network view's);
   *   queries leave them out where no eligible snapshot can hold a document view.
   */
  constructor(
    private readonly snapshotId: number,
    private readonly referenceId: number | null,
    private readonly facts: FactsWanted,
    private readonly documents = true,
  ) {
    this.width = VIEW_COLUMNS.length + (facts.kind === 'none' || facts.kind === 'empty' ? 0 : 1);
    // One pass of a regular expression: several String#includes cost four times as much.
    this.named = facts.kind === 'pick' && facts.keys.length > 0 ? new RegExp(`"(?:${facts.keys.map((k) => k.replace(/[^A-Za-z0-9]/g, '\\$&')).join('|')})"`) : null;
  }

  /** Columns of one side of a row: asset_id, first_seen_at, the network view's, the document view's. */
  get sideWidth(): number {
    return NETWORK_AT + (this.documents ? 2 : 1) * this.width;
  }

  /** The entry whose columns start at `offset` of the row. */
  entry(row: Row, offset = 0): InventoryEntry {
    const n = offset + NETWORK_AT;
    const d = n + this.width;
    const hasNetwork = row[n] !== null;
    const hasDocument = this.documents && row[d] !== null;
    if (!(hasNetwork && hasDocument)) return this.single(row, offset, hasNetwork ? n : d, hasNetwork);
    const base = (row[d + C.snapshot_id] as number) > (row[n + C.snapshot_id] as number) ? d : n;
    const summary = hasNetwork && hasDocument ? combineSummaries(summaryAt(row, n), summaryAt(row, d)) : summaryAt(row, base);
    let facts: Facts | undefined;
    if (this.facts.kind !== 'none') {
      facts = hasNetwork && hasDocument ? combineFacts(this.factsAt(row, n), this.factsAt(row, d)) : this.factsAt(row, base);
    }
    const baseSnapshot = row[base + C.snapshot_id] as number;
    const seen = baseSnapshot === this.snapshotId || !hasNetwork || this.referenceId === null || baseSnapshot >= this.referenceId;
    const nSeen = hasNetwork ? (row[n + C.seen_at] as string) : null;
    const dSeen = hasDocument ? (row[d + C.seen_at] as string) : null;
    const lastSeenAt = nSeen === null ? dSeen! : dSeen === null ? nSeen : dSeen > nSeen ? dSeen : nSeen;
    return {
      ...summary,
      assetId: row[offset + ASSET_AT] as number,
      snapshotId: baseSnapshot,
      seen,
      firstSeenAt: row[offset + FIRST_SEEN_AT] as string,
      lastSeenAt,
      ...(facts !== undefined ? { facts } : {}),
    };
  }

  /**
   * entry() of an asset known from one view only: the summary read from the row, completed in
   * place (no copies; the fields come in the same order as entry()'s).
   */
  private single(row: Row, offset: number, at: number, network: boolean): InventoryEntry {
    const snapshotId = row[at + C.snapshot_id] as number;
    const entry = summaryAt(row, at) as InventoryEntry;
    entry.assetId = row[offset + ASSET_AT] as number;
    entry.snapshotId = snapshotId;
    entry.seen = snapshotId === this.snapshotId || !network || this.referenceId === null || snapshotId >= this.referenceId;
    entry.firstSeenAt = row[offset + FIRST_SEEN_AT] as string;
    entry.lastSeenAt = row[at + C.seen_at] as string;
    if (this.facts.kind !== 'none') entry.facts = this.factsAt(row, at);
    return entry;
  }

  private factsAt(row: Row, at: number): Facts {
    if (this.facts.kind === 'empty') return {};
    const text = row[at + FACTS_AT] as string | null;
    if (this.facts.kind === 'pick') {
      // The whole document as text: what the keys' json_extract would keep, parsed only when the
      // text names a key (a key of the document appears in it as "key"; a match elsewhere, a value
      // or a nested key, only costs the parse).
      const out: Record<string, unknown> = {};
      if (text === null || this.named === null || !this.named.test(text)) return out as Facts;
      const all = JSON.parse(text) as Record<string, unknown>;
      for (const k of this.facts.keys) {
        const value = all[k];
        if (value !== undefined && value !== null) out[k] = value;
      }
      return out as Facts;
    }
    if (this.facts.kind === 'keys') {
      // json_extract's array of the keys' values (factsColumn): what pickFacts would keep.
      const out: Record<string, unknown> = {};
      if (text === null) return out as Facts;
      const values = JSON.parse(text) as unknown[];
      this.facts.keys.forEach((k, i) => {
        if (values[i] !== null) out[k] = values[i];
      });
      return out as Facts;
    }
    return JSON.parse(text as string) as Facts;
  }
}

function summaryAt(row: Row, at: number): DeviceSummary {
  return {
    address: row[at + C.address] as string,
    addresses: JSON.parse(row[at + C.addresses] as string),
    macs: JSON.parse(row[at + C.macs] as string),
    hostname: row[at + C.hostname] as string | null,
    vendor: row[at + C.vendor] as string | null,
    model: row[at + C.model] as string | null,
    serial: row[at + C.serial] as string | null,
    type: row[at + C.type] as DeviceType | null,
    os: row[at + C.os] as string | null,
    firmware: row[at + C.firmware] as string | null,
    smbiosUuid: row[at + C.smbios_uuid] as string | null,
    snmpEngineId: row[at + C.snmp_engine_id] as string | null,
    openPorts: JSON.parse(row[at + C.open_ports] as string),
  };
}

/** The inventory as of a snapshot, one entry at a time, in listing order (type, address, id). */
export function* streamInventoryAsOf(
  db: Kysely<Database>,
  raw: BetterSqlite3.Database,
  snapshotId: number,
  filter: InventoryFilter = {},
  options: InventoryOptions = {},
): Generator<InventoryEntry> {
  const documents = hasDocuments(db, raw, snapshotId);
  const facts = documentFactsOnly(factsWanted(options), documents);
  const reader = new EntryReader(snapshotId, referenceScan(db, raw, snapshotId), facts, documents);
  const query = asOfQuery(snapshotId, filter, facts, 'listing', documents, isLatest(db, raw, snapshotId));
  for (const row of rows(db, raw, query)) yield reader.entry(row);
}

/**
 * Two snapshots' inventories side by side, asset by asset in ascending asset id: [before, after],
 * null on the side that does not know the asset. One query: both sides' per-asset views, joined
 * on the asset.
 *
 * With `skipUnchanged`, an asset whose state is the same on both sides is left out: seen (or
 * missing) on both, and of each view the same record, or records equal in every column a diff
 * compares (and in the facts read). Such a pair can hold no change, and most assets of two
 * snapshots are such pairs, so a diff never builds their entries.
 */
export function* streamInventoryPairs(
  db: Kysely<Database>,
  raw: BetterSqlite3.Database,
  fromId: number,
  toId: number,
  options: PairOptions = {},
): Generator<[InventoryEntry | null, InventoryEntry | null]> {
  const wanted = factsWanted(options);
  // The keys of a diff's facts are picked from the documents' text (see EntryReader.factsAt).
  const refBefore = referenceScan(db, raw, fromId);
  const refAfter = referenceScan(db, raw, toId);
  const documents = hasDocuments(db, raw, Math.max(fromId, toId));
  const facts = documentFactsOnly(wanted.kind === 'keys' ? { kind: 'pick', keys: wanted.keys } : wanted, documents);
  const beforeReader = new EntryReader(fromId, refBefore, facts, documents);
  const afterReader = new EntryReader(toId, refAfter, facts, documents);
  const query = pairsQuery(
    { snapshotId: fromId, referenceId: refBefore },
    { snapshotId: toId, referenceId: refAfter },
    facts,
    documents,
    Boolean(options.skipUnchanged),
    options.assetIds ?? {},
  );
  const after = beforeReader.sideWidth;
  for (const row of rows(db, raw, query)) {
    yield [row[ASSET_AT] === null ? null : kept(beforeReader.entry(row)), row[after + ASSET_AT] === null ? null : kept(afterReader.entry(row, after))];
  }
}

/**
 * A copy of an entry, made here. Pairs mostly become changes that live to the end of the command,
 * and V8 learns, per place in the code that allocates, whether its objects live long: then it
 * allocates them in the old generation straight away. Made in EntryReader, those would make every
 * later inventory entry (hundreds of thousands, short-lived) old garbage that only a full GC
 * frees, doubling the peak memory of an export that diffs and then streams.
 */
function kept(entry: InventoryEntry): InventoryEntry {
  return { ...entry };
}

/** The compared columns (see diff/diff-inventories.ts COMPARED_FIELDS) and the facts read. */
const COMPARED_COLUMNS = ['address', 'addresses', 'macs', 'hostname', 'vendor', 'model', 'serial', 'type', 'os', 'firmware', 'open_ports'] as const;

function pairsQuery(
  before: { snapshotId: number; referenceId: number | null },
  after: { snapshotId: number; referenceId: number | null },
  facts: FactsWanted,
  documents: boolean,
  skipUnchanged: boolean,
  ids: NonNullable<PairOptions['assetIds']>,
): RawBuilder<Row> {
  /** The asset id range asked for, on asset_views' key (a seek to its start, a stop at its end). */
  const inRange = sql`${ids.from !== undefined ? sql`AND v.asset_id >= ${ids.from}` : sql``} ${ids.to !== undefined ? sql`AND v.asset_id <= ${ids.to}` : sql``}`;
  /** Same view on both sides: both absent, or the same record, or equal compared columns and facts. */
  const sameView = (view: 'n' | 'd'): RawBuilder<unknown> => {
    const b = sql.raw(`b${view}`);
    const a = sql.raw(`a${view}`);
    const equal = COMPARED_COLUMNS.map((c) => sql`${b}.${sql.raw(c)} IS ${a}.${sql.raw(c)}`);
    const factsEqual = sameFacts(`b${view}`, `a${view}`, facts);
    if (factsEqual !== null) equal.push(factsEqual);
    return sql`((${b}.id IS NULL AND ${a}.id IS NULL) OR (${b}.id IS NOT NULL AND ${a}.id IS NOT NULL AND (${b}.id = ${a}.id OR (${sql.join(equal, sql` AND `)}))))`;
  };
  /** EntryReader's `seen`, in SQL: the latest view's snapshot is this one or not before the reference scan. */
  const seen = (prefix: 'b' | 'a', s: { snapshotId: number; referenceId: number | null }): RawBuilder<unknown> => {
    const n = sql.raw(`${prefix}n`);
    const d = sql.raw(`${prefix}d`);
    if (s.referenceId === null) return sql`1`;
    const base = documents ? sql`max(${n}.snapshot_id, coalesce(${d}.snapshot_id, 0))` : sql`${n}.snapshot_id`;
    return sql`(CASE WHEN ${n}.id IS NULL THEN 1 ELSE (${base} = ${s.snapshotId} OR ${base} >= ${s.referenceId}) END)`;
  };
  /** Leaves out an asset known on both sides in the same state (with `both`: it is known on both). */
  const unchanged = (both: RawBuilder<unknown>): RawBuilder<unknown> =>
    skipUnchanged
      ? sql`AND NOT (${both} AND ${sameView('n')}
                     ${documents ? sql`AND ${sameView('d')}` : sql``} AND ${seen('b', before)} = ${seen('a', after)})`
      : sql``;
  // One pass over asset_views gives both sides' views of each asset (no join of two inventories).
  const b = viewAsOf(before.snapshotId, 'eligible_b');
  const a = viewAsOf(after.snapshotId, 'eligible_a');
  const eligible = sql`${eligibleAsOf('eligible_b', before.snapshotId)}, ${eligibleAsOf('eligible_a', after.snapshotId)}`;
  const last = Math.max(before.snapshotId, after.snapshotId);
  if (!documents) {
    // Network views only: one asset_views row per asset, read in asset order (its key), each side's
    // record joined on the view's answer (computed once, in the join), nothing grouped or sorted.
    return sql<Row>`
      WITH ${eligible}
      SELECT CASE WHEN bn.id IS NOT NULL THEN v.asset_id END, CASE WHEN bn.id IS NOT NULL THEN ${b.firstSeenAt} END, ${viewColumns('bn', facts)},
             CASE WHEN an.id IS NOT NULL THEN v.asset_id END, CASE WHEN an.id IS NOT NULL THEN ${a.firstSeenAt} END, ${viewColumns('an', facts)}
      FROM asset_views v
      LEFT JOIN records bn ON bn.id = ${b.recordId}
      LEFT JOIN records an ON an.id = ${a.recordId}
      WHERE v.is_scan = 1 AND v.first_snapshot_id <= ${last} ${inRange} AND (bn.id IS NOT NULL OR an.id IS NOT NULL)
        ${unchanged(sql`bn.id IS NOT NULL AND an.id IS NOT NULL`)}
      ORDER BY v.asset_id
    `;
  }
  const side = (prefix: 'b' | 'a'): RawBuilder<unknown> =>
    sql`p.${sql.raw(`${prefix}_asset`)}, p.${sql.raw(`${prefix}_first`)}, ${viewColumns(`${prefix}n`, facts)}, ${viewColumns(`${prefix}d`, facts)}`;
  return sql<Row>`
    WITH ${eligible},
    views AS MATERIALIZED (
      SELECT v.asset_id AS asset_id, v.is_scan AS is_scan,
             ${b.recordId} AS b_record, ${b.firstSeenAt} AS b_first,
             ${a.recordId} AS a_record, ${a.firstSeenAt} AS a_first
      FROM asset_views v
      WHERE v.first_snapshot_id <= ${last} ${inRange}
    ),
    per_asset AS (
      SELECT asset_id,
             MAX(CASE WHEN is_scan THEN b_record END) AS b_n,
             MAX(CASE WHEN is_scan THEN NULL ELSE b_record END) AS b_d,
             MIN(CASE WHEN b_record IS NOT NULL THEN b_first END) AS b_first,
             MAX(CASE WHEN is_scan THEN a_record END) AS a_n,
             MAX(CASE WHEN is_scan THEN NULL ELSE a_record END) AS a_d,
             MIN(CASE WHEN a_record IS NOT NULL THEN a_first END) AS a_first
      FROM views GROUP BY asset_id
    ),
    pairs AS (
      SELECT asset_id,
             CASE WHEN b_n IS NOT NULL OR b_d IS NOT NULL THEN asset_id END AS b_asset, b_first, b_n, b_d,
             CASE WHEN a_n IS NOT NULL OR a_d IS NOT NULL THEN asset_id END AS a_asset, a_first, a_n, a_d
      FROM per_asset
      WHERE b_n IS NOT NULL OR b_d IS NOT NULL OR a_n IS NOT NULL OR a_d IS NOT NULL
    )
    SELECT ${side('b')}, ${side('a')}
    FROM pairs p
    LEFT JOIN records bn ON bn.id = p.b_n
    LEFT JOIN records an ON an.id = p.a_n
    LEFT JOIN records bd ON bd.id = p.b_d
    LEFT JOIN records ad ON ad.id = p.a_d
    WHERE TRUE ${unchanged(sql`p.b_asset IS NOT NULL AND p.a_asset IS NOT NULL`)}
    ORDER BY p.asset_id
  `;
}

/**
 * The lowest and highest id of the assets known as of a snapshot (asset_views rows first seen in it
 * or before, as the pairs query reads them): two seeks on asset_views' key, from either end.
 */
export function assetIdSpan(db: Kysely<Database>, raw: BetterSqlite3.Database, snapshotId: number): AssetIdSpan | null {
  const q = sql`
    SELECT (SELECT asset_id FROM asset_views WHERE first_snapshot_id <= ${snapshotId} ORDER BY asset_id LIMIT 1),
           (SELECT asset_id FROM asset_views WHERE first_snapshot_id <= ${snapshotId} ORDER BY asset_id DESC LIMIT 1)
  `.compile(db);
  const [lowest, highest] = raw.prepare(q.sql).raw(true).get(...(q.parameters as unknown[])) as [number | null, number | null];
  return lowest === null || highest === null ? null : { lowest, highest };
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
