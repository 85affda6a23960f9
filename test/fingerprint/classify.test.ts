// The classification rules (pure): lab-like devices by their ports and MAC makers, and the order of
// precedence: what SNMP or a local probe read is never replaced by a guess.
import { describe, expect, it } from 'vitest';
import { classificationPorts, classifyDevice } from '../../src/identify/classify-device.js';
import { identify } from '../../src/identify/index.js';
import type { Facts, NmapFacts } from '../../src/model/index.js';

const facts = (ports: number[], macVendor?: string): Facts => ({
  openPorts: { value: ports.map((port) => ({ port, protocol: 'tcp' as const })), source: 'tcp:connect' },
  ...(macVendor ? { macVendor: { value: macVendor, source: 'oui:00:00:00' } } : {}),
});

describe('classification rules', () => {
  it.each([
    ['printer (HP)', [80, 443, 631, 9100], 'Hewlett Packard', 'printer'],
    ['printer (Brother)', [80, 631, 9100], 'Brother industries', 'printer'],
    ['camera', [80, 554], 'Axis Communications', 'camera'],
    ['router', [22, 80, 8291], 'Routerboard.com', 'router'],
    ['hypervisor', [22, 443, 902], 'Super Micro Computer', 'server'],
    ['NAS', [22, 80, 443, 445, 5000], 'Synology Incorporated', 'nas'],
    ['switch', [22, 23, 80], 'Cisco Systems', 'switch'],
    ['access point', [22, 443], 'Ubiquiti Networks', 'ap'],
    ['Windows server', [135, 139, 445, 3389], 'Dell', 'server'],
    ['Mac', [22, 445, 5900], 'Apple', 'workstation'],
    ['SIP phone', [80, 5060], 'Yealink', 'phone'],
  ] as const)('%s', (_name, ports, vendor, type) => {
    expect(classifyDevice(facts([...ports], vendor)).type?.value).toBe(type);
  });

  it('9100 with SSH is a node exporter, not a printer; nothing at all is left unset', () => {
    expect(classifyDevice(facts([22, 9100], 'Raspberry Pi Trading')).type).toBeUndefined();
    expect(classifyDevice(facts([]))).toEqual(facts([]));
  });

  it('OS families from ports, each guess with its evidence', () => {
    const f = classifyDevice(facts([135, 139, 445, 3389]));
    expect(f.os).toMatchObject({ value: 'Windows', source: 'tcp:connect' });
    expect(f.guesses!.find((g) => g.field === 'os')!.evidence).toContain('TCP 135 open [os-windows-msrpc]');
    expect(classifyDevice(facts([22])).os).toMatchObject({ value: 'Unix-like', confidence: 0.5 });
  });

  it('the fingerprint probe is told the ports the rules look at', () => {
    expect(classificationPorts()).toEqual(expect.arrayContaining([554, 902, 5000, 5060, 8291, 9100]));
  });
});

describe('precedence: guesses never replace what was read directly', () => {
  const webcam: NmapFacts = {
    services: [{ port: 80, protocol: 'tcp', name: 'http', product: 'Boa', deviceType: 'webcam', osType: 'Linux', cpe: [] }],
    osMatches: [{ name: 'AXIS 211 Network Camera', accuracy: 96, classes: [{ type: 'webcam', vendor: 'AXIS', accuracy: 96, cpe: [] }] }],
  };

  it('nmap alone sets type, OS and vendor, with nmap as the source', () => {
    const f = classifyDevice({ nmap: { value: webcam, source: 'nmap 7.93 -sV -O' } });
    expect(f.type).toMatchObject({ value: 'camera', source: 'nmap -O, nmap -sV' });
    expect(f.os).toMatchObject({ value: 'AXIS 211 Network Camera', source: 'nmap -O' });
    expect(f.vendor).toMatchObject({ value: 'AXIS', source: 'nmap -O' });
  });

  it('SNMP and local facts win over nmap guesses; the guesses stay as guesses', () => {
    const read: Facts = {
      type: { value: 'printer', source: 'SNMP MIBs present', rule: 'fallback: Printer-MIB present' },
      os: { value: 'Ubuntu 24.04', source: 'systeminformation' },
      vendor: { value: 'HP', source: 'SNMPv2-MIB::sysObjectID.0' },
      nmap: { value: webcam, source: 'nmap 7.93 -sV -O' },
    };
    const f = classifyDevice(read);
    expect(f.type).toEqual(read.type);
    expect(f.os).toEqual(read.os);
    expect(f.vendor).toEqual(read.vendor);
    expect(f.guesses!.map((g) => `${g.field}=${g.value}`)).toContain('type=camera');
  });

  it("SNMP's last resort (\"other\") gives way to a confident guess", () => {
    const f = identify({
      snmp: { version: 'v2c', credential: 'community #1', sysObjectID: '1.3.6.1.4.1.99999.1', sysDescr: 'box', mibs: [], values: {} },
      ...facts([80, 554], 'Axis Communications'),
    });
    expect(f.type).toMatchObject({ value: 'camera', rule: 'classify: camera-rtsp + camera-oui' });
  });
});
