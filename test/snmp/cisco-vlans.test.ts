// Cisco per-VLAN forwarding tables (community indexing, COMMUNITY@VLAN): the project's own Cisco
// access switch (fixtures/snmp-sim/cisco-vlans) served by snmpsimd on 127.0.6.1, where the community
// names the data file, so "C" answers the default context (VLAN 1's table, no VLAN ids, and
// CISCO-VTP-MIB's VLAN list) and "C@10", "C@20" answer those VLANs' bridges. Beside it, a printer and
// a UPS (net-snmp's agent on 127.0.6.2-3) whose MACs only the VLAN tables hold. The built CLI scans
// the three: each end device must get the switch, its access port and its VLAN; the suspended VLAN
// 30 and the reserved VLAN 1002 (each with a data file of its own) must not be read; and the indexed
// community must not reach the output or the database.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { pickPort } from '../helpers/listeners.js';
import { describeWhen, needCommand } from '../helpers/prereqs.js';
import { SIM_DIR, startSimulatedDevice, type SimulatedDevice } from './simulated-agent.js';
import { startSnmpsimEndpoint } from './snmpsim.js';

const COMMUNITY = 'sw-Secret-9';
const NET = '127.0.6';
const SWITCH = `${NET}.1`;
const PRINTER = `${NET}.2`;
const UPS = `${NET}.3`;

interface Asset {
  assetId: number;
  address: string;
  vendor: string | null;
  type: string | null;
  facts: Record<string, { value: unknown; source: string; rule?: string }>;
}

describeWhen(needCommand('snmpsimd'), 'Cisco per-VLAN forwarding tables through the CLI', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const config = join(home, 'netcensus.yaml');
  const port = pickPort(45);
  const env = cliEnv(home, { NC_SWITCH_COMMUNITY: COMMUNITY });
  let sim: { stop(): void } | undefined;
  const devices: SimulatedDevice[] = [];
  let scan: CliResult;
  let assets: Asset[];
  const at = (address: string): Asset => assets.find((a) => a.address === address)!;

  beforeAll(async () => {
    sim = await startSnmpsimEndpoint(resolve(SIM_DIR, 'cisco-vlans'), SWITCH, port, COMMUNITY);
    devices.push(await startSimulatedDevice('printer-laserjet.snmprec', PRINTER, port, { communities: [COMMUNITY] }));
    devices.push(await startSimulatedDevice('ups-generic.snmprec', UPS, port, { communities: [COMMUNITY] }));
    writeFileSync(config, ['snmp:', `  port: ${port}`, '  timeoutMs: 2000', '  retries: 1', '  communities: ["env:NC_SWITCH_COMMUNITY"]'].join('\n') + '\n');
    scan = await runCli(['--db', db, '--config', config, 'scan', `${NET}.1-3`, '--ports', String(port), '--no-dns', '--no-fingerprint', '--timeout', '300'], {
      cwd: home,
      env,
      timeoutMs: 120_000,
    });
    const exported = await runCli(['--db', db, 'export', '--format', 'json'], { cwd: home, env });
    assets = JSON.parse(exported.stdout).assets as Asset[];
  }, 180_000);

  afterAll(async () => {
    sim?.stop();
    for (const d of devices) await d.close();
  });

  it('reads each operational VLAN of the switch through the indexed community', () => {
    expect(scan.code, scan.stderr).toBe(0);
    expect(at(SWITCH)).toMatchObject({ vendor: 'Cisco', type: 'switch' });
    const fdb = at(SWITCH).facts.forwardingTable!;
    const entries = fdb.value as { mac: string; port: number; ifName?: string; vlan?: number }[];
    expect(fdb.source).toMatch(/per VLAN \(3 VLAN\(s\) of CISCO-VTP-MIB::vtpVlanState/);
    expect(entries).toContainEqual({ mac: '00:17:a4:10:00:01', port: 5, ifIndex: 10105, ifName: 'Gi1/0/5', vlan: 10 });
    expect(entries).toContainEqual({ mac: '02:00:cc:00:00:01', port: 7, ifIndex: 10107, ifName: 'Gi1/0/7', vlan: 20 });
    expect(entries).toContainEqual({ mac: '02:00:01:00:00:01', port: 1, ifIndex: 10101, ifName: 'Gi1/0/1', vlan: 1 });
    // Every entry tagged: the default table's (VLAN 1's) entries were read again in VLAN 1.
    expect(entries.every((e) => e.vlan !== undefined)).toBe(true);
    expect(new Set(entries.map((e) => e.vlan))).toEqual(new Set([1, 10, 20]));
    expect(entries).toHaveLength(3 + 4 * 3);
    // Suspended VLAN 30 and reserved VLAN 1002 were not asked for.
    expect(entries.map((e) => e.mac)).not.toContain('02:00:30:30:30:30');
    expect(entries.map((e) => e.mac)).not.toContain('02:00:10:02:00:00');
  });

  it('puts each end device on its switch port and VLAN', () => {
    expect(at(PRINTER).facts.attachment?.value).toMatchObject({ switchName: 'access-sw3', switchAddress: SWITCH, port: 'Gi1/0/5', vlan: 10, mac: '00:17:a4:10:00:01' });
    expect(at(UPS).facts.attachment?.value).toMatchObject({ switchName: 'access-sw3', switchAddress: SWITCH, port: 'Gi1/0/7', vlan: 20, mac: '02:00:cc:00:00:01' });
  });

  it('never writes the community, indexed or not', () => {
    const dbText = readFileSync(db).toString('latin1');
    for (const [where, text] of [
      ['scan output', scan.stdout + scan.stderr],
      ['database', dbText],
      ['export', JSON.stringify(assets)],
    ] as const) {
      expect(text.includes(COMMUNITY), `${where} holds the community`).toBe(false);
    }
  });
});
