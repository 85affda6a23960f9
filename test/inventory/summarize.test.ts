import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/inventory/summarize.js';
import type { DeviceRecord } from '../../src/model/index.js';

function record(over: Partial<DeviceRecord>): DeviceRecord {
  return { address: '10.0.0.10', addresses: ['10.0.0.10'], facts: {}, statuses: {}, observations: [], ...over };
}

describe('summarize', () => {
  it('flattens merged facts into a normalised summary', () => {
    const s = summarize(
      record({
        address: '10.0.0.10',
        addresses: ['10.0.0.10', '10.0.0.9', '192.168.1.1', '10.0.0.100', '10.0.0.9'],
        facts: {
          macs: [
            { value: 'AA-BB-CC-00-00-02', source: 'arp' },
            { value: 'aa:bb:cc:00:00:01', source: 'snmp' },
            { value: 'aabb.cc00.0002', source: 'cdp' },
            { value: 'garbage', source: 'x' },
          ],
          hostnames: [
            { value: ' ', source: 'snmp' },
            { value: 'sw1.example.', source: 'dns:PTR' },
            { value: 'SW1', source: 'SNMPv2-MIB::sysName.0' },
          ],
          vendor: { value: ' Cisco ', source: 'v' },
          model: { value: '', source: 'm' },
          serial: { value: 'FOC123', source: 's' },
          type: { value: 'switch', source: 't' },
          firmware: { value: '15.2(7)E', source: 'f' },
          smbiosUuid: { value: '4C4C4544-0042-3510-8052-B4C04F4D4E32', source: 'dmi' },
          snmpEngineId: { value: '800000090300aabbcc000001', source: 'e' },
          openPorts: {
            value: [
              { port: 443, protocol: 'tcp' },
              { port: 22, protocol: 'tcp' },
              { port: 161, protocol: 'udp' },
              { port: 22, protocol: 'udp' },
            ],
            source: 'nmap',
          },
        },
      }),
    );
    expect(s).toEqual({
      address: '10.0.0.10',
      addresses: ['10.0.0.10', '10.0.0.9', '10.0.0.100', '192.168.1.1'],
      macs: ['aa:bb:cc:00:00:01', 'aa:bb:cc:00:00:02'],
      hostname: 'sw1.example',
      vendor: 'Cisco',
      model: null,
      serial: 'FOC123',
      type: 'switch',
      os: null,
      firmware: '15.2(7)E',
      smbiosUuid: '4c4c4544-0042-3510-8052-b4c04f4d4e32',
      snmpEngineId: '800000090300aabbcc000001',
      openPorts: [22, 161, 443],
    });
  });

  it('puts the display address first even when the list lacks it', () => {
    const s = summarize(record({ address: '10.0.0.10', addresses: ['10.0.0.2'] }));
    expect(s.addresses).toEqual(['10.0.0.10', '10.0.0.2']);
  });

  it('gives nulls and empty lists for a record with no facts', () => {
    const s = summarize(record({}));
    expect(s.macs).toEqual([]);
    expect(s.openPorts).toEqual([]);
    expect(s.hostname).toBeNull();
    expect(s.type).toBeNull();
  });
});
