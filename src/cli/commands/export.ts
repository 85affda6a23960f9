// `netcensus export`: the inventory as of a snapshot, to a file or stdout, as CSV, JSON or the XLSX
// audit workbook. A file is written to a temporary name beside it and renamed into place when
// complete, so a failed export never leaves a half-written file where the last good one was.
//
// Memory stays flat in the number of assets where the format allows: CSV, JSON and the workbook's
// Assets sheet stream from a database cursor. The changes since --since read both inventories side
// by side (store.streamInventoryPairs), without their facts, and hold only the changes.
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { diffEntries, finishChanges, summarizeChanges } from '../../diff/diff-inventories.js';
import { ALL_ASSET_COLUMNS, ASSET_COLUMNS, type AssetCsvColumn } from '../../export/asset-rows.js';
import {
  AuditDetailsCollector,
  auditSheets,
  InventoryTallier,
  type AuditDetails,
  type ChangeCountsLike,
  type InventoryTally,
} from '../../export/audit-sheets.js';
import { writeAssetsCsv } from '../../export/write-csv.js';
import { writeInventoryJson } from '../../export/write-json.js';
import { UsageError, type Change, type InventoryEntry, type Snapshot } from '../../model/index.js';
import type { InventoryStore } from '../../store/inventory-store.js';
import { openExistingStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { resolveSnapshot } from '../snapshot-ref.js';

export type ExportFormat = 'csv' | 'json' | 'xlsx';

export interface ExportFlags extends GlobalOptions {
  format: ExportFormat;
  out?: string;
  since?: string;
  bom?: boolean;
  columns?: string;
}

export async function exportCommand(ref: string, flags: ExportFlags, output: Output): Promise<number> {
  const columns = flags.columns !== undefined ? parseColumns(flags.columns) : undefined;
  if (flags.format !== 'csv' && (columns || flags.bom)) {
    throw new UsageError(`--columns and --bom are for --format csv; --format ${flags.format} has its own layout`);
  }
  if (flags.format === 'csv' && flags.since !== undefined) {
    throw new UsageError('--since is for --format xlsx or json (the changes since then); a CSV holds the asset rows only');
  }
  const toStdout = !flags.out || flags.out === '-';
  if (flags.format === 'xlsx' && toStdout && output.stdoutIsTTY) {
    throw new UsageError('an XLSX workbook is binary; write it to a file with --out FILE.xlsx');
  }
  const store = openExistingStore(flags);
  try {
    const snapshot = await resolveSnapshot(store, ref);
    let written = 0;
    const write = async (out: Writable): Promise<void> => {
      if (flags.format === 'csv') {
        const wanted = columns ?? ASSET_COLUMNS;
        const needsDetails = wanted.some((c) => !(ASSET_COLUMNS as readonly string[]).includes(c));
        const connections = needsDetails ? (await collectDetails(store, snapshot.id)).connections : undefined;
        written = await writeAssetsCsv(store.streamInventoryAsOf(snapshot.id, {}, { withFacts: needsDetails }), out, {
          columns: wanted,
          bom: Boolean(flags.bom),
          ...(connections ? { connections } : {}),
        });
      } else if (flags.format === 'json') {
        const since = flags.since !== undefined ? await resolveSince(store, snapshot, flags.since) : undefined;
        const changes = since !== undefined ? (since ? (await compareInventories(store, since, snapshot)).changes : []) : undefined;
        written = await writeInventoryJson(snapshot, store.streamInventoryAsOf(snapshot.id, {}, { withFacts: true }), out, {
          ...(changes !== undefined ? { since, changes } : {}),
        });
      } else {
        const { assets, ...audit } = await gatherAudit(store, snapshot, flags.since);
        const sheets = auditSheets({ ...audit, assets: counted(assets) });
        const { writeWorkbook } = await import('../../export/write-xlsx.js');
        await writeWorkbook(sheets, out, { created: new Date(snapshot.finishedAt ?? snapshot.startedAt) });
      }
    };
    // The workbook's writer reads its sheets' rows itself; CSV and JSON writers count their own,
    // without a generator between the store and them (one more await per row).
    async function* counted(entries: AsyncIterable<InventoryEntry>): AsyncGenerator<InventoryEntry> {
      for await (const e of entries) {
        written++;
        yield e;
      }
    }
    if (toStdout) {
      await write(process.stdout);
      return EXIT.ok;
    }
    const target = await writeFileAtomically(flags.out!, write);
    if (output.stderrIsTTY) output.err(`wrote ${written} assets as of snapshot ${snapshot.id} to ${target}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function parseColumns(text: string): AssetCsvColumn[] {
  const names = text.split(',').map((c) => c.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`--columns takes a comma-separated list of: ${ALL_ASSET_COLUMNS.join(',')}`);
  const unknown = names.filter((n) => !(ALL_ASSET_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new UsageError(`--columns: unknown column ${unknown.map((u) => `"${u}"`).join(', ')}; choose from ${ALL_ASSET_COLUMNS.join(',')}`);
  }
  return names as AssetCsvColumn[];
}

/**
 * The snapshot changes are counted from: the one --since names (an id, latest~N or a date: the last
 * complete snapshot on or before it), else the complete snapshot before this one; null when none.
 */
export async function resolveSince(store: InventoryStore, snapshot: Snapshot, since: string | undefined): Promise<Snapshot | null> {
  if (since === undefined) return store.lastCompleteBefore(snapshot.startedAt);
  const found = await resolveSnapshot(store, since);
  if (found.id >= snapshot.id) {
    throw new UsageError(`--since ${since} is snapshot ${found.id}, not before snapshot ${snapshot.id}; name an earlier snapshot or date`);
  }
  return found;
}

/**
 * The changes between two snapshots' inventories (without facts): both read side by side, asset by
 * asset, without the assets whose state is the same on both, so only the changes are held.
 */
export async function compareInventories(store: InventoryStore, from: Snapshot, to: Snapshot): Promise<{ changes: Change[] }> {
  const found: Change[] = [];
  for await (const [before, after] of store.streamInventoryPairs(from.id, to.id, { skipUnchanged: true })) {
    const change = diffEntries(before, after);
    if (change !== null) found.push(change);
  }
  return { changes: finishChanges(found) };
}

export async function collectDetails(store: InventoryStore, snapshotId: number): Promise<AuditDetails> {
  const collector = new AuditDetailsCollector();
  for await (const e of store.streamInventoryAsOf(snapshotId, {}, { withFacts: true })) collector.add(e);
  return collector.result();
}

export interface GatheredAudit {
  snapshot: Snapshot;
  /**
   * The inventory as of the snapshot, without facts, in listing order: read again from the store
   * each time it is iterated (the workbook's Assets sheet), never held whole.
   */
  assets: AsyncIterable<InventoryEntry>;
  since: Snapshot | null;
  sinceText: string | null;
  tally: InventoryTally;
  changes: Change[];
  changeCounts: ChangeCountsLike;
  missing: InventoryEntry[];
  details: AuditDetails;
  pagesAtSince: Map<number, number>;
}

/**
 * Everything the workbook and the report show. The changes come from both inventories read side by
 * side without their facts (compareInventories); then one pass with facts keeps only what the
 * detail sheets need (printers, ports, software, locations).
 */
export async function gatherAudit(store: InventoryStore, snapshot: Snapshot, sinceText: string | undefined): Promise<GatheredAudit> {
  const since = await resolveSince(store, snapshot, sinceText);
  const changes = since ? (await compareInventories(store, since, snapshot)).changes : [];
  const collector = new AuditDetailsCollector();
  const tallier = new InventoryTallier();
  const missing: InventoryEntry[] = [];
  for await (const e of store.streamInventoryAsOf(snapshot.id, {}, { withFacts: true })) {
    const entry = collector.add(e);
    tallier.add(entry);
    if (!entry.seen) missing.push(entry);
  }
  const details = collector.result();
  const pagesAtSince = new Map<number, number>();
  if (since && details.printers.length > 0) {
    for await (const e of store.streamInventoryAsOf(since.id, { type: 'printer' }, { withFacts: true })) {
      const pages = e.facts?.printer?.value.pageCount;
      if (pages !== undefined) pagesAtSince.set(e.assetId, pages);
    }
  }
  return {
    snapshot,
    assets: { [Symbol.asyncIterator]: () => store.streamInventoryAsOf(snapshot.id)[Symbol.asyncIterator]() },
    since,
    sinceText: sinceText ?? null,
    tally: tallier.result(),
    changes,
    changeCounts: summarizeChanges(changes),
    missing,
    details,
    pagesAtSince,
  };
}

/** Writes through a temporary file beside the target, renamed into place when complete. */
export async function writeFileAtomically(path: string, write: (out: Writable) => Promise<void>): Promise<string> {
  const target = resolve(path);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const file = createWriteStream(temp, { mode: 0o600 });
  try {
    await new Promise<void>((ok, fail) => {
      file.once('open', () => ok());
      file.once('error', fail);
    });
    await write(file);
    if (!file.writableEnded) file.end();
    await finished(file);
    await rename(temp, target);
  } catch (error) {
    file.destroy();
    await unlink(temp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC' || code === 'EISDIR') {
      throw new UsageError(`cannot write ${target}: ${code}; choose another --out`);
    }
    throw error;
  }
  return target;
}
