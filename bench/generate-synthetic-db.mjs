#!/usr/bin/env node
// A synthetic inventory database for the export/diff benchmarks: N assets over M monthly snapshots
// with realistic churn, written through the real store API (beginSnapshot / commitBatch /
// finishSnapshot) so the file has exactly the schema and indexes a real scan leaves. No network:
// every address and name is made up here, from a seeded generator, so two runs give the same file.
//
// Churn per month (of the devices then in service): ~1.5% off on the night (laptops; most come back
// within two months), ~0.4% retired for good, ~1% new devices, ~3% of DHCP clients moved, ~2% of
// workstations with a new OS build, ~3% of network devices and printers with new firmware, ~0.2%
// renamed, and a few printers replaced by a new unit that takes the old one's address and name.
//
//   node bench/generate-synthetic-db.mjs OUT.db [--assets 100000] [--snapshots 12] [--seed 1]
//
// Imports the built code (dist/): run `npm run build` first.
import { existsSync, rmSync } from 'node:fs';
import { openSqliteStore } from '../dist/store/sqlite-store.js';
import { summarize } from '../dist/inventory/summarize.js';

/** mulberry32: small, fast, seeded. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = [
  // type, share, vendors [vendor, models[]], dhcp, ports
  ['workstation', 0.58, [['Dell', ['OptiPlex 7010', 'Latitude 5440', 'Precision 3660']], ['HP', ['EliteBook 840 G9', 'ProDesk 400 G7']], ['Lenovo', ['ThinkPad T14', 'ThinkCentre M70q']]], true, [135, 139, 445, 3389]],
  ['phone', 0.1, [['Cisco', ['CP-8845', 'CP-7841']], ['Yealink', ['T54W', 'T46U']]], true, [80, 443]],
  ['server', 0.09, [['Dell', ['PowerEdge R650', 'PowerEdge R750']], ['HPE', ['ProLiant DL380 Gen10']], ['Supermicro', ['SYS-1029P']]], false, [22, 443]],
  ['printer', 0.06, [['HP', ['LaserJet M507', 'Color LaserJet M555']], ['Brother', ['HL-L6400DW', 'MFC-L8900CDW']], ['Kyocera', ['ECOSYS M3655idn']]], false, [80, 443, 515, 631, 9100]],
  ['camera', 0.05, [['Axis', ['P3245-LV', 'M3106-L']], ['Hikvision', ['DS-2CD2143G2']]], false, [80, 443, 554]],
  ['ap', 0.04, [['Ubiquiti', ['U6-Pro', 'U6-LR']], ['Aruba', ['AP-515']]], false, [22, 443]],
  ['switch', 0.03, [['Cisco', ['C9200L-48P', 'C9300-48U']], ['HPE', ['Aruba 2930F']], ['Juniper', ['EX2300-48P']]], false, [22, 80, 443]],
  ['ups', 0.02, [['APC', ['Smart-UPS 1500', 'Smart-UPS X 3000']], ['Eaton', ['5PX 1500']]], false, [80, 443]],
  ['router', 0.01, [['Cisco', ['ISR4331']], ['Juniper', ['MX204']]], false, [22, 443]],
  ['other', 0.02, [[null, [null]]], true, [80]],
];

const OS = {
  workstation: ['Windows 11 Pro 22H2', 'Windows 11 Pro 23H2', 'Windows 10 Pro 22H2', 'Ubuntu 22.04', 'macOS 14.4'],
  server: ['Windows Server 2022', 'Ubuntu 22.04', 'Red Hat Enterprise Linux 9.3', 'VMware ESXi 8.0'],
};
const FIRMWARE = ['1.0.4', '1.2.0', '2.0.1', '2.1.3', '3.0.0', '3.1.2', '17.9.4', '17.12.1'];
const SITES = ['HQ', 'Plant-North', 'Plant-South', 'Warehouse', 'Branch-Lyon', 'Branch-Leeds', 'Lab', 'DC1'];

export async function generateSyntheticDb({ path, assets = 100_000, snapshots = 12, seed = 1, log = () => {} }) {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
  const rand = prng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const store = openSqliteStore(path);

  const usedAddresses = new Set();
  const freshAddress = (site) => {
    for (;;) {
      const a = `10.${site * 16 + Math.floor(rand() * 16)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 253)}`;
      if (!usedAddresses.has(a)) {
        usedAddresses.add(a);
        return a;
      }
    }
  };
  let nextMac = 0x100000;
  const mac = (prefix) => {
    const n = nextMac++;
    return `${prefix}:${((n >> 16) & 255).toString(16).padStart(2, '0')}:${((n >> 8) & 255).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;
  };

  let nextId = 1;
  const makeDevice = (kind, at) => {
    const [type, , vendors, dhcp, ports] = kind;
    const [vendor, models] = pick(vendors);
    const site = Math.floor(rand() * SITES.length);
    const id = nextId++;
    const d = {
      id,
      type,
      vendor,
      model: pick(models),
      serial: vendor ? `${vendor.slice(0, 2).toUpperCase()}${(1_000_000 + id * 7919) % 9_999_999}` : null,
      site,
      dhcp,
      address: freshAddress(site),
      mac: mac(`00:${(16 + (id % 200)).toString(16)}:4b`),
      hostname: type === 'other' ? null : `${type.slice(0, 3)}-${SITES[site].toLowerCase()}-${id}.corp.example`,
      os: OS[type] ? pick(OS[type]) : null,
      firmware: OS[type] ? null : pick(FIRMWARE),
      ports,
      pages: type === 'printer' ? Math.floor(rand() * 200_000) : 0,
      retired: false,
      offUntil: -1,
      since: at,
    };
    return d;
  };
  const kindFor = () => {
    let r = rand();
    for (const k of KINDS) {
      if (r < k[1]) return k;
      r -= k[1];
    }
    return KINDS[0];
  };

  const initial = Math.round(assets * 0.9);
  const newPerMonth = snapshots > 1 ? Math.floor((assets - initial) / (snapshots - 1)) : 0;
  const devices = [];
  for (let i = 0; i < initial; i++) devices.push(makeDevice(kindFor(), 0));

  const start = Date.UTC(2025, 0, 31, 22, 0, 0);
  for (let s = 0; s < snapshots; s++) {
    const startedAt = new Date(start + s * 30.4 * 86_400_000);
    const t0 = Date.now();
    if (s > 0) churn(s);
    const begun = await store.beginSnapshot(
      {
        startedAt: startedAt.toISOString(),
        label: `month ${s + 1}`,
        targets: SITES.map((_, i) => `10.${i * 16}.0.0/12`),
        scanners: ['discover:tcp', 'dns'],
        options: { ports: [22, 80, 135, 139, 443, 445, 515, 631, 3389, 9100], timeoutMs: 1000, concurrency: 256, dns: true },
        toolVersion: 'bench',
        pid: process.pid,
        host: 'bench',
      },
      () => false,
    );
    let batch = [];
    let seen = 0;
    let created = 0;
    for (const d of devices) {
      if (d.retired || d.offUntil >= s) continue;
      const seenAt = new Date(startedAt.getTime() + 60_000 + (seen % 3600) * 1000).toISOString();
      const newAsset = !d.written;
      d.written = true;
      if (newAsset) created++;
      batch.push(recordFor(d, seenAt, newAsset));
      seen++;
      if (batch.length === 2000) {
        await store.commitBatch(begun.id, batch);
        batch = [];
      }
    }
    await store.commitBatch(begun.id, batch);
    const probed = SITES.length * 16 * 65536;
    await store.finishSnapshot(begun.id, 'complete', { probed, alive: seen, records: seen, newAssets: created, failedTargets: 0 }, new Date(startedAt.getTime() + 3_900_000).toISOString());
    log(`snapshot ${begun.id}: ${seen} seen, ${created} new, ${devices.length} known (${Date.now() - t0} ms)`);
  }
  await store.close();

  function churn(s) {
    const active = devices.filter((d) => !d.retired);
    for (const d of active) {
      const r = rand();
      if (r < 0.004) {
        d.retired = true;
        usedAddresses.delete(d.address);
        continue;
      }
      if (r < 0.019) d.offUntil = s + (rand() < 0.7 ? 0 : 1);
      if (d.dhcp && rand() < 0.03) {
        usedAddresses.delete(d.address);
        d.address = freshAddress(d.site);
      }
      if (d.os && rand() < 0.02) d.os = pick(OS[d.type]);
      if (d.firmware && rand() < 0.03) d.firmware = pick(FIRMWARE);
      if (d.hostname && rand() < 0.002) d.hostname = d.hostname.replace(/^(\w+-)/, '$1r');
      if (d.type === 'printer') d.pages += Math.floor(rand() * 3000);
    }
    // A few printers replaced by a new unit at the same address under the same name.
    for (const d of active.filter((x) => x.type === 'printer' && !x.retired && rand() < 0.003)) {
      d.retired = true;
      const n = makeDevice(KINDS.find((k) => k[0] === 'printer'), s);
      usedAddresses.delete(n.address);
      n.address = d.address;
      n.hostname = d.hostname;
      n.site = d.site;
      devices.push(n);
    }
    for (let i = 0; i < newPerMonth; i++) devices.push(makeDevice(kindFor(), s));
  }

  function recordFor(d, seenAt, newAsset) {
    const facts = {
      macs: [{ value: d.mac, source: 'arp' }],
      ...(d.hostname ? { hostnames: [{ value: d.hostname, source: 'dns:PTR' }] } : {}),
      ...(d.vendor ? { vendor: { value: d.vendor, source: 'identify' }, model: { value: d.model, source: 'identify' } } : {}),
      ...(d.serial ? { serial: { value: d.serial, source: 'ENTITY-MIB::entPhysicalSerialNum.1' } } : {}),
      type: { value: d.type, source: 'identify' },
      ...(d.os ? { os: { value: d.os, source: 'nmap' } } : {}),
      ...(d.firmware ? { firmware: { value: d.firmware, source: 'SNMPv2-MIB::sysDescr.0' } } : {}),
      liveness: [{ method: `tcp:${d.ports[0]}`, rttMs: 1 + (d.id % 40) / 10 }],
      openPorts: { value: d.ports.map((port) => ({ port, protocol: 'tcp' })), source: 'tcp:connect' },
      ...(['switch', 'router', 'ap', 'printer', 'ups'].includes(d.type)
        ? { location: { value: `${SITES[d.site]}, floor ${1 + (d.id % 5)}`, source: 'SNMPv2-MIB::sysLocation.0' } }
        : {}),
      ...(d.type === 'printer'
        ? {
            printer: {
              value: {
                pageCount: d.pages,
                counters: [{ marker: 1, count: d.pages, unit: 'impressions' }],
                supplies: [
                  { description: 'Black Toner', type: 'toner', color: 'black', level: 40 + (d.pages % 60), capacity: 100, percent: 40 + (d.pages % 60) },
                ],
              },
              source: 'Printer-MIB',
            },
          }
        : {}),
    };
    const record = { address: d.address, addresses: [d.address], facts, statuses: { 'discover:tcp': 'ok', dns: d.hostname ? 'ok' : 'error' }, observations: [] };
    return {
      assetId: d.id,
      newAsset,
      seenAt,
      summary: summarize(record),
      facts,
      statuses: record.statuses,
      evidence: newAsset ? [] : [{ rule: 'mac', value: d.mac, assetId: d.id }],
      conflicts: [],
    };
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const path = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  if (!path) {
    process.stderr.write('usage: node bench/generate-synthetic-db.mjs OUT.db [--assets N] [--snapshots M] [--seed S]\n');
    process.exit(2);
  }
  const t0 = Date.now();
  await generateSyntheticDb({
    path,
    assets: opt('assets', 100_000),
    snapshots: opt('snapshots', 12),
    seed: opt('seed', 1),
    log: (line) => process.stderr.write(line + '\n'),
  });
  process.stderr.write(`wrote ${path} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
