// The project's own simulated devices (fixtures/snmp-sim), served in-process by net-snmp's agent on
// 127.0.2.x, swept by the built CLI with credentials from a config file (env: and file: references,
// a v3 authPriv user): what each device is, its tables (printer counters and supplies, the switch's
// forwarding table and LLDP neighbour, UPS battery, router ARP), `asset --explain`, and that no
// secret reaches the output, the database or the export.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { pickPort } from '../helpers/listeners.js';
import { createIdentifier } from '../../src/identify/index.js';
import { interrogateDevice, readSystemGroup } from '../../src/scan/snmp/interrogate-device.js';
import { openRecordedTransport } from '../../src/scan/snmp/recorded-transport.js';
import { parseSnmprec } from '../../src/scan/snmp/snmprec.js';
import { startSimulatedDevice, type SimulatedDevice } from './simulated-agent.js';

const NET = '127.0.2';
const PRINTER = `${NET}.1`;
const SWITCH = `${NET}.2`;
const UPS = `${NET}.3`;
const ROUTER = `${NET}.4`;
const COMMUNITY = 'c0mmunity-Secret-7';
const AUTH_KEY = 'auth-Key-Secret-99';
const PRIV_KEY = 'priv-Key-Secret-42';

interface Asset {
  assetId: number;
  address: string;
  hostname: string | null;
  vendor: string | null;
  model: string | null;
  serial: string | null;
  firmware: string | null;
  type: string | null;
  facts: Record<string, { value: unknown; source: string } & Record<string, unknown>>;
}

describe('simulated SNMP devices through the CLI', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const port = pickPort(42);
  const env = cliEnv(home, { NC_TEST_COMMUNITY: COMMUNITY });
  const config = join(home, 'netcensus.yaml');
  const devices: SimulatedDevice[] = [];
  let scan: CliResult;
  let assets: Asset[];
  const cli = (...args: string[]) => runCli(['--db', db, '--config', config, ...args], { cwd: home, env });

  beforeAll(async () => {
    writeFileSync(join(home, 'priv.key'), PRIV_KEY + '\n');
    writeFileSync(
      config,
      [
        'snmp:',
        `  port: ${port}`,
        '  timeoutMs: 800',
        '  retries: 0',
        '  communities: ["wrong-one", "env:NC_TEST_COMMUNITY"]',
        '  v3:',
        '    - name: ops',
        '      user: opsuser',
        '      authProtocol: sha256',
        `      authKey: "${AUTH_KEY}"`,
        '      privProtocol: aes',
        '      privKey: file:priv.key',
      ].join('\n') + '\n',
    );
    devices.push(await startSimulatedDevice('printer-laserjet.snmprec', PRINTER, port, { communities: [COMMUNITY] }));
    devices.push(await startSimulatedDevice('switch-acme.snmprec', SWITCH, port, { communities: [COMMUNITY] }));
    devices.push(await startSimulatedDevice('ups-generic.snmprec', UPS, port, { communities: [COMMUNITY] }));
    devices.push(
      await startSimulatedDevice('router-v3.snmprec', ROUTER, port, {
        users: [{ name: 'opsuser', level: 'authPriv', authProtocol: 'sha256', authKey: AUTH_KEY, privProtocol: 'aes', privKey: PRIV_KEY }],
      }),
    );
    scan = await cli('scan', `${NET}.1-4`, '--ports', String(port), '--no-dns', '--timeout', '300');
    const exported = await cli('export', '--format', 'json');
    assets = JSON.parse(exported.stdout).assets as Asset[];
  }, 120_000);

  afterAll(async () => {
    for (const d of devices) await d.close();
  });

  const at = (address: string): Asset => assets.find((a) => a.address === address)!;

  it('scans all four and identifies each', () => {
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stderr).toMatch(/4 probed, 4 alive, 4 stored/);
    expect(at(PRINTER)).toMatchObject({ type: 'printer', vendor: 'HP', model: 'LaserJet Pro M404dn', serial: 'PHBTEST001', firmware: '20240115', hostname: 'printer-3f' });
    expect(at(SWITCH)).toMatchObject({ type: 'switch', vendor: 'Acme Networks', model: 'AS-2400-24G', serial: 'ACME24X0042', firmware: '4.2.1', hostname: 'core-sw1' });
    expect(at(UPS)).toMatchObject({ type: 'ups', vendor: 'Acme Power', model: 'AP-1500 RM', firmware: 'UPS 2.1.7' });
    expect(at(ROUTER)).toMatchObject({ type: 'router', hostname: 'edge-router' });
  });

  it('collects the printer counters and supplies', () => {
    const printer = at(PRINTER).facts.printer!.value as { pageCount: number; supplies: { description: string; color?: string; percent?: number; type?: string }[] };
    expect(printer.pageCount).toBe(48213);
    expect(printer.supplies).toContainEqual(expect.objectContaining({ description: 'Black Cartridge HP CF259A', color: 'black', percent: 40, type: 'tonerCartridge' }));
    expect(printer.supplies).toContainEqual(expect.objectContaining({ description: 'Fuser Kit', level: -3 }));
  });

  it("collects the switch's forwarding table and LLDP neighbour, by port name and VLAN", () => {
    const fdb = at(SWITCH).facts.forwardingTable!.value as { mac: string; ifName?: string; vlan?: number }[];
    expect(fdb).toContainEqual(expect.objectContaining({ mac: '00:17:a4:10:00:01', ifName: 'ge-0/2', vlan: 10 }));
    expect(fdb).toContainEqual(expect.objectContaining({ mac: '00:50:56:09:09:09', ifName: 'ge-0/1', vlan: 20 }));
    expect(fdb).toHaveLength(3);
    const neighbors = at(SWITCH).facts.neighbors!.value as Record<string, string>[];
    expect(neighbors).toEqual([expect.objectContaining({ protocol: 'lldp', localPort: 'uplink to router', chassisId: '02:bb:00:00:00:01', portId: 'eth3', sysName: 'edge-router' })]);
    const interfaces = at(SWITCH).facts.interfaces!.value as { name?: string; alias?: string; adminStatus?: string }[];
    expect(interfaces).toContainEqual(expect.objectContaining({ name: 'ge-0/3', adminStatus: 'down' }));
  });

  it('reads the UPS battery and the router ARP table over SNMPv3 authPriv', () => {
    expect(at(UPS).facts.ups!.value).toMatchObject({ batteryStatus: 'normal', estimatedChargePercent: 97, estimatedMinutesRemaining: 42 });
    expect(at(ROUTER).facts.snmp).toMatchObject({ version: 'v3', credential: 'v3 user ops' });
    expect(at(ROUTER).facts.arpEntries!.value).toContainEqual({ ip: '198.51.100.20', mac: '00:50:56:01:02:03', ifIndex: 2 });
    expect(at(PRINTER).facts.snmp).toMatchObject({ version: 'v2c', credential: 'community #2' });
  });

  it('explains each identified field with its OID and rule', async () => {
    const r = await cli('asset', String(at(SWITCH).assetId), '--explain');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('from ENTITY-MIB::entPhysicalSerialNum.1; rule fallback: ENTITY-MIB chassis');
    expect(r.stdout).toContain('rule fallback: BRIDGE-MIB present');
    const p = await cli('asset', String(at(PRINTER).assetId), '--explain');
    expect(p.stdout).toMatch(/model\s+LaserJet Pro M404dn\n\s+from HP-LASERJET-COMMON-MIB::gdStatusId\.0; rule hp-jetdirect \(hp\.json\) model\[0\]/);
  });

  it('keeps every secret out of output, database and export', async () => {
    const exported = await cli('export', '--format', 'json');
    const snapshots = await cli('snapshots', '--json');
    const dbText = readFileSync(db).toString('latin1');
    for (const secret of [COMMUNITY, AUTH_KEY, PRIV_KEY]) {
      for (const [where, text] of [
        ['scan output', scan.stdout + scan.stderr],
        ['export', exported.stdout],
        ['snapshots', snapshots.stdout],
        ['database', dbText],
      ] as const) {
        expect(text.includes(secret), `${where} holds a secret`).toBe(false);
      }
    }
  });

  it('snmp walk records a device as snmprec, redacted, that identifies the same offline', async () => {
    const file = join(home, 'printer.snmprec');
    const r = await cli('snmp', 'walk', PRINTER, '--community', 'env:NC_TEST_COMMUNITY', '--out', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^recorded \d+ values from 127\.0\.2\.1 with community #1; sysContact and sysLocation redacted/);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('1.3.6.1.2.1.1.4.0|4|<redacted>');
    expect(text).toContain('1.3.6.1.2.1.1.6.0|4|<redacted>');
    expect(text).not.toContain('copy room');
    expect(text).not.toContain(COMMUNITY);
    const transport = openRecordedTransport(parseSnmprec(text));
    const identifier = createIdentifier();
    const facts = identifier.identify(await interrogateDevice(transport, await readSystemGroup(transport), identifier.planSnmp, { version: 'v2c', credential: 'recording' }));
    expect(facts).toMatchObject({ vendor: { value: 'HP' }, model: { value: 'LaserJet Pro M404dn' }, serial: { value: 'PHBTEST001' }, type: { value: 'printer' } });
  });

  it('records auth-failed for an unknown v3 user, without saying the key', async () => {
    const bad = join(home, 'bad.yaml');
    writeFileSync(bad, readFileSync(config, 'utf8').replace(AUTH_KEY, 'not-the-right-key-1').replace('user: opsuser', 'user: nosuchuser').replace(/  communities:.*\n/, ''));
    const r = await runCli(['--db', join(home, 'bad.db'), '--config', bad, 'scan', ROUTER, '--ports', String(port), '--no-dns', '--timeout', '300'], { cwd: home, env });
    expect(r.code, r.stderr).toBe(0);
    const list = await runCli(['--db', join(home, 'bad.db'), 'export', '--format', 'json'], { cwd: home, env });
    const doc = JSON.parse(list.stdout) as { assets: Asset[] };
    expect(doc.assets[0]!.type).toBeNull();
    expect(list.stdout).not.toContain('not-the-right-key-1');
    const asset = await runCli(['--db', join(home, 'bad.db'), 'asset', String(doc.assets[0]!.assetId), '--json'], { cwd: home, env });
    expect(JSON.parse(asset.stdout).history[0].statuses.snmp).toBe('auth-failed');
  });
});
