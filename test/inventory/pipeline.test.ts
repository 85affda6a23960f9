// Two scans through the pure core, as the store drives it: merge -> summarize -> resolve each
// record in turn (claiming and indexing as it goes) -> inventory entries -> diff.

import { describe, expect, it } from 'vitest';
import { diffInventories } from '../../src/diff/diff-inventories.js';
import {
  addToIndex,
  buildAssetIndex,
  findSharedMacs,
  resolveIdentity,
  vendorsCompatible,
  type KnownAsset,
} from '../../src/inventory/identity.js';
import { mergeObservations } from '../../src/inventory/merge-observations.js';
import { summarize } from '../../src/inventory/summarize.js';
import type { IdentityResult, InventoryEntry, Observation } from '../../src/model/index.js';
import { obs } from './fixtures.js';

interface World {
  assets: Map<number, KnownAsset & { snapshotId: number }>;
  nextId: number;
}

/** One scan: returns the identity result per record address, and updates the world. */
function scan(world: World, snapshotId: number, observations: Observation[]): Map<string, IdentityResult> {
  const summaries = mergeObservations(observations).map(summarize);
  const sharedMacs = findSharedMacs(summaries);
  const index = buildAssetIndex([...world.assets.values()]);
  const claimed = new Set<number>();
  const results = new Map<string, IdentityResult>();
  for (const s of summaries) {
    const r = resolveIdentity(s, index, { claimed, sharedMacs });
    const id = r.assetId ?? world.nextId++;
    claimed.add(id);
    const asset = { ...s, id, snapshotId };
    world.assets.set(id, asset);
    addToIndex(index, asset);
    results.set(s.address, r);
  }
  return results;
}

function inventory(world: World, snapshotId: number): InventoryEntry[] {
  return [...world.assets.values()].map(({ id, snapshotId: last, ...s }) => ({
    ...s,
    assetId: id,
    snapshotId: last,
    seen: last === snapshotId,
    firstSeenAt: '',
    lastSeenAt: '',
  }));
}

const laptop = (address: string): Observation =>
  obs('arp', address, { macs: [{ value: '00:1B:21:3A:4F:10', source: 'arp' }], hostnames: [{ value: 'laptop-7', source: 'dns:PTR' }] });

const routerAt = (address: string): Observation =>
  obs('snmp', address, {
    snmpEngineId: { value: '800000090300aabbccdd0001', source: 'SNMP-FRAMEWORK-MIB::snmpEngineID.0' },
    hostnames: [{ value: 'core1', source: 'SNMPv2-MIB::sysName.0' }],
    type: { value: 'router', source: 'identify' },
  });

describe('identity across scans', () => {
  it('follows a device that moved by its MAC, and the diff says moved', () => {
    const world: World = { assets: new Map(), nextId: 1 };
    scan(world, 1, [laptop('10.0.0.5'), routerAt('10.0.0.1'), routerAt('10.0.1.1'), routerAt('10.0.2.1')]);
    const before = inventory(world, 1);
    expect(before).toHaveLength(2); // the router's three addresses are one asset

    const results = scan(world, 2, [laptop('10.0.0.77'), routerAt('10.0.0.1'), routerAt('10.0.1.1'), routerAt('10.0.2.1')]);
    expect(results.get('10.0.0.77')).toMatchObject({ assetId: 1, evidence: [{ rule: 'mac' }, { rule: 'hostname' }] });
    expect(results.get('10.0.0.1')).toMatchObject({ assetId: 2, evidence: [{ rule: 'snmp-engine-id' }, { rule: 'hostname' }] });

    const changes = diffInventories(before, inventory(world, 2));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'changed', assetId: 1, tags: ['moved'] });
    expect(changes[0]?.fields[0]).toEqual({ field: 'address', before: '10.0.0.5', after: '10.0.0.77' });
  });

  it('does not let a proxy-ARP MAC fold hosts behind a firewall into one asset', () => {
    const fw = [{ value: '00:1b:21:ff:ff:01', source: 'arp' }];
    const world: World = { assets: new Map(), nextId: 1 };
    const hosts = ['10.9.0.1', '10.9.0.2', '10.9.0.3'].map((a) => obs('arp', a, { macs: fw }));
    scan(world, 1, hosts);
    expect(world.assets.size).toBe(3);
  });

  it('two machines with placeholder serials stay two assets', () => {
    const world: World = { assets: new Map(), nextId: 1 };
    const oem = { value: 'To Be Filled By O.E.M.', source: 'dmidecode via systeminformation' };
    scan(world, 1, [
      obs('local', '10.0.0.1', { serial: oem, macs: [{ value: '00:1b:21:00:00:01', source: 'local' }] }),
      obs('local', '10.0.0.2', { serial: oem, macs: [{ value: '00:1b:21:00:00:02', source: 'local' }] }),
    ]);
    expect(world.assets.size).toBe(2);
  });
});

describe('vendorsCompatible', () => {
  it('agrees on equal or word-prefix names and on unknowns, not on different vendors', () => {
    expect(vendorsCompatible('Cisco', 'Cisco Systems, Inc.')).toBe(true);
    expect(vendorsCompatible(null, 'HP')).toBe(true);
    expect(vendorsCompatible('HP Inc.', 'hp')).toBe(true);
    expect(vendorsCompatible('HP', 'HPE')).toBe(false);
    expect(vendorsCompatible('Cisco', 'Juniper')).toBe(false);
  });
});
