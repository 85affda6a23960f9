// The audit exports end to end: a real SQLite inventory (two scans and an import, written through
// the store API, with hostile strings and a planted secret), exported through the built CLI, and
// every file opened and read back: the XLSX with exceljs, the CSV with an RFC 4180 reader, the JSON
// and the HTML as text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { buildAuditFixture, HOSTILE, SECRET, T1, T2 } from './audit-fixture.js';
import { parseCsv } from './read-csv.js';

const FORMULA_START = /^[=+\-@\t\r]/;

describe('export xlsx, csv, json and report', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const env = cliEnv(home);
  const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env });
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    await buildAuditFixture(db);
    const r = await cli('export', '--format', 'xlsx', '--since', '1', '--out', join(home, 'audit.xlsx'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(home, 'audit.xlsx'));
  });

  const sheet = (name: string): ExcelJS.Worksheet => {
    const ws = workbook.getWorksheet(name);
    if (!ws) throw new Error(`no sheet ${name}`);
    return ws;
  };
  const headers = (ws: ExcelJS.Worksheet): string[] => (ws.getRow(1).values as unknown[]).slice(1).map(String);
  /** Rows as objects keyed by header. */
  const records = (ws: ExcelJS.Worksheet): Record<string, ExcelJS.Cell>[] => {
    const h = headers(ws);
    const out: Record<string, ExcelJS.Cell>[] = [];
    ws.eachRow((r, n) => {
      if (n === 1) return;
      out.push(Object.fromEntries(h.map((name, i) => [name, r.getCell(i + 1)])));
    });
    return out;
  };

  it('has the audit sheets, in order, each with a frozen bold header and an autofilter', () => {
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Summary',
      'Assets',
      `Changes since ${T1.slice(0, 10)}`,
      'Missing',
      'Printers',
      'Network',
      'Software',
      'Software titles',
    ]);
    for (const ws of workbook.worksheets) {
      expect(ws.views[0], ws.name).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter, ws.name).toBeTruthy();
      expect(ws.getRow(1).font?.bold, ws.name).toBe(true);
      expect(ws.rowCount, `${ws.name} is not empty`).toBeGreaterThan(1);
    }
  });

  it('Summary: snapshot, coverage, counts by type and changes, numbers and dates typed', () => {
    const rows = records(sheet('Summary'));
    const value = (section: string, item: string) => rows.find((r) => r.Section!.value === section && r.Item!.value === item)?.Value;
    expect(value('Snapshot', 'Snapshot id')!.value).toBe(3);
    expect(value('Snapshot', 'Started (UTC)')!.value).toBeInstanceOf(Date);
    expect(value('Coverage', 'Assets known')!.value).toBe(6);
    expect(value('Coverage', 'Assets missing (known before, not seen)')!.value).toBe(1);
    expect(value('By type', 'printer')!.value).toBe(1);
    expect(value('Changes', 'Compared with snapshot')!.value).toBe(1);
    expect(value('Changes', 'added')!.value).toBe(1);
    expect(value('Changes', 'removed')!.value).toBe(1);
    expect(value('Changes', 'of which moved')!.value).toBe(1);
    expect(rows.some((r) => String(r.Item!.value).match(/community|authKey|privPassword/i))).toBe(false);
  });

  it('Assets: header, a known row with typed cells, the switch port and blank audit columns', () => {
    const ws = sheet('Assets');
    expect(headers(ws)).toEqual([
      'Asset ID', 'Type', 'Vendor', 'Model', 'Serial', 'Hostname', 'Address', 'All addresses', 'MACs', 'OS or firmware',
      'Location', 'Switch', 'Port', 'First seen (UTC)', 'Last seen (UTC)', 'Status', 'Verified', 'By', 'Note',
    ]);
    const rows = records(ws);
    expect(rows.map((r) => r.Type!.value)).toEqual(['camera', 'other', 'printer', 'server', 'switch', 'workstation']);
    const printer = rows.find((r) => r['Asset ID']!.value === 1)!;
    expect(printer['Asset ID']!.type).toBe(ExcelJS.ValueType.Number);
    expect(printer.Hostname!.value).toBe('printer-1.test');
    expect(printer.Location!.value).toBe('HQ, floor 2');
    expect(printer['First seen (UTC)']!.value).toEqual(new Date(T1));
    expect(printer['First seen (UTC)']!.type).toBe(ExcelJS.ValueType.Date);
    expect(printer['First seen (UTC)']!.numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(printer['Last seen (UTC)']!.value).toEqual(new Date(T2));
    expect(printer.Status!.value).toBe('seen');
    const ws2 = rows.find((r) => r.Hostname!.value === 'ws-2.test')!;
    expect(ws2.Switch!.value).toBe('switch-4.test');
    expect(ws2.Port!.value).toBe('Gi1/0/5');
    expect(ws2.Verified!.value).toBeNull();
    const server = rows.find((r) => r['Asset ID']!.value === 5)!;
    expect(server.Status!.value).toBe(`missing since ${T1.slice(0, 10)}`);
  });

  it('neutralises formula starts and writes strings, never formulas', () => {
    const hostile = records(sheet('Assets')).find((r) => r['Asset ID']!.value === 3)!;
    expect(hostile.Vendor!.value).toBe(`'${HOSTILE.vendor}`);
    expect(hostile.Model!.value).toBe(HOSTILE.markup); // as of the import snapshot: the second scan's model
    expect(hostile.Hostname!.value).toBe(`'${HOSTILE.hostname}`);
    expect(hostile.Location!.value).toBe(`'${HOSTILE.location}`);
    expect(hostile.Serial!.value).toBe(`'=evil`); // the summary trims the leading CR; still guarded
    for (const ws of workbook.worksheets) {
      ws.eachRow((r) =>
        r.eachCell((c) => {
          expect(c.type, `${ws.name}!${c.address}`).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof c.value === 'string') expect(c.value, `${ws.name}!${c.address}`).not.toMatch(FORMULA_START);
          if (typeof c.value === 'string') expect(c.value).not.toContain(SECRET);
        }),
      );
    }
    const software = records(sheet('Software')).map((r) => r.Title!.value);
    expect([...software].sort()).toEqual(["'=cmd|calc", '7-Zip']);
  });

  it('Changes: the move, the new camera, the gone server, with before and after', () => {
    const rows = records(sheet(`Changes since ${T1.slice(0, 10)}`));
    const moved = rows.find((r) => r.Field!.value === 'address')!;
    expect(moved.Change!.value).toBe('changed');
    expect(moved.Tags!.value).toContain('moved');
    expect(moved['Asset ID']!.value).toBe(2);
    expect([moved.Before!.value, moved.After!.value]).toEqual(['10.0.0.20', '10.0.0.21']);
    expect(rows.find((r) => r.Change!.value === 'added')!['Asset ID']!.value).toBe(6);
    const removed = rows.find((r) => r.Change!.value === 'removed')!;
    expect(removed['Asset ID']!.value).toBe(5);
    expect(removed['Last seen (UTC)']!.value).toEqual(new Date(T1));
  });

  it('Missing, Printers, Network and Software read from the facts', () => {
    const missing = records(sheet('Missing'));
    expect(missing).toHaveLength(1);
    expect(missing[0]!['Asset ID']!.value).toBe(5);
    expect(missing[0]!['Days missing']!.value).toBe(32);
    const printers = records(sheet('Printers'));
    expect(printers).toHaveLength(1);
    const p = printers[0]!;
    expect(p['Page count']!.value).toBe(1500);
    expect(p[`Pages since ${T1.slice(0, 10)}`]!.value).toBe(500);
    expect(p.Supply!.value).toBe('Black Toner');
    expect(p.Level!.value).toBe(0.4);
    expect(p.Level!.numFmt).toBe('0%');
    const ports = records(sheet('Network'));
    const access = ports.find((r) => r.Port!.value === 'Gi1/0/5')!;
    expect(access['MACs learnt']!.value).toBe(1);
    expect(access.Device!.value).toBe('switch-4.test');
    const uplink = ports.find((r) => r.Port!.value === 'Te1/1/1')!;
    expect(uplink['MACs learnt']!.value).toBe(41);
    expect(uplink['LLDP/CDP neighbour']!.value).toContain('core-1.test');
    const titles = records(sheet('Software titles'));
    expect(titles.map((t) => [t.Title!.value, t.Machines!.value])).toContainEqual(['7-Zip', 1]);
  });

  it('a sheet with nothing to show says so in one row', async () => {
    const out = join(home, 'first.xlsx');
    const r = await cli('export', '1', '--format', 'xlsx', '--out', out);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const changes = wb.worksheets[2]!;
    expect(changes.name).toBe('Changes since previous');
    expect(changes.rowCount).toBe(2);
    expect(String(changes.getRow(2).getCell(1).value)).toMatch(/^Nothing to compare with/);
    const software = wb.getWorksheet('Software')!;
    expect(software.rowCount).toBe(2);
    expect(String(software.getRow(2).getCell(1).value)).toMatch(/^No software inventories/);
  });

  it('CSV: default columns, read back; --bom and --columns; hostile cells guarded', async () => {
    const out = join(home, 'assets.csv');
    expect((await cli('export', '--format', 'csv', '--out', out)).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['asset_id', 'status', 'type', 'vendor', 'model', 'serial', 'hostname', 'address', 'addresses', 'macs', 'os', 'firmware', 'open_ports', 'first_seen', 'last_seen', 'snapshot_id']);
    expect(rows).toHaveLength(7);
    const hostile = rows.find((r) => r[0] === '3')!;
    expect(hostile[3]).toBe(`'${HOSTILE.vendor}`);
    expect(hostile[5]).toBe(`'=evil`);
    expect(hostile[6]).toBe(`'${HOSTILE.hostname}`);
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(FORMULA_START);

    const picked = join(home, 'picked.csv');
    const r2 = await cli('export', '--format', 'csv', '--bom', '--columns', 'asset_id,hostname,location,switch,switch_port', '--out', picked);
    expect(r2.code).toBe(0);
    const bytes = readFileSync(picked);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows2 = parseCsv(bytes.toString('utf8').slice(1));
    expect(rows2[0]).toEqual(['asset_id', 'hostname', 'location', 'switch', 'switch_port']);
    expect(rows2.find((r) => r[1] === 'ws-2.test')).toEqual(['2', 'ws-2.test', '', 'switch-4.test', 'Gi1/0/5']);
    expect(rows2.find((r) => r[0] === '3')![2]).toBe(`'${HOSTILE.location}`);

    const bad = await cli('export', '--format', 'csv', '--columns', 'asset_id,password');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown column "password"');
    expect((await cli('export', '--format', 'csv', '--since', '1')).code).toBe(2);
  });

  it('JSON: full records and, with --since, the changes; no secrets', async () => {
    const out = join(home, 'inventory.json');
    expect((await cli('export', '--format', 'json', '--since', '1', '--out', out)).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain(SECRET);
    const doc = JSON.parse(text);
    expect(doc.snapshot.id).toBe(3);
    expect(doc.snapshot.options).toEqual({ ports: [80, 443], snmp: { user: 'ops' } });
    expect(doc.since.id).toBe(1);
    expect(doc.changes.map((c: { kind: string; assetId: number }) => [c.kind, c.assetId])).toEqual(
      expect.arrayContaining([['added', 6], ['removed', 5], ['changed', 2]]),
    );
    expect(doc.assets).toHaveLength(6);
    const ws2 = doc.assets.find((a: { assetId: number }) => a.assetId === 2);
    expect(ws2.facts.software.value[0].name).toBe('7-Zip');
    expect(ws2.address).toBe('10.0.0.21');
  });

  it('report: one HTML file, everything escaped, no secrets', async () => {
    const out = join(home, 'report.html');
    const r = await cli('report', '--since', '1', '--out', out);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain(SECRET);
    expect(html).not.toMatch(/<script|<img|<link|@import|url\(/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain("Content-Security-Policy\" content=\"default-src 'none'");
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('Missing assets (1)');
    expect(html).toContain('srv-5.test');
    expect(html).toContain('=HYPERLINK(&quot;http://127.0.0.1:9/x&quot;,&quot;click&quot;)');
    expect((await cli('report', '--out', join(home, 'report.txt'))).code).toBe(2);
  });
});
