// "Switch X, port Y, VLAN Z" on each end device's record: the pure placement
// (inventory/attach-to-switch-ports) on hand-made tables, then end to end through the built CLI with
// the project's simulated switch (fixtures/snmp-sim/switch-acme: Q-BRIDGE FDB + LLDP) served by
// net-snmp's agent on 127.24.0.x, beside end devices whose MACs come the ways the product reads them:
// a printer's own IF-MIB ifPhysAddress, and a host that only answers TCP whose MAC is in the
// simulated router's ARP table (ipNetToMedia).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachToSwitchPorts, type AttachableRecord } from '../../src/inventory/attach-to-switch-ports.js';
import type { ForwardingEntry, NetInterface, Neighbor } from '../../src/model/index.js';
import { cliEnv, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { listen, pickPort, type Listener } from '../helpers/listeners.js';
import { SIM_DIR, startSimulatedDevice, type SimulatedDevice } from './simulated-agent.js';

const sw = (
  assetId: number,
  name: string,
  forwarding: ForwardingEntry[],
  more: { neighbors?: Neighbor[]; interfaces?: NetInterface[]; macs?: string[] } = {},
): AttachableRecord => ({
  assetId,
  address: `10.0.0.${assetId}`,
  addresses: [`10.0.0.${assetId}`],
  hostname: name,
  macs: more.macs ?? [],
  facts: {
    forwardingTable: { value: forwarding, source: 'test' },
    ...(more.neighbors ? { neighbors: { value: more.neighbors, source: 'test' } } : {}),
    ...(more.interfaces ? { interfaces: { value: more.interfaces, source: 'test' } } : {}),
  },
});
const host = (assetId: number, macs: string[], address = `10.0.1.${assetId}`): AttachableRecord => ({
  assetId,
  address,
  addresses: [address],
  hostname: null,
  macs,
  facts: {},
});
const many = (port: string, n: number, vlan?: number): ForwardingEntry[] =>
  Array.from({ length: n }, (_, i) => ({ mac: `00:00:5e:00:9${Math.floor(i / 10)}:${String(i % 10).padStart(2, '0')}`, ifName: port, ...(vlan ? { vlan } : {}) }));
const byAsset = (records: AttachableRecord[]) => new Map(attachToSwitchPorts(records).map((u) => [u.assetId, u.attachment]));

describe('placing end devices on switch ports (pure)', () => {
  it('picks the port with the fewest MACs across switches, with its VLAN', () => {
    const pc = 'AA-BB-CC-00-00-01';
    const core = sw(1, 'core', [{ mac: pc, ifName: 'Te1/1', vlan: 10 }, ...many('Te1/1', 30, 10)]);
    const edge = sw(2, 'edge', [{ mac: pc, ifName: 'Gi0/3', vlan: 10 }, { mac: pc, ifName: 'Gi0/3', vlan: 5 }, { mac: '00:00:5e:00:01:01', ifName: 'Gi0/3', vlan: 10 }]);
    const got = byAsset([core, edge, host(10, ['aa:bb:cc:00:00:01'])]).get(10);
    expect(got?.value).toEqual({ switchAssetId: 2, switchName: 'edge', switchAddress: '10.0.0.2', port: 'Gi0/3', vlan: 5, mac: 'aa:bb:cc:00:00:01', macsOnPort: 2 });
    expect(got?.source).toBe('forwarding table of edge (10.0.0.2)');
    expect(got?.rule).toMatch(/^edge port: fewest MACs \(2\)/);
  });

  it('never places a MAC on a port with an LLDP/CDP neighbour, named by alias, ifName or ifIndex', () => {
    const a = '02:00:00:00:00:0a';
    const b = '02:00:00:00:00:0b';
    const c = '02:00:00:00:00:0c';
    const interfaces: NetInterface[] = [
      { index: 1, name: 'ge-0/1', alias: 'uplink to core' },
      { index: 2, name: 'ge-0/2' },
      { index: 3, name: 'ge-0/3' },
      { index: 4, name: 'ge-0/4' },
    ];
    const s = sw(
      1,
      'access',
      [
        { mac: a, ifIndex: 1, ifName: 'ge-0/1', port: 1 },
        { mac: b, ifIndex: 2, ifName: 'ge-0/2', port: 2 },
        { mac: c, ifIndex: 3, ifName: 'ge-0/3', port: 3 },
        { mac: '02:00:00:00:00:0d', ifIndex: 4, ifName: 'ge-0/4', port: 4 },
      ],
      {
        interfaces,
        neighbors: [
          { protocol: 'lldp', localPort: 'uplink to core', sysName: 'core' }, // lldpLocPortDesc = ifAlias
          { protocol: 'lldp', localPort: 'ge-0/2', sysName: 'sw2' }, // lldpLocPortId = ifName
          { protocol: 'cdp', localPort: '3', sysName: 'ap-1' }, // cdpCacheIfIndex
        ],
      },
    );
    const got = byAsset([s, host(11, [a]), host(12, [b]), host(13, [c]), host(14, ['02:00:00:00:00:0d'])]);
    expect([...got.keys()]).toEqual([14]);
  });

  it("places a neighbour itself on the uplink it is seen through (its LLDP chassis id)", () => {
    const apMac = '00:00:5e:00:53:aa';
    const s = sw(1, 'access', [{ mac: apMac, ifName: 'Gi1/0/7', vlan: 1 }, ...many('Gi1/0/7', 4, 30)], {
      neighbors: [{ protocol: 'lldp', localPort: 'Gi1/0/7', chassisId: '00-00-5E-00-53-AA', sysName: 'ap-7' }],
    });
    const got = byAsset([s, host(20, [apMac]), host(21, ['00:00:5e:00:90:01'])]);
    expect(got.get(20)?.value).toMatchObject({ port: 'Gi1/0/7', vlan: 1 });
    expect(got.get(20)?.rule).toBe('LLDP neighbour ap-7 on that port');
    expect(got.has(21)).toBe(false); // a client behind the AP: only seen on the uplink
  });

  it("takes a MAC from a router's ARP table for a host without one, never the switch's own", () => {
    const s = sw(1, 'sw', [{ mac: '00:00:5e:00:53:01', port: 7 }, { mac: '00:00:5e:00:53:02', port: 8 }, { mac: '02:00:00:00:00:99', port: 9 }], { macs: ['02:00:00:00:00:99'] });
    const router: AttachableRecord = {
      ...host(2, ['02:00:00:00:00:01'], '10.0.0.254'),
      hostname: 'gw',
      facts: {
        arpEntries: {
          value: [
            { ip: '10.0.1.30', mac: '00:00:5e:00:53:01' },
            { ip: '10.0.1.31', mac: '00:00:5e:00:53:02' },
            { ip: '10.0.1.32', mac: '00:00:5e:00:53:02' },
          ],
          source: 'test',
        },
      },
    };
    const other = { ...host(3, [], '10.0.0.253'), facts: { arpEntries: { value: [{ ip: '10.0.1.32', mac: '00:00:5e:00:53:03' }], source: 'test' } } };
    const got = byAsset([s, router, other, host(30, []), host(31, ['00:00:5e:00:99:99']), host(32, [])]);
    expect(got.get(30)?.value).toMatchObject({ port: 'port 7', mac: '00:00:5e:00:53:01' });
    expect(got.get(30)?.source).toBe('forwarding table of sw (10.0.0.1); MAC from the ARP table of gw (IP-MIB)');
    expect(got.has(31)).toBe(false); // has a MAC of its own, not on any port
    expect(got.has(32)).toBe(false); // two routers disagree on its MAC
    expect(got.has(1)).toBe(false); // the switch itself
  });
});

const NET = '127.24.0';
const SWITCH = `${NET}.1`;
const PRINTER = `${NET}.2`;
const ROUTER = `${NET}.3`;
const PC = `${NET}.4`;
const BEHIND_UPLINK = `${NET}.5`;
const COMMUNITY = 'attach-Community-3';

interface JsonAsset {
  assetId: number;
  address: string;
  attachment?: { value: Record<string, unknown>; source: string; rule?: string };
}

describe('end devices get their switch port after a scan (CLI)', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const port = pickPort(57);
  const env = cliEnv(home, { NC_ATTACH_COMMUNITY: COMMUNITY });
  const devices: SimulatedDevice[] = [];
  let pc: Listener | undefined;
  let scan: CliResult;
  let assets: JsonAsset[];
  const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env });
  const at = (address: string): JsonAsset => assets.find((a) => a.address === address)!;

  beforeAll(async () => {
    // The router's ARP table holds the TCP-only host's MAC, which the switch learnt on ge-0/2.
    const router = join(home, 'router.snmprec');
    writeFileSync(router, readFileSync(join(SIM_DIR, 'router-v3.snmprec'), 'utf8').replace('.198.51.100.20|', `.${PC}|`));
    // A device whose MAC the switch learnt only on its LLDP uplink (ge-0/1): behind the router.
    const ups = join(home, 'ups.snmprec');
    writeFileSync(ups, readFileSync(join(SIM_DIR, 'ups-generic.snmprec'), 'utf8').replace('|4x|0200cc000001', '|4x|005056090909'));
    const access = { communities: [COMMUNITY] };
    devices.push(await startSimulatedDevice('switch-acme.snmprec', SWITCH, port, access));
    devices.push(await startSimulatedDevice('printer-laserjet.snmprec', PRINTER, port, access));
    devices.push(await startSimulatedDevice(router, ROUTER, port, access));
    devices.push(await startSimulatedDevice(ups, BEHIND_UPLINK, port, access));
    pc = await listen(PC, port);
    scan = await cli('scan', `${NET}.1-5`, '--community', 'env:NC_ATTACH_COMMUNITY', '--snmp-port', String(port), '--ports', String(port), '--no-dns', '--timeout', '300');
    const listed = await cli('assets', '--json');
    assets = (JSON.parse(listed.stdout) as { assets: JsonAsset[] }).assets;
  }, 120_000);

  afterAll(async () => {
    for (const d of devices) await d.close();
    await pc?.close();
  });

  it('writes switch, port and VLAN onto the printer (its own IF-MIB MAC) and the host (MAC from ARP)', () => {
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stderr).toMatch(/5 probed, 5 alive, 5 stored/);
    const switchId = at(SWITCH).assetId;
    expect(at(PRINTER).attachment).toEqual({
      value: { switchAssetId: switchId, switchName: 'core-sw1', switchAddress: SWITCH, port: 'ge-0/2', vlan: 10, mac: '00:17:a4:10:00:01', macsOnPort: 2 },
      source: `forwarding table of core-sw1 (${SWITCH})`,
      rule: 'edge port: fewest MACs (2) of the ports that learnt 00:17:a4:10:00:01, LLDP/CDP uplinks excluded',
    });
    expect(at(PC).attachment?.value).toEqual({ switchAssetId: switchId, switchName: 'core-sw1', switchAddress: SWITCH, port: 'ge-0/2', vlan: 10, mac: '00:50:56:01:02:03', macsOnPort: 2 });
    expect(at(PC).attachment?.source).toBe(`forwarding table of core-sw1 (${SWITCH}); MAC from the ARP table of edge-router (IP-MIB)`);
  });

  it('leaves alone what was only learnt on the LLDP uplink, and the switch and router themselves', () => {
    expect(at(BEHIND_UPLINK).attachment).toBeUndefined();
    expect(at(SWITCH).attachment).toBeUndefined();
    expect(at(ROUTER).attachment).toBeUndefined();
  });

  it('shows it in `asset ID`, and in the export (JSON facts, CSV switch columns)', async () => {
    const shown = await cli('asset', String(at(PRINTER).assetId));
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`switch +core-sw1 \\(${SWITCH.replaceAll('.', '\\.')}\\), port ge-0/2, VLAN 10  \\(forwarding table of core-sw1`));
    const exported = await cli('export', '--format', 'json');
    const doc = JSON.parse(exported.stdout) as { assets: { address: string; facts: { attachment?: { value: { port: string } } } }[] };
    expect(doc.assets.find((a) => a.address === PC)?.facts.attachment?.value.port).toBe('ge-0/2');
    const csv = await cli('export', '--format', 'csv', '--columns', 'address,switch,switch_port');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split(/\r?\n/);
    expect(lines).toContain(`${PRINTER},core-sw1,ge-0/2`);
    expect(lines).toContain(`${PC},core-sw1,ge-0/2`);
    expect(lines).toContain(`${BEHIND_UPLINK},,`);
  });
});
