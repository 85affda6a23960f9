// A small inventory written through the real store API: two network scans a month apart and one
// import of a machine's own inventory, with the strings a hostile or broken device could send
// (formula starts, markup, control characters) and a secret that must never reach an export.
//
//   asset 1  printer   10.0.0.5   page count 1000 -> 1500, a toner at 40 %
//   asset 2  workstation ws-2     10.0.0.20 -> 10.0.0.21 (moved), on switch port Gi1/0/5; software (import)
//   asset 3  hostile   10.0.0.30  vendor/model/hostname/location start with = + @ - tab CR; model -> markup
//   asset 4  switch    10.0.0.2   forwarding table: ws-2's MAC on Gi1/0/5, 40 MACs on the uplink
//   asset 5  server    10.0.0.40  seen in the first scan only: missing, removed
//   asset 6  camera    10.0.0.50  new in the second scan: added
import { summarize } from '../../src/inventory/summarize.js';
import type { Facts, ScanStatus } from '../../src/model/index.js';
import type { RecordRow } from '../../src/store/inventory-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';

export const T1 = '2025-11-30T22:00:00.000Z';
export const T2 = '2025-12-31T22:00:00.000Z';
export const T3 = '2026-01-02T09:00:00.000Z';
export const SECRET = 'TOPSECRET-c0mmunity';

export const HOSTILE = {
  vendor: '=HYPERLINK("http://127.0.0.1:9/x","click")',
  model: "+cmd|' /C calc'!A0",
  hostname: '@SUM(1+1)',
  location: '-2+3 <img src="http://127.0.0.1:9/pixel.png">',
  description: '\t=1+2 <script>alert(1)</script>',
  serial: '\r=evil',
  /** The model the device reports in the second scan. */
  markup: '<script>alert(1)</script>',
};

const src = <T extends string>(value: T, source = 'test') => ({ value, source });

function row(assetId: number, newAsset: boolean, seenAt: string, address: string, facts: Facts): RecordRow {
  const statuses: Record<string, ScanStatus> = { 'discover:tcp': 'ok' };
  return {
    assetId,
    newAsset,
    seenAt,
    summary: summarize({ address, addresses: [address], facts, statuses, observations: [] }),
    facts,
    statuses,
    evidence: [],
    conflicts: [],
  };
}

const WS_MAC = '00:1b:21:00:00:02';

function printer(pages: number): Facts {
  return {
    type: src('printer'),
    vendor: src('HP'),
    model: src('LaserJet M507'),
    serial: src('CNB1234567'),
    hostnames: [src('printer-1.test', 'dns:PTR')],
    macs: [src('00:1b:21:00:00:01')],
    location: src('HQ, floor 2'),
    printer: {
      value: {
        pageCount: pages,
        counters: [{ marker: 1, count: pages, unit: 'impressions' }],
        supplies: [{ description: 'Black Toner', type: 'toner', color: 'black', level: 40, capacity: 100, percent: 40 }],
      },
      source: 'Printer-MIB',
    },
  };
}

const workstation: Facts = {
  type: src('workstation'),
  vendor: src('Dell'),
  model: src('OptiPlex 7010'),
  hostnames: [src('ws-2.test', 'dns:PTR')],
  macs: [src(WS_MAC)],
  os: src('Windows 11 Pro'),
};

const hostile: Facts = {
  type: src('other'),
  vendor: src(HOSTILE.vendor),
  model: src(HOSTILE.model),
  serial: src(HOSTILE.serial),
  hostnames: [src(HOSTILE.hostname, 'SNMPv2-MIB::sysName.0')],
  location: src(HOSTILE.location, 'SNMPv2-MIB::sysLocation.0'),
  description: src(HOSTILE.description, 'SNMPv2-MIB::sysDescr.0'),
  macs: [src('00:1b:21:00:00:03')],
};

const uplinkMacs = Array.from({ length: 40 }, (_, i) => ({ mac: `00:50:56:00:01:${i.toString(16).padStart(2, '0')}`, ifName: 'Te1/1/1' }));
const networkSwitch: Facts = {
  type: src('switch'),
  vendor: src('Cisco'),
  model: src('C9200L-48P'),
  hostnames: [src('switch-4.test', 'SNMPv2-MIB::sysName.0')],
  macs: [src('00:1b:21:00:00:04')],
  interfaces: {
    value: [
      { index: 5, name: 'Gi1/0/5', alias: 'desk 2', operStatus: 'up', speedMbps: 1000 },
      { index: 101, name: 'Te1/1/1', alias: 'uplink', operStatus: 'up', speedMbps: 10000 },
    ],
    source: 'IF-MIB',
  },
  forwardingTable: { value: [{ mac: WS_MAC, ifName: 'Gi1/0/5', vlan: 10 }, ...uplinkMacs, { mac: WS_MAC, ifName: 'Te1/1/1' }], source: 'BRIDGE-MIB' },
  neighbors: { value: [{ protocol: 'lldp', localPort: 'Te1/1/1', sysName: 'core-1.test', portId: 'Te1/0/1' }], source: 'LLDP-MIB' },
};

const server: Facts = { type: src('server'), vendor: src('HPE'), model: src('ProLiant DL380'), hostnames: [src('srv-5.test', 'dns:PTR')], macs: [src('00:1b:21:00:00:05')] };
const camera: Facts = { type: src('camera'), vendor: src('Axis'), model: src('P3245-LV'), hostnames: [src('cam-6.test', 'dns:PTR')], macs: [src('00:1b:21:00:00:06')] };

export async function buildAuditFixture(path: string): Promise<void> {
  const store = openSqliteStore(path);
  const begin = (startedAt: string, kind: 'scan' | 'import', label: string) =>
    store.beginSnapshot(
      {
        kind,
        startedAt,
        label,
        targets: kind === 'scan' ? ['10.0.0.0/24'] : ['ws-2.json'],
        scanners: kind === 'scan' ? ['discover:tcp', 'snmp', 'dns'] : ['import'],
        // A secret where none should be: every export must drop it.
        options: { ports: [80, 443], community: SECRET, snmp: { authKey: SECRET, privPassword: SECRET, user: 'ops' } },
        toolVersion: 'test',
        pid: 1,
        host: 'test',
      },
      () => false,
    );
  const counts = (n: number) => ({ probed: 256, alive: n, records: n, newAssets: 0, failedTargets: 0 });

  const s1 = await begin(T1, 'scan', 'first');
  await store.commitBatch(s1.id, [
    row(1, true, T1, '10.0.0.5', printer(1000)),
    row(2, true, T1, '10.0.0.20', workstation),
    row(3, true, T1, '10.0.0.30', hostile),
    row(4, true, T1, '10.0.0.2', networkSwitch),
    row(5, true, T1, '10.0.0.40', server),
  ]);
  await store.finishSnapshot(s1.id, 'complete', counts(5), T1.replace('22:00', '22:05'));

  const s2 = await begin(T2, 'scan', 'second');
  await store.commitBatch(s2.id, [
    row(1, false, T2, '10.0.0.5', printer(1500)),
    row(2, false, T2, '10.0.0.21', workstation),
    row(3, false, T2, '10.0.0.30', { ...hostile, model: src(HOSTILE.markup) }),
    row(4, false, T2, '10.0.0.2', networkSwitch),
    row(6, true, T2, '10.0.0.50', camera),
  ]);
  await store.finishSnapshot(s2.id, 'complete', counts(5), T2.replace('22:00', '22:05'));

  const s3 = await begin(T3, 'import', 'ws-2 inventory');
  await store.commitBatch(s3.id, [
    row(2, false, T3, '10.0.0.21', {
      ...workstation,
      software: {
        value: [
          { name: '7-Zip', version: '23.01', publisher: 'Igor Pavlov' },
          { name: '=cmd|calc', version: '1.0', publisher: '@evil' },
        ],
        source: 'registry',
      },
    }),
  ]);
  await store.finishSnapshot(s3.id, 'complete', counts(1), T3);
  await store.close();
}
