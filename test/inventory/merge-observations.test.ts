import { describe, expect, it } from 'vitest';
import { mergeFacts, mergeInto, mergeObservations } from '../../src/inventory/merge-observations.js';
import { obs } from './fixtures.js';

describe('mergeObservations', () => {
  it('makes one record per address, in the order addresses were first seen', () => {
    const records = mergeObservations([
      obs('discover:icmp', '10.0.0.2', { liveness: [{ method: 'icmp', rttMs: 1 }] }),
      obs('discover:icmp', '10.0.0.1', { liveness: [{ method: 'icmp', rttMs: 2 }] }),
      obs('dns', '10.0.0.2', { hostnames: [{ value: 'b.example', source: 'dns:PTR' }] }),
    ]);
    expect(records.map((r) => r.address)).toEqual(['10.0.0.2', '10.0.0.1']);
    expect(records[0]?.observations.map((o) => o.scanner)).toEqual(['discover:icmp', 'dns']);
    expect(records[0]?.facts.hostnames).toEqual([{ value: 'b.example', source: 'dns:PTR' }]);
    expect(records[0]?.addresses).toEqual(['10.0.0.2']);
  });

  it('merges a router answering on three addresses by its SNMP engine id', () => {
    const engine = { value: '80000009030000aabbccdd01', source: 'SNMP-FRAMEWORK-MIB::snmpEngineID.0' };
    const records = mergeObservations([
      obs('snmp', '10.0.0.1', { snmpEngineId: engine, hostnames: [{ value: 'core1', source: 'SNMPv2-MIB::sysName.0' }] }),
      obs('snmp', '10.0.1.1', { snmpEngineId: engine, hostnames: [{ value: 'core1', source: 'SNMPv2-MIB::sysName.0' }] }),
      obs('dns', '10.0.1.1', { hostnames: [{ value: 'core1-vlan1.example', source: 'dns:PTR' }] }),
      obs('snmp', '192.168.5.1', { snmpEngineId: { ...engine, value: '0x80000009030000AABBCCDD01' } }),
      obs('snmp', '10.0.0.9', { snmpEngineId: { value: '8000000903000011223344', source: 'x' } }),
    ]);
    expect(records).toHaveLength(2);
    const router = records[0];
    expect(router?.address).toBe('10.0.0.1');
    expect(router?.addresses).toEqual(['10.0.0.1', '10.0.1.1', '192.168.5.1']);
    expect(router?.observations).toHaveLength(4);
    // Same value from the same source counts once; another source adds.
    expect(router?.facts.hostnames).toEqual([
      { value: 'core1', source: 'SNMPv2-MIB::sysName.0' },
      { value: 'core1-vlan1.example', source: 'dns:PTR' },
    ]);
    expect(records[1]?.address).toBe('10.0.0.9');
  });

  it('merges addresses by serial with vendor, and by SMBIOS UUID', () => {
    const records = mergeObservations([
      obs('snmp', '10.0.0.1', { serial: { value: 'FOC123', source: 's' }, vendor: { value: 'Cisco', source: 'v' } }),
      obs('snmp', '10.0.0.2', { serial: { value: 'foc123', source: 's' }, vendor: { value: 'Cisco Systems, Inc.', source: 'v' } }),
      obs('snmp', '10.0.0.3', { serial: { value: 'FOC123', source: 's' }, vendor: { value: 'Juniper', source: 'v' } }),
      obs('local', '10.0.0.4', { smbiosUuid: { value: '4c4c4544-0042-3510-8052-b4c04f4d4e32', source: 'dmi' } }),
      obs('local', '10.0.0.5', { smbiosUuid: { value: '4C4C4544-0042-3510-8052-B4C04F4D4E32', source: 'dmi' } }),
    ]);
    expect(records.map((r) => r.addresses)).toEqual([['10.0.0.1', '10.0.0.2'], ['10.0.0.3'], ['10.0.0.4', '10.0.0.5']]);
  });

  it('does not merge addresses that share only a placeholder serial, a bogus UUID or a MAC', () => {
    const records = mergeObservations([
      obs('local', '10.0.0.1', {
        serial: { value: 'To Be Filled By O.E.M.', source: 'dmi' },
        smbiosUuid: { value: '03000200-0400-0500-0006-000700080009', source: 'dmi' },
      }),
      obs('local', '10.0.0.2', {
        serial: { value: 'To Be Filled By O.E.M.', source: 'dmi' },
        smbiosUuid: { value: '03000200-0400-0500-0006-000700080009', source: 'dmi' },
      }),
      obs('arp', '10.0.0.3', { macs: [{ value: '00:1b:21:ff:ff:01', source: 'arp' }] }),
      obs('arp', '10.0.0.4', { macs: [{ value: '00:1b:21:ff:ff:01', source: 'arp' }] }),
    ]);
    expect(records).toHaveLength(4);
  });

  it('keeps the best status per scanner', () => {
    const [record] = mergeObservations([
      obs('snmp', '10.0.0.1', {}, 'timeout'),
      obs('snmp', '10.0.0.1', {}, 'ok'),
      obs('snmp', '10.0.0.1', {}, 'auth-failed'),
      obs('dns', '10.0.0.1', {}, 'timeout'),
      obs('dns', '10.0.0.1', {}, 'refused'),
    ]);
    expect(record?.statuses).toEqual({ snmp: 'ok', dns: 'refused' });
  });
});

describe('mergeFacts', () => {
  const dns = obs('dns', '10.0.0.1', {
    hostnames: [{ value: 'pc1.example', source: 'dns:PTR' }],
    vendor: { value: '', source: 'dns' },
  });
  const snmp = obs('snmp', '10.0.0.1', {
    hostnames: [{ value: 'PC1', source: 'SNMPv2-MIB::sysName.0' }],
    vendor: { value: 'HP', source: 'SNMPv2-MIB::sysObjectID.0' },
    os: { value: 'from snmp', source: 'snmp' },
  });
  const nmap = obs('nmap', '10.0.0.1', {
    vendor: { value: 'Hewlett Packard', source: 'nmap:mac' },
    os: { value: 'from nmap', source: 'nmap' },
    openPorts: { value: [{ port: 22, protocol: 'tcp' }, { port: 443, protocol: 'tcp', service: 'https' }], source: 'nmap' },
  });
  const tcp = obs('discover:tcp', '10.0.0.1', {
    openPorts: { value: [{ port: 443, protocol: 'tcp' }, { port: 9100, protocol: 'tcp' }], source: 'tcp:connect' },
    liveness: [{ method: 'tcp:443', rttMs: 3 }],
  });

  it('takes the first non-empty scalar in the order seen by default', () => {
    const f = mergeFacts([dns, nmap, snmp]);
    expect(f.vendor).toEqual({ value: 'Hewlett Packard', source: 'nmap:mac' });
    expect(f.os?.value).toBe('from nmap');
    expect(f.hostnames?.map((h) => h.value)).toEqual(['pc1.example', 'PC1']);
  });

  it('lets higher-priority scanners win scalars and lead list fields', () => {
    const f = mergeFacts([dns, nmap, snmp], ['snmp', 'nmap']);
    expect(f.vendor?.value).toBe('HP');
    expect(f.os?.value).toBe('from snmp');
    // Listed scanners first, then the others in the order seen.
    expect(f.hostnames?.map((h) => h.value)).toEqual(['PC1', 'pc1.example']);
  });

  it('unions open ports from every scanner, keeping a known service', () => {
    const f = mergeFacts([tcp, nmap]);
    expect(f.openPorts?.value).toEqual([
      { port: 22, protocol: 'tcp' },
      { port: 443, protocol: 'tcp', service: 'https' },
      { port: 9100, protocol: 'tcp' },
    ]);
    expect(f.openPorts?.source).toBe('tcp:connect, nmap');
  });

  it('de-duplicates MACs by normalised value and source, and liveness by method', () => {
    const f = mergeFacts([
      obs('arp', '10.0.0.1', { macs: [{ value: 'AA-BB-CC-00-00-01', source: 'arp' }], liveness: [{ method: 'arp' }] }),
      obs('arp', '10.0.0.1', { macs: [{ value: 'aa:bb:cc:00:00:01', source: 'arp' }], liveness: [{ method: 'arp', rttMs: 1 }] }),
      obs('snmp', '10.0.0.1', { macs: [{ value: 'aa:bb:cc:00:00:01', source: 'IF-MIB::ifPhysAddress.1' }] }),
    ]);
    expect(f.macs).toHaveLength(2);
    expect(f.liveness).toEqual([{ method: 'arp' }]);
  });

  it('does not alias the input facts', () => {
    const f = mergeFacts([snmp]);
    expect(f.vendor).not.toBe(snmp.facts.vendor);
    expect(f.vendor).toEqual(snmp.facts.vendor);
  });
});

describe('mergeInto', () => {
  it('adds an observation without changing the input record, honouring priority', () => {
    const [record] = mergeObservations([
      obs('nmap', '10.0.0.1', { os: { value: 'Linux 5.x', source: 'nmap' } }, 'ok'),
    ]);
    if (record === undefined) throw new Error('no record');
    const next = mergeInto(record, obs('local', '10.0.0.9', { os: { value: 'Ubuntu 24.04', source: 'os-release' } }, 'ok'), ['local']);
    expect(next.facts.os?.value).toBe('Ubuntu 24.04');
    expect(next.address).toBe('10.0.0.1');
    expect(next.addresses).toEqual(['10.0.0.1', '10.0.0.9']);
    expect(next.statuses).toEqual({ nmap: 'ok', local: 'ok' });
    expect(record.observations).toHaveLength(1);
    expect(record.facts.os?.value).toBe('Linux 5.x');
  });
});
