// The CSV formatter of src/export/write-csv.ts: RFC 4180 quoting, the formula guard, UTF-8, CRLF,
// checked by reading its output back with an RFC 4180 reader (read-csv.ts), and byte for byte
// against csv-stringify with the options the exporter used before it had its own formatter (so a
// user's scripts see the same file).
import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_ASSET_COLUMNS, ASSET_COLUMNS, assetDetails, assetRow, type AssetCsvColumn } from '../../src/export/asset-rows.js';
import type { SwitchPort } from '../../src/export/connections.js';
import { sanitizeCell } from '../../src/export/sanitize-cell.js';
import { csvCell, csvField, csvHeader, csvRecord, writeAssetsCsv } from '../../src/export/write-csv.js';
import type { InventoryEntry } from '../../src/model/index.js';
import { parseCsv } from './read-csv.js';

/** What the exporter wrote with csv-stringify: each row's strings guarded, then stringified. */
function referenceCsv(rows: readonly object[], columns: readonly string[], bom = false): string {
  const guarded = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? sanitizeCell(v) : v])));
  return (bom ? '\ufeff' : '') + stringify(guarded, { columns: [...columns], header: true, record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

async function csvOf(entries: InventoryEntry[], options: Parameters<typeof writeAssetsCsv>[2] = {}): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeAssetsCsv(entries, out, options);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

const entry = (assetId: number, over: Partial<InventoryEntry> = {}): InventoryEntry => ({
  assetId,
  address: `10.0.0.${assetId}`,
  addresses: [`10.0.0.${assetId}`],
  macs: [`00:1b:21:00:00:${assetId.toString(16).padStart(2, '0')}`],
  hostname: `host-${assetId}`,
  vendor: 'Cisco',
  model: 'C9300',
  serial: `SN${assetId}`,
  type: 'switch',
  os: null,
  firmware: '17.9',
  smbiosUuid: null,
  snmpEngineId: null,
  openPorts: [22, 443],
  snapshotId: 2,
  seen: true,
  firstSeenAt: '2025-01-01T00:00:00.000Z',
  lastSeenAt: '2025-02-01T00:00:00.000Z',
  ...over,
});

describe('CSV fields', () => {
  it('quotes commas, quotes (doubled), CR and LF; nothing else', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('"')).toBe('""""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvField('crlf\r\n')).toBe('"crlf\r\n"');
    for (const s of ['plain', 'with space', "it's", 'tab\there', 'semi;colon', '']) expect(csvField(s)).toBe(s);
  });

  it('guards formula starts (= + - @ tab CR) before quoting, leaves numbers alone', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(12)).toBe('12');
  });

  it('writes empty, null and undefined as an empty field, non-ASCII as it is', () => {
    expect(csvRecord(['', null, undefined, 'x'])).toBe(',,,x\r\n');
    expect(csvRecord(['Müller', '日本語', 'naïve, café', '🖨️'])).toBe('Müller,日本語,"naïve, café",🖨️\r\n');
  });

  it('reads back as the guarded values, one record per line', () => {
    const cells = ['a,b', 'say "hi"', 'two\nlines', 'cr\ronly', 'crlf\r\nend', '=cmd|/c calc', '+1', '-2', '@x', '\tx', '\rx', 'é ü 日本', '', 7];
    const text = csvHeader(cells.map((_, i) => `c${i}`)) + csvRecord(cells) + csvRecord(cells);
    const rows = parseCsv(text);
    expect(rows).toHaveLength(3);
    const expected = cells.map((c) => (typeof c === 'number' ? String(c) : sanitizeCell(c)));
    expect(rows[1]).toEqual(expected);
    expect(rows[2]).toEqual(expected);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('is csv-stringify byte for byte, and reads back, on any text', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'Z', '1', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', ' ', "'", 'é', '日', '😀') }),
      fc.string({ unit: 'grapheme' }),
    );
    const cell = fc.oneof(text, fc.integer({ min: -5, max: 1_000_000 }));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 5 }), (rows) => {
        const columns = ['a', 'b', 'c'];
        const ours = csvHeader(columns) + rows.map((r) => csvRecord(r)).join('');
        const objects = rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]!])));
        expect(ours).toBe(referenceCsv(objects, columns));
        const back = parseCsv(ours).slice(1);
        expect(back).toEqual(rows.map((r) => r.map((v) => (typeof v === 'number' ? String(v) : sanitizeCell(v)))));
      }),
      { numRuns: 500 },
    );
  });
});

describe('writeAssetsCsv', () => {
  const hostile = entry(3, {
    hostname: '=HYPERLINK("http://evil","x")',
    vendor: '+cmd',
    model: 'Model, "Pro"\r\nline two',
    serial: '-1',
    os: '@SUM(1)',
    firmware: '\t=1',
    type: null,
    seen: false,
  });
  const entries = [entry(1), entry(2, { hostname: 'Drucker-Büro', vendor: null, addresses: ['10.0.0.2', '10.0.9.2'], openPorts: [] }), hostile];

  it('gives the bytes csv-stringify gave, for the default columns', async () => {
    const rows = entries.map((e) => assetRow(e));
    expect(await csvOf(entries)).toBe(referenceCsv(rows, ASSET_COLUMNS));
    expect(await csvOf([])).toBe(referenceCsv([], ASSET_COLUMNS));
  });

  it('with --bom and --columns, detail columns included', async () => {
    const connections = new Map<string, SwitchPort>([['00:1b:21:00:00:01', { switchAssetId: 9, switchName: '@core, 1', port: 'Gi1/0/1' }]]);
    const withFacts = entries.map((e) => ({ ...e, facts: e.assetId === 3 ? { location: { value: '-floor "2"', source: 'snmp' } } : {} }) as InventoryEntry);
    const columns: AssetCsvColumn[] = ['hostname', 'asset_id', 'location', 'switch', 'switch_port', 'model'];
    const text = await csvOf(withFacts, { columns, bom: true, connections });
    const rows = withFacts.map((e) => ({ ...assetRow(e), ...assetDetails(e, connections) }));
    expect(text).toBe(referenceCsv(rows, columns, true));
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const back = parseCsv(text.slice(1));
    expect(back[0]).toEqual(columns);
    expect(back[1]).toEqual(['host-1', '1', '', "'@core, 1", 'Gi1/0/1', 'C9300']);
    expect(back[3]).toEqual(["'=HYPERLINK(\"http://evil\",\"x\")", '3', `'-floor "2"`, '', '', 'Model, "Pro"\r\nline two']);
  });

  it('every column, more rows than one batch', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => entry(i + 1, { hostname: i % 7 === 0 ? `=h${i}, "q"` : `h${i}` }));
    const rows = many.map((e) => ({ ...assetRow(e), ...assetDetails(e, new Map()) }));
    expect(await csvOf(many, { columns: ALL_ASSET_COLUMNS })).toBe(referenceCsv(rows, ALL_ASSET_COLUMNS));
  });
});
