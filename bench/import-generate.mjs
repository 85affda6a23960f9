#!/usr/bin/env node
// Writes N generated inventory documents (default 10,000) into a folder, for the import benchmark:
//   node bench/import-generate.mjs DIR [N]
// Deterministic (seeded): the same N gives the same files. Machines are a mix of Windows laptops,
// Linux servers and Macs with 80 to 900 packages each (about 25 KB per document on average), every
// one with its own serial, UUID and globally administered MAC, so each becomes one asset.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function generateDocuments(dir, n = 10_000) {
  mkdirSync(dir, { recursive: true });
  // mulberry32: a small PRNG with a full 2^32 period (32-bit arithmetic through Math.imul).
  let seed = 0x5eed;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const hex = (bytes) => Array.from({ length: bytes }, () => Math.floor(rand() * 256).toString(16).padStart(2, '0')).join('');
  const pool = Array.from({ length: 3000 }, (_, i) => `package-${i.toString(36)}-${['lib', 'tool', 'app', 'driver', 'runtime'][i % 5]}`);
  const publishers = ['Microsoft Corporation', 'Debian QA Group', 'Google LLC', 'Mozilla', 'Adobe Inc.', 'Apple', 'Red Hat, Inc.', 'Oracle'];
  const kinds = [
    { platform: 'Windows', name: 'Microsoft Windows 11 Pro', release: '10.0.22631', maker: 'LENOVO', model: '21AHCTO1WW', chassis: 'Notebook', source: 'registry:Uninstall' },
    { platform: 'linux', name: 'Debian GNU/Linux', release: '12', maker: 'Dell Inc.', model: 'PowerEdge R650', chassis: 'Rack Mount Chassis', source: 'dpkg-query' },
    { platform: 'darwin', name: 'macOS', release: '14.4.1', maker: 'Apple Inc.', model: 'MacBookPro18,3', chassis: undefined, source: 'system_profiler:SPApplicationsDataType' },
  ];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const k = kinds[i % kinds.length];
    const packages = [];
    const count = 80 + Math.floor(rand() * 820);
    const start = Math.floor(rand() * pool.length);
    for (let p = 0; p < count; p++) {
      packages.push({ name: pool[(start + p * 7) % pool.length], version: `${1 + Math.floor(rand() * 9)}.${Math.floor(rand() * 40)}.${Math.floor(rand() * 200)}`, publisher: pick(publishers) });
    }
    const host = `host-${String(i).padStart(5, '0')}`;
    const mac = `00:1b:21:${hex(1)}:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
    const doc = {
      format: 'netcensus-inventory',
      version: 1,
      collectedAt: new Date(Date.UTC(2025, 2, 1, 8) + i * 1000).toISOString(),
      collector: { tool: 'netcensus', version: '0.1.0', privileged: true, durationMs: 1500 },
      system: { source: 'systeminformation:system', manufacturer: k.maker, model: k.model, serial: `GEN${String(i).padStart(6, '0')}${hex(2).toUpperCase()}`, uuid: `${i.toString(16).padStart(8, '0')}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`, virtual: false, ...(k.chassis ? { chassisType: k.chassis } : {}) },
      bios: { source: 'systeminformation:bios', vendor: k.maker, version: `1.${Math.floor(rand() * 30)}.0`, releaseDate: '2024-01-15' },
      cpu: { source: 'systeminformation:cpu', manufacturer: 'Intel', model: 'Intel Core i7-1265U', cores: 12, physicalCores: 10, sockets: 1 },
      memory: { source: 'systeminformation:mem', totalBytes: 2 ** (33 + Math.floor(rand() * 3)), modules: [{ sizeBytes: 2 ** 33, slot: 'DIMM0', type: 'DDR4' }] },
      disks: { source: 'systeminformation:diskLayout', items: [{ device: '/dev/nvme0n1', model: 'SAMSUNG MZVL2512HCJQ', serial: `S64K${hex(4).toUpperCase()}`, sizeBytes: 512110190592, kind: 'nvme', interface: 'NVMe' }] },
      network: { source: 'systeminformation:networkInterfaces', interfaces: [{ name: 'eth0', mac, ipv4: [`10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`], ipv6: [], speedMbps: 1000, default: true, virtual: false, up: true }] },
      os: { source: 'systeminformation:osInfo', platform: k.platform, name: k.name, release: k.release, kernel: '6.1.0', arch: 'x64', hostname: host, fqdn: `${host}.corp.example.org` },
      users: { source: 'systeminformation:users', loggedIn: 1 },
      software: { source: k.source, packages },
      unavailable: [],
    };
    const text = JSON.stringify(doc);
    bytes += text.length;
    writeFileSync(join(dir, `${host}.json`), text);
  }
  return { documents: n, bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, n] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node bench/import-generate.mjs DIR [N]\n');
    process.exit(2);
  }
  const r = generateDocuments(dir, n ? Number(n) : 10_000);
  process.stdout.write(`wrote ${r.documents} documents (${(r.bytes / 1e6).toFixed(1)} MB) to ${dir}\n`);
}
