// "The one that last worked for that asset first; the winner is remembered" (issue 4), across runs:
// the ordering and the lookup on their own, then two scans of a simulated device (net-snmp's agent
// on 127.0.5.1) that accepts only the second of two configured communities, with a real SQLite file.
// The agent counts the requests it refused for the wrong community: the second scan must send it
// none beyond discovery's one GET, and the database must name the winner by label only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnmpCredential } from '../../src/config/credentials.js';
import { orderCredentials, rememberedCredentialLookup } from '../../src/scan/snmp/credential-order.js';
import { vlanCredential } from '../../src/scan/snmp/index.js';
import { cliEnv, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { pickPort } from '../helpers/listeners.js';
import { startSimulatedDevice, type SimulatedDevice } from './simulated-agent.js';

const community = (n: number, secret: string): SnmpCredential => ({ kind: 'community', label: `community #${n}`, version: 'v2c', community: secret });
const v3ops: SnmpCredential = { kind: 'v3', label: 'v3 user ops', user: 'ops', level: 'authPriv', authProtocol: 'sha256', authKey: 'k1-secret', privProtocol: 'aes', privKey: 'k2-secret' };

describe('credential order (pure)', () => {
  it('puts the remembered label first and keeps the others in configured order', () => {
    const creds = [v3ops, community(1, 'a'), community(2, 'b')];
    expect(orderCredentials(creds, 'community #2').map((c) => c.label)).toEqual(['community #2', 'v3 user ops', 'community #1']);
    expect(orderCredentials(creds, undefined).map((c) => c.label)).toEqual(['v3 user ops', 'community #1', 'community #2']);
    // A label no longer configured changes nothing.
    expect(orderCredentials(creds, 'v3 user gone').map((c) => c.label)).toEqual(['v3 user ops', 'community #1', 'community #2']);
  });

  it('finds the remembered credential by MAC before address, the latest sighting winning', () => {
    const lookup = rememberedCredentialLookup([
      { credential: 'community #1', addresses: ['10.0.0.5'], macs: ['00:11:22:33:44:55'] },
      { credential: 'v3 user ops', addresses: ['10.0.0.9'], macs: ['00:11:22:33:44:66'] },
      // Seen later at 10.0.0.5 (the first one moved away): the address now means this one.
      { credential: 'community #2', addresses: ['10.0.0.5'], macs: [] },
    ]);
    expect(lookup({ address: '10.0.0.5', macs: [] })).toBe('community #2');
    // DHCP moved the ops device to .5: its MAC says who it is.
    expect(lookup({ address: '10.0.0.5', macs: ['00-11-22-33-44-66'] })).toBe('v3 user ops');
    expect(lookup({ address: '10.0.0.7', macs: ['00:11:22:33:44:55'] })).toBe('community #1');
    expect(lookup({ address: '10.0.0.8', macs: [] })).toBeUndefined();
  });

  it('indexes a credential for a Cisco VLAN context without changing its label', () => {
    expect(vlanCredential(community(2, 'b'), 10)).toEqual({ kind: 'community', label: 'community #2', version: 'v2c', community: 'b@10' });
    expect(vlanCredential(v3ops, 20)).toMatchObject({ kind: 'v3', label: 'v3 user ops', user: 'ops', context: 'vlan-20' });
  });
});

describe('the credential that worked is remembered across scans', () => {
  const WRONG = 'wr0ng-Community-3';
  const RIGHT = 'r1ght-Community-8';
  const ADDRESS = '127.0.5.1';
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const config = join(home, 'netcensus.yaml');
  const port = pickPort(44);
  const env = cliEnv(home, { NC_RIGHT_COMMUNITY: RIGHT });
  let device: SimulatedDevice;
  const scans: CliResult[] = [];
  const refused: number[] = [];
  const scan = () => runCli(['--db', db, '--config', config, 'scan', ADDRESS, '--ports', String(port), '--no-dns', '--no-fingerprint', '--timeout', '300'], { cwd: home, env });

  beforeAll(async () => {
    writeFileSync(config, ['snmp:', `  port: ${port}`, '  timeoutMs: 700', '  retries: 0', `  communities: ["${WRONG}", "env:NC_RIGHT_COMMUNITY"]`].join('\n') + '\n');
    device = await startSimulatedDevice('printer-laserjet.snmprec', ADDRESS, port, { communities: [RIGHT] });
    for (let i = 0; i < 2; i++) {
      const before = device.rejectedCommunities.get(WRONG) ?? 0;
      scans.push(await scan());
      refused.push((device.rejectedCommunities.get(WRONG) ?? 0) - before);
    }
  }, 60_000);

  afterAll(async () => {
    await device?.close();
  });

  it('answers with the second community both times', async () => {
    for (const s of scans) expect(s.code, s.stderr).toBe(0);
    const exported = await runCli(['--db', db, 'export', '--format', 'json'], { cwd: home, env });
    const [asset] = JSON.parse(exported.stdout).assets as { facts: { snmp: { credential: string } }; type: string }[];
    expect(asset).toMatchObject({ type: 'printer', facts: { snmp: { credential: 'community #2' } } });
  });

  it('tries the remembered community first on the second scan', () => {
    // First scan: discovery's sysObjectID GET with each community, then the interrogation's system
    // group GET with the wrong one (retries 0) before the right one. Second scan: discovery's only.
    expect(refused[0]).toBeGreaterThanOrEqual(2);
    expect(refused[1]).toBe(refused[0]! - 1);
  });

  it('stores the winner by label, never a secret', () => {
    const raw = new BetterSqlite3(db, { readonly: true });
    try {
      const columns = (raw.prepare('PRAGMA table_info(snmp_credentials)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(['asset_id', 'credential', 'worked_at', 'snapshot_id']);
      const rows = raw.prepare('SELECT asset_id AS assetId, credential, snapshot_id AS snapshotId FROM snmp_credentials').all();
      expect(rows).toEqual([{ assetId: 1, credential: 'community #2', snapshotId: 2 }]);
    } finally {
      raw.close();
    }
    for (const file of [db, `${db}-wal`, `${db}-shm`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file).toString('latin1');
      for (const secret of [WRONG, RIGHT]) expect(bytes.includes(secret), `${file} holds a community`).toBe(false);
    }
    for (const s of scans) for (const secret of [WRONG, RIGHT]) expect((s.stdout + s.stderr).includes(secret)).toBe(false);
  });
});
