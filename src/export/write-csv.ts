// CSV (RFC 4180, UTF-8) of the asset rows, streamed through csv-stringify so memory stays flat in
// the number of assets. `bom` starts the file with U+FEFF, which Excel needs to read UTF-8.
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { InventoryEntry } from '../model/index.js';
import { ASSET_COLUMNS, assetDetails, assetRow, type AssetCsvColumn } from './asset-rows.js';
import type { SwitchPort } from './connections.js';
import { sanitizeRow } from './sanitize-cell.js';

export interface CsvOptions {
  columns?: readonly AssetCsvColumn[];
  bom?: boolean;
  /** For the location / switch columns: entries then carry facts, and this maps MACs to ports. */
  connections?: ReadonlyMap<string, SwitchPort>;
}

export async function writeAssetsCsv(
  entries: Iterable<InventoryEntry> | AsyncIterable<InventoryEntry>,
  out: Writable,
  options: CsvOptions = {},
): Promise<void> {
  const columns = options.columns ?? ASSET_COLUMNS;
  const connections = options.connections ?? new Map<string, SwitchPort>();
  const details = columns.some((c) => !(ASSET_COLUMNS as readonly string[]).includes(c));
  const rows = Readable.from(
    (async function* () {
      for await (const entry of entries) {
        yield sanitizeRow(details ? { ...assetRow(entry), ...assetDetails(entry, connections) } : assetRow(entry));
      }
    })(),
  );
  if (options.bom) await new Promise<void>((resolve, reject) => out.write('\ufeff', (e) => (e ? reject(e) : resolve())));
  await pipeline(
    rows,
    stringify({ header: true, columns: [...columns], record_delimiter: '\r\n', quoted_match: /[\r\n]/ }),
    out,
    { end: false },
  );
}
