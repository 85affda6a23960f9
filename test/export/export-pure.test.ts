// The pure pieces of the exports: cell guards, secret redaction, switch-port placement, SVG escaping.
import { describe, expect, it } from 'vitest';
import { buildConnectionMap, connectionOf } from '../../src/export/connections.js';
import { redactSecrets } from '../../src/export/redact-secrets.js';
import { sanitizeCell, sheetText, MAX_CELL_CHARS } from '../../src/export/sanitize-cell.js';
import { sheetName, subnetOf } from '../../src/export/audit-sheets.js';
import { barChart, escapeHtml } from '../../src/export/svg-charts.js';
import type { InventoryEntry } from '../../src/model/index.js';

const entry = (assetId: number, hostname: string, macs: string[]): InventoryEntry => ({
  assetId, hostname, macs, address: `10.0.0.${assetId}`, addresses: [], vendor: null, model: null, serial: null, type: 'switch',
  os: null, firmware: null, smbiosUuid: null, snmpEngineId: null, openPorts: [], snapshotId: 1, seen: true,
  firstSeenAt: '2025-01-01T00:00:00Z', lastSeenAt: '2025-01-01T00:00:00Z',
});

describe('cell guards', () => {
  it('prefixes formula starts, leaves other text alone', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(sanitizeCell(s)).toBe(`'${s}`);
    for (const s of ['a=1', '1-2', ' =1', '']) expect(sanitizeCell(s)).toBe(s);
  });
  it('sheetText removes control characters, cuts to Excel limits, then guards', () => {
    expect(sheetText('a\u0000b\u0007c')).toBe('a b c');
    expect(sheetText('\u0001=cmd')).toBe(' =cmd');
    expect(sheetText('\t=cmd')).toBe("'\t=cmd");
    expect(sheetText('x'.repeat(40_000))).toHaveLength(MAX_CELL_CHARS);
  });
  it('sheet names drop characters Excel refuses', () => {
    const name = sheetName('Changes since 2025/01/31 [x]: more text than fits');
    expect(name).toBe('Changes since 2025-01-31 -x-- m');
    expect(name).toHaveLength(31);
  });
  it('subnets', () => {
    expect(subnetOf('10.1.2.3')).toBe('10.1.2.0/24');
    expect(subnetOf('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
  });
});

describe('redactSecrets', () => {
  it('drops keys that name secrets at any depth, keeps the rest', () => {
    const options = { ports: [80], community: 'public', snmp: { v3: [{ user: 'ops', authKey: 'k', privKey: 'p', authPassword: 'x' }] }, apiToken: 't', secretRef: 'env:X' };
    expect(redactSecrets(options)).toEqual({ ports: [80], snmp: { v3: [{ user: 'ops' }] } });
    expect(options.community).toBe('public'); // a copy, not a mutation
  });
});

describe('switch ports from forwarding tables', () => {
  it('places a MAC on the access port, not the uplink that learnt it too', () => {
    const mac = 'AA-BB-CC-00-00-01';
    const edge = { entry: entry(1, 'edge', []), interfaces: [], neighbors: [], forwarding: [{ mac, ifName: 'Gi0/3' }, ...Array.from({ length: 5 }, (_, i) => ({ mac: `00:00:00:00:01:0${i}`, ifName: 'Te1/1' }))] };
    const core = { entry: entry(2, 'core', []), interfaces: [], neighbors: [{ protocol: 'lldp' as const, localPort: 'Te0/1', sysName: 'edge' }], forwarding: [{ mac, ifName: 'Te0/1' }] };
    const map = buildConnectionMap([core, edge]);
    expect(connectionOf({ macs: ['aa:bb:cc:00:00:01'] }, map)).toEqual({ switchAssetId: 1, switchName: 'edge', port: 'Gi0/3' });
  });
});

describe('svg charts', () => {
  it('escape labels', () => {
    const svg = barChart([['<b>"x"</b>', 3]], 'by <vendor>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&quot;x&quot;&lt;/b&gt;');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
