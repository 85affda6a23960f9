// The Cisco per-VLAN bridge reading on recorded transports: which VLANs are listed, what happens when
// the agent does not answer the indexed community, and the cap on VLANs.
import { describe, expect, it } from 'vitest';
import { collectForwardingTable, MAX_VLAN_CONTEXTS, operationalVlans, type VlanContexts } from '../../src/scan/snmp/collect-bridge.js';
import { openRecordedTransport } from '../../src/scan/snmp/recorded-transport.js';
import { parseSnmprec } from '../../src/scan/snmp/snmprec.js';
import { SnmpError, type SnmpTransport } from '../../src/scan/snmp/transport.js';

const VTP = '1.3.6.1.4.1.9.9.46.1.3.1.1.2.1';
const recording = (...lines: string[]): SnmpTransport => openRecordedTransport(parseSnmprec(lines.join('\n') + '\n'));
const fdbLine = (mac: number, port: number) => `1.3.6.1.2.1.17.4.3.1.2.2.0.0.0.0.${mac}|2|${port}`;
const defaultContext = (vlans: number[], states: Record<number, number> = {}) =>
  recording('1.3.6.1.2.1.17.1.4.1.2.1|2|101', fdbLine(1, 1), ...vlans.map((v) => `${VTP}.${v}|2|${states[v] ?? 1}`));

/** Per-VLAN contexts: a recording per VLAN, or a transport that never answers. */
function contexts(per: (vlan: number) => SnmpTransport | 'silent'): VlanContexts & { opened: number[] } {
  const opened: number[] = [];
  return {
    opened,
    open(vlan) {
      opened.push(vlan);
      const t = per(vlan);
      if (t !== 'silent') return t;
      const fail = () => Promise.reject(new SnmpError('timeout', 'no answer'));
      return { get: fail, getNext: fail, getBulk: fail, walk: fail, close() {} };
    },
  };
}

describe('Cisco per-VLAN forwarding tables', () => {
  it('lists operational VLANs only, without 1002-1005', () => {
    const values = parseSnmprec([1, 10, 30, 1002, 1005, 4000].map((v) => `${VTP}.${v}|2|${v === 30 ? 2 : 1}`).join('\n') + '\n');
    expect(operationalVlans(values)).toEqual([1, 10, 4000]);
  });

  it('tags entries with their VLAN and keeps default entries no VLAN showed', async () => {
    const ctx = contexts((vlan) => recording(`1.3.6.1.2.1.17.1.4.1.2.${vlan}|2|${100 + vlan}`, fdbLine(vlan + 10, vlan)));
    const table = await collectForwardingTable(defaultContext([1, 10, 20, 30, 1003], { 30: 2 }), [], { vlanContexts: ctx });
    expect(ctx.opened).toEqual([1, 10, 20]);
    expect(table.entries).toEqual([
      { mac: '02:00:00:00:00:0b', port: 1, ifIndex: 101, vlan: 1 },
      { mac: '02:00:00:00:00:14', port: 10, ifIndex: 110, vlan: 10 },
      { mac: '02:00:00:00:00:1e', port: 20, ifIndex: 120, vlan: 20 },
      { mac: '02:00:00:00:00:01', port: 1, ifIndex: 101 },
    ]);
  });

  it('keeps the default table and stops after the first VLAN when the indexed community gets no answer', async () => {
    const ctx = contexts(() => 'silent');
    const table = await collectForwardingTable(defaultContext([1, 10, 20]), [], { vlanContexts: ctx });
    expect(ctx.opened).toEqual([1]);
    expect(table).toEqual({ entries: [{ mac: '02:00:00:00:00:01', port: 1, ifIndex: 101 }], source: 'BRIDGE-MIB::dot1dTpFdbPort' });
  });

  it('skips a later VLAN that does not answer, and reads no more than the cap', async () => {
    const vlans = Array.from({ length: MAX_VLAN_CONTEXTS + 5 }, (_, i) => i + 2);
    const ctx = contexts((vlan) => (vlan === 3 ? 'silent' : recording(fdbLine(vlan, 1))));
    const table = await collectForwardingTable(defaultContext(vlans), [], { vlanContexts: ctx });
    expect(ctx.opened).toHaveLength(MAX_VLAN_CONTEXTS);
    expect(table.entries.some((e) => e.vlan === 3)).toBe(false);
    expect(table.entries.filter((e) => e.vlan !== undefined)).toHaveLength(MAX_VLAN_CONTEXTS - 1);
    expect(table.source).toMatch(/5 more VLAN\(s\) over the cap of 64 not read/);
  });

  it('does not look for VLANs when the default table already has them (Q-BRIDGE)', async () => {
    const ctx = contexts(() => 'silent');
    const t = recording('1.3.6.1.2.1.17.7.1.2.2.1.2.10.2.0.0.0.0.9|2|3', `${VTP}.10|2|1`);
    const table = await collectForwardingTable(t, [], { vlanContexts: ctx });
    expect(ctx.opened).toEqual([]);
    expect(table.entries).toEqual([{ mac: '02:00:00:00:00:09', port: 3, vlan: 10 }]);
  });
});
