// ENTITY-MIB entPhysicalTable: chassis, modules, power supplies... with model, serial and revisions.
import type { PhysicalEntity } from '../../model/index.js';
import { OID } from './oids.js';
import { numOf, textOf, walkColumns } from './table-rows.js';
import type { SnmpTransport } from './transport.js';

const CLASSES = ['', 'other', 'unknown', 'chassis', 'backplane', 'container', 'powerSupply', 'fan', 'sensor', 'module', 'port', 'stack', 'cpu', 'energyObject', 'battery', 'storageDrive'];

export async function collectEntities(transport: SnmpTransport): Promise<PhysicalEntity[]> {
  const rows = await walkColumns(transport, OID.entPhysicalEntry, [2, 5, 7, 8, 9, 10, 11, 12, 13, 16], 4000);
  const out: PhysicalEntity[] = [];
  for (const [index, row] of rows) {
    const n = Number(index);
    if (!Number.isInteger(n)) continue;
    const cls = numOf(row.get(5));
    const entity: PhysicalEntity = { index: n, class: cls !== undefined ? (CLASSES[cls] ?? String(cls)) : 'unknown' };
    const set = (key: keyof PhysicalEntity, column: number): void => {
      const t = textOf(row.get(column));
      if (t !== undefined) (entity as unknown as Record<string, unknown>)[key] = t;
    };
    set('descr', 2);
    set('name', 7);
    set('hardwareRev', 8);
    set('firmwareRev', 9);
    set('softwareRev', 10);
    set('serial', 11);
    set('manufacturer', 12);
    set('model', 13);
    const fru = numOf(row.get(16));
    if (fru !== undefined) entity.fru = fru === 1;
    out.push(entity);
  }
  return out.sort((a, b) => a.index - b.index);
}
