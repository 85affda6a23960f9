// CSV (RFC 4180, UTF-8) of the asset rows, streamed so memory stays flat in the number of assets.
// `bom` starts the file with U+FEFF, which Excel needs to read UTF-8. Rows are stringified by
// csv-stringify a batch at a time (the same text its stream gives, without a stream step per row)
// and written with backpressure.
import { stringify } from 'csv-stringify/sync';
import type { Writable } from 'node:stream';
import type { InventoryEntry } from '../model/index.js';
import { ASSET_COLUMNS, assetDetails, assetRow, type AssetCsvColumn } from './asset-rows.js';
import type { SwitchPort } from './connections.js';
import { sanitizeRow } from './sanitize-cell.js';

/** Rows stringified and written at once. */
const BATCH_ROWS = 1000;

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
  const stringifyOptions = { columns: [...columns], record_delimiter: '\r\n', quoted_match: /[\r\n]/ };
  const write = (text: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      // Wait for 'drain' only when the stream asks to, so that a slow file holds back the reader.
      const ok = out.write(text, (e) => (e ? reject(e) : ok ? resolve() : undefined));
      if (!ok) out.once('drain', () => resolve());
    });
  if (options.bom) await write('\ufeff');
  let header = true;
  let batch: object[] = [];
  const flush = async (): Promise<void> => {
    const text = stringify(batch, { ...stringifyOptions, header });
    header = false;
    batch = [];
    await write(text);
  };
  for await (const entry of entries) {
    batch.push(sanitizeRow(details ? { ...assetRow(entry), ...assetDetails(entry, connections) } : assetRow(entry)));
    if (batch.length >= BATCH_ROWS) await flush();
  }
  if (batch.length > 0 || header) await flush();
}
