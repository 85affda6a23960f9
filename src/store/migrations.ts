// Forward-only numbered migrations, applied on open. `PRAGMA user_version` holds the number of the
// last one applied; each runs in its own transaction with the version bump, so a crash mid-way
// leaves the previous version intact.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'snapshots, assets, per-snapshot device records and their MACs',
    sql: `
      CREATE TABLE snapshots (
        id            INTEGER PRIMARY KEY,
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        status        TEXT NOT NULL CHECK (status IN ('running','complete','interrupted','failed')),
        label         TEXT,
        targets       TEXT NOT NULL,
        scanners      TEXT NOT NULL,
        options       TEXT NOT NULL,
        counts        TEXT NOT NULL,
        tool_version  TEXT NOT NULL,
        pid           INTEGER,
        host          TEXT
      );
      CREATE INDEX snapshots_status_started ON snapshots (status, started_at);

      -- An asset is only an identity; its state lives in the records of the snapshots that saw it.
      CREATE TABLE assets (
        id                  INTEGER PRIMARY KEY,
        created_snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
        created_at          TEXT NOT NULL
      );

      CREATE TABLE records (
        id              INTEGER PRIMARY KEY,
        snapshot_id     INTEGER NOT NULL REFERENCES snapshots (id),
        asset_id        INTEGER NOT NULL REFERENCES assets (id),
        seen_at         TEXT NOT NULL,
        address         TEXT NOT NULL,
        address_num     INTEGER,
        addresses       TEXT NOT NULL,
        macs            TEXT NOT NULL,
        hostname        TEXT,
        vendor          TEXT,
        model           TEXT,
        serial          TEXT,
        type            TEXT,
        os              TEXT,
        firmware        TEXT,
        smbios_uuid     TEXT,
        snmp_engine_id  TEXT,
        open_ports      TEXT NOT NULL,
        facts           TEXT NOT NULL,
        statuses        TEXT NOT NULL,
        evidence        TEXT NOT NULL,
        conflicts       TEXT NOT NULL,
        UNIQUE (snapshot_id, asset_id)
      );
      CREATE INDEX records_asset ON records (asset_id, snapshot_id);
      CREATE INDEX records_address ON records (address_num);
      CREATE INDEX records_vendor ON records (vendor);
      CREATE INDEX records_model ON records (model);
      CREATE INDEX records_serial ON records (serial);
      CREATE INDEX records_type ON records (type);
      CREATE INDEX records_hostname ON records (hostname);

      CREATE TABLE record_macs (
        record_id   INTEGER NOT NULL REFERENCES records (id),
        snapshot_id INTEGER NOT NULL,
        asset_id    INTEGER NOT NULL,
        mac         TEXT NOT NULL,
        PRIMARY KEY (record_id, mac)
      );
      CREATE INDEX record_macs_mac ON record_macs (mac);
    `,
  },
  {
    version: 2,
    description: 'snapshot kinds (scan, local, import) and the inventory documents already imported',
    sql: `
      -- A scan's absences mean "missing"; a local probe or an import speaks only for its machines.
      ALTER TABLE snapshots ADD COLUMN kind TEXT NOT NULL DEFAULT 'scan' CHECK (kind IN ('scan','local','import'));
      CREATE INDEX snapshots_kind ON snapshots (kind, status, id);

      -- One row per imported document, by the SHA-256 of its bytes: importing it again is a no-op.
      CREATE TABLE imported_documents (
        sha256        TEXT PRIMARY KEY,
        snapshot_id   INTEGER NOT NULL REFERENCES snapshots (id),
        asset_id      INTEGER NOT NULL REFERENCES assets (id),
        collected_at  TEXT NOT NULL,
        file          TEXT,
        imported_at   TEXT NOT NULL
      );
      CREATE INDEX imported_documents_asset ON imported_documents (asset_id, collected_at);
    `,
  },
  {
    version: 3,
    description: 'pruned snapshots: the run is still listed, most of its records are gone',
    sql: `
      -- Set by "netcensus prune". The row stays (assets and imported documents point at it); its
      -- records were removed except those that carry an asset's first or latest sighting.
      ALTER TABLE snapshots ADD COLUMN pruned_at TEXT;
    `,
  },
  {
    version: 4,
    description: 'asset_views: per asset and view, its first and latest record, kept with the records',
    sql: `
      -- Per asset and view (is_scan 1: network scans; 0: local probes and imports), over records of
      -- any status: the first record (its snapshot and seen_at) and the latest (the highest id).
      -- Written in the records' transaction (SqliteStore.commitBatch), so that the current inventory
      -- (knownAssets, inventoryAsOf the latest snapshot) is read without grouping every record ever
      -- written. A read as of an older snapshot checks each row against the snapshots eligible then
      -- and seeks records_asset where it does not apply (inventory-stream.ts). Prune keeps every
      -- record a row points at, except a first sighting in an incomplete run, which no read uses.
      CREATE TABLE asset_views (
        asset_id           INTEGER NOT NULL,
        is_scan            INTEGER NOT NULL,
        first_snapshot_id  INTEGER NOT NULL,
        first_seen_at      TEXT NOT NULL,
        last_snapshot_id   INTEGER NOT NULL,
        last_record_id     INTEGER NOT NULL,
        PRIMARY KEY (asset_id, is_scan)
      ) WITHOUT ROWID;
      INSERT INTO asset_views (asset_id, is_scan, first_snapshot_id, first_seen_at, last_snapshot_id, last_record_id)
      SELECT g.asset_id, g.is_scan, g.first_snapshot_id,
             (SELECT f.seen_at FROM records f WHERE f.snapshot_id = g.first_snapshot_id AND f.asset_id = g.asset_id),
             (SELECT l.snapshot_id FROM records l WHERE l.id = g.last_record_id),
             g.last_record_id
      FROM (
        SELECT r.asset_id AS asset_id, s.kind = 'scan' AS is_scan,
               min(r.snapshot_id) AS first_snapshot_id, max(r.id) AS last_record_id
        FROM records r JOIN snapshots s ON s.id = r.snapshot_id
        GROUP BY r.asset_id, s.kind = 'scan'
      ) g
      ORDER BY g.asset_id, g.is_scan;
    `,
  },
  {
    version: 5,
    description: 'snmp_credentials: per asset, the label of the SNMP credential that last worked',
    sql: `
      -- The next scan tries this credential first on the asset's address or MACs (issue 4). Only the
      -- label the scan names credentials by ("v3 user ops", "community #2") is kept: never a
      -- community, key or hash of one. Written by store/snmp-credential-memory.ts after a scan.
      CREATE TABLE snmp_credentials (
        asset_id     INTEGER PRIMARY KEY REFERENCES assets (id),
        credential   TEXT NOT NULL,
        worked_at    TEXT NOT NULL,
        snapshot_id  INTEGER NOT NULL REFERENCES snapshots (id)
      );
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
