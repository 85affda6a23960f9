// ENTITY-MIB reading on recorded transports: identity columns for the rows that can carry an
// identity, only the class for ports, sensors and slots, and the same answer when an agent fails a
// multi-OID GET.
import { describe, expect, it } from 'vitest';
import { collectEntities } from '../../src/scan/snmp/collect-entity.js';
import { openRecordedTransport } from '../../src/scan/snmp/recorded-transport.js';
import { parseSnmprec } from '../../src/scan/snmp/snmprec.js';
import { SnmpError, type SnmpTransport } from '../../src/scan/snmp/transport.js';

const E = '1.3.6.1.2.1.47.1.1.1.1';
/** A 24-port switch: chassis 1, power supply 2, 24 ports (1001..), 4 sensors (2001..), 2 slots (3001..). */
function switchRecording(): string {
  const lines: string[] = [];
  const row = (index: number, cls: number, descr: string, serial = '', model = '', fru = 2) => {
    lines.push(`${E}.2.${index}|4|${descr}`, `${E}.5.${index}|2|${cls}`, `${E}.7.${index}|4|${descr} name`);
    if (serial) lines.push(`${E}.11.${index}|4|${serial}`);
    if (model) lines.push(`${E}.13.${index}|4|${model}`);
    lines.push(`${E}.16.${index}|2|${fru}`);
  };
  row(1, 3, 'Acme 24-port chassis', 'SER-CHASSIS-1', 'AC-24P', 1);
  row(2, 6, 'Power supply', 'SER-PSU-2', 'PSU-150', 1);
  for (let p = 1; p <= 24; p++) row(1000 + p, 10, `Port ${p}`);
  for (let s = 1; s <= 4; s++) row(2000 + s, 8, `Sensor ${s}`);
  for (let c = 1; c <= 2; c++) row(3000 + c, 5, `Slot ${c}`);
  return lines.sort((a, b) => compare(a.split('|')[0]!, b.split('|')[0]!)).join('\n') + '\n';
}
const compare = (a: string, b: string) => {
  const x = a.split('.').map(Number), y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

/** Counts the varbinds asked for; optionally fails every GET of more than one OID (a fussy agent). */
function counting(inner: SnmpTransport, failMultiGet = false): SnmpTransport & { varbinds: number } {
  const t = {
    varbinds: 0,
    get: (oids: string[]) => {
      t.varbinds += oids.length;
      if (failMultiGet && oids.length > 1) return Promise.reject(new SnmpError('protocol-error', 'tooBig'));
      return inner.get(oids);
    },
    getNext: (oids: string[]) => ((t.varbinds += oids.length), inner.getNext(oids)),
    getBulk: (oids: string[], reps: number) => ((t.varbinds += oids.length * reps), inner.getBulk(oids, reps)),
    walk: inner.walk.bind(inner),
    close: () => inner.close(),
  };
  return t;
}

describe('ENTITY-MIB', () => {
  it('reads identity columns for chassis and FRUs, only the class for ports, sensors and slots', async () => {
    const t = counting(openRecordedTransport(parseSnmprec(switchRecording())));
    const entities = await collectEntities(t);
    expect(entities).toHaveLength(32);
    expect(entities[0]).toEqual({ index: 1, class: 'chassis', descr: 'Acme 24-port chassis', name: 'Acme 24-port chassis name', serial: 'SER-CHASSIS-1', model: 'AC-24P', fru: true });
    expect(entities[1]).toMatchObject({ index: 2, class: 'powerSupply', serial: 'SER-PSU-2', model: 'PSU-150', fru: true });
    expect(entities.filter((e) => e.class === 'port')).toHaveLength(24);
    for (const e of entities.slice(2)) expect(Object.keys(e).sort()).toEqual(['class', 'index']);
    // 32 rows x 10 columns were 320 values to walk; now 32 classes plus 2 rows x 9 columns, and the
    // ends of the walks.
    expect(t.varbinds).toBeLessThan(120);
  });

  it('gets the same rows from an agent that refuses multi-OID GETs', async () => {
    const plain = await collectEntities(openRecordedTransport(parseSnmprec(switchRecording())));
    const fussy = await collectEntities(counting(openRecordedTransport(parseSnmprec(switchRecording())), true));
    expect(fussy).toEqual(plain);
  });

  it('walks every column when the table has no classes', async () => {
    const lines = [`${E}.2.1|4|Box`, `${E}.11.1|4|SER-1`, `${E}.13.1|4|BX-1`].join('\n') + '\n';
    expect(await collectEntities(openRecordedTransport(parseSnmprec(lines)))).toEqual([{ index: 1, class: 'unknown', descr: 'Box', serial: 'SER-1', model: 'BX-1' }]);
  });
});
