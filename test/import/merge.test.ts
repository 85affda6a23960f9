// An imported machine and its network sighting are one asset, both views kept with their sources:
// (1) through the CLI: a loopback "server" found by a scan (open port, PTR name from a test DNS
//     server), then the server's own document naming that address and name;
// (2) through the store: a network record holding the server's MAC (as an SNMP ARP table or the
//     neighbour table would give it), then an import of its document, in-process.
// Also the "missing" rule: an import never makes network assets missing, and a scan after an
// import neither loses the software nor reports it removed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssetIndex, resolveIdentity } from '../../src/inventory/identity.js';
import { summarize } from '../../src/inventory/summarize.js';
import { runImport } from '../../src/cli/run-import.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { listen, pickPort, type Listener } from '../helpers/listeners.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/local');
const NET = '127.21.0';
const SERVER = `${NET}.10`;

function serverDocument(): Record<string, unknown> {
  const doc = JSON.parse(readFileSync(join(FIXTURES, 'linux-server.json'), 'utf8'));
  doc.network.interfaces[0].ipv4 = [SERVER];
  return doc;
}

describe('an imported machine merged with its network sighting (CLI, loopback scan)', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const env = cliEnv(home);
  const port = pickPort(51);
  let dns: TestDnsServer;
  let listener: Listener;
  const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env });
  const scan = () => cli('scan', `${NET}.10-12`, '--ports', String(port), '--dns-server', dns.address, '--timeout', '500', '--quiet');
  type Entry = { assetId: number; address: string; hostname: string | null; vendor: string | null; serial: string | null; openPorts: number[]; seen: boolean };

  beforeAll(async () => {
    dns = await startDnsServer();
    dns.ptr.set(SERVER, 'db01.example.net');
    listener = await listen(SERVER, port);
    const r = await scan();
    expect(r.code, r.stderr).toBe(0);
    const file = join(home, 'db01.json');
    writeFileSync(file, JSON.stringify(serverDocument()));
    const imported = await cli('import', file);
    expect(imported.code, imported.stderr).toBe(0);
  });

  afterAll(async () => {
    await listener?.close();
    await dns?.close();
  });

  it('one asset holding the open port from the scan and the hardware and software from the document', async () => {
    const assets: Entry[] = JSON.parse((await cli('assets', '--json')).stdout).assets;
    expect(assets).toHaveLength(3); // .10 the server, .11 and .12 nameless loopback answers
    const server = assets.filter((a) => a.hostname === 'db01.example.net');
    expect(server).toHaveLength(1);
    expect(server[0]).toMatchObject({ address: SERVER, vendor: 'Dell Inc.', serial: '7XK2H53', openPorts: [port], seen: true });
    // The import speaks only for its machine: the scanned hosts are not missing.
    expect(assets.every((a) => a.seen)).toBe(true);

    const history = JSON.parse((await cli('asset', String(server[0]!.assetId), '--json')).stdout).history;
    expect(history).toHaveLength(2);
    expect(history[1].evidence.map((e: { rule: string }) => e.rule)).toContain('hostname');

    const exported = JSON.parse((await cli('export', '--format', 'json')).stdout);
    const facts = exported.assets.find((a: Entry) => a.assetId === server[0]!.assetId).facts;
    expect(facts.openPorts.source).toBe('tcp:connect');
    expect(facts.software.source).toBe('dpkg-query');
    expect(facts.serial).toEqual({ value: '7XK2H53', source: 'systeminformation:system' });
    expect(facts.hostnames).toContainEqual({ value: 'db01.example.net', source: 'systeminformation:osInfo' });
    expect(facts.hostnames).toContainEqual({ value: 'db01.example.net', source: 'dns:PTR' });
  });

  it('a scan after the import keeps the software: no change reported for the server', async () => {
    const r = await scan();
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse((await cli('diff', '--json')).stdout);
    expect(d.changes).toEqual([]);
    const assets: Entry[] = JSON.parse((await cli('assets', '--json')).stdout).assets;
    const server = assets.find((a) => a.hostname === 'db01.example.net')!;
    expect(server).toMatchObject({ vendor: 'Dell Inc.', openPorts: [port], seen: true });
    const shown = await cli('asset', String(server.assetId));
    expect(shown.stdout).toMatch(/software +7 packages/);
  });
});

describe('an imported machine merged with a network record holding its MAC (store API)', () => {
  it('resolves to the network asset by MAC; the combined state keeps each source', async () => {
    const store = openSqliteStore(join(tempDir(), 'inventory.db'));
    try {
      const at = '2025-03-01T01:00:00.000Z';
      const begun = await store.beginSnapshot(
        { startedAt: at, label: null, targets: ['10.20.40.0/24'], scanners: ['discover:arp'], options: {}, toolVersion: 'test', pid: process.pid, host: 'test' },
        () => false,
      );
      const facts = {
        macs: [{ value: '00:1B:21:3A:4F:10', source: 'arp' }],
        liveness: [{ method: 'arp' }],
        openPorts: { value: [{ port: 22, protocol: 'tcp' as const }], source: 'tcp:connect' },
      };
      const record = { address: '10.20.40.10', addresses: ['10.20.40.10'], facts, statuses: { 'discover:arp': 'ok' as const }, observations: [] };
      await store.commitBatch(begun.id, [
        { assetId: 1, newAsset: true, seenAt: at, summary: summarize(record), facts, statuses: record.statuses, evidence: [], conflicts: [] },
      ]);
      await store.finishSnapshot(begun.id, 'complete', { probed: 256, alive: 1, records: 1, newAssets: 1, failedTargets: 0 }, at);

      const text = readFileSync(join(FIXTURES, 'linux-server.json'), 'utf8');
      const summary = await runImport(
        { kind: 'import', sources: [{ file: 'linux-server.json', read: async () => text }], targetTexts: ['linux-server.json'], label: null },
        { store, now: () => new Date('2025-03-01T03:00:00Z'), signal: new AbortController().signal, pid: process.pid, host: 'test', isRunAlive: () => false },
      );
      expect(summary).toMatchObject({ snapshotId: 2, imported: 1, counts: { newAssets: 0 } });
      expect(summary.assets[0]!.assetId).toBe(1);

      const history = await store.assetHistory(1);
      expect(history[1]!.evidence).toEqual([{ rule: 'mac', value: '00:1b:21:3a:4f:10', assetId: 1 }]);

      const [entry] = await store.inventoryAsOf(2, {}, { withFacts: true });
      expect(entry).toMatchObject({ assetId: 1, seen: true, address: '10.20.40.10', serial: '7XK2H53', vendor: 'Dell Inc.', openPorts: [22] });
      expect(entry!.facts!.macs).toContainEqual({ value: '00:1B:21:3A:4F:10', source: 'arp' });
      expect(entry!.facts!.macs).toContainEqual({ value: '00:1b:21:3a:4f:10', source: 'sysfs:/sys/class/net' });
      expect(entry!.facts!.openPorts!.source).toBe('tcp:connect');
      expect(entry!.facts!.software!.value).toHaveLength(7);

      // Identity sees both views: the server's serial now finds asset 1 on its own.
      const index = buildAssetIndex(await store.knownAssets());
      const bySerial = resolveIdentity({ ...summarize(record), macs: [], serial: '7XK2H53', vendor: 'Dell' }, index);
      expect(bySerial.assetId).toBe(1);
      expect(bySerial.evidence[0]!.rule).toBe('serial');
    } finally {
      await store.close();
    }
  });
});
