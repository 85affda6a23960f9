// CSV (RFC 4180, UTF-8) of the asset rows, streamed through csv-stringify so memory stays flat in
// the number of assets.
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { InventoryEntry } from '../model/index.js';
import { ASSET_COLUMNS, assetRow } from './asset-rows.js';
import { sanitizeRow } from './sanitize-cell.js';

export async function writeAssetsCsv(entries: Iterable<InventoryEntry>, out: Writable): Promise<void> {
  const rows = Readable.from(
    (function* () {
      for (const entry of entries) yield sanitizeRow(assetRow(entry));
    })(),
  );
  await pipeline(
    rows,
    stringify({ header: true, columns: [...ASSET_COLUMNS], record_delimiter: '\r\n', quoted_match: /[\r\n]/ }),
    out,
    { end: false },
  );
}
