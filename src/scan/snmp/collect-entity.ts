// ENTITY-MIB entPhysicalTable: chassis, modules, power supplies... with model, serial and revisions.
import type { PhysicalEntity } from '../../model/index.js';
import { OID } from './oids.js';
import { getRows, numOf, textOf, walkColumns, type TableRows } from './table-rows.js';
import type { SnmpTransport } from './transport.js';

const CLASSES = ['', 'other', 'unknown', 'chassis', 'backplane', 'container', 'powerSupply', 'fan', 'sensor', 'module', 'port', 'stack', 'cpu', 'energyObject', 'battery', 'storageDrive'];
const CLASS_COLUMN = 5;
/** descr, name, hardware/firmware/software revision, serial, manufacturer, model, isFRU. */
const DETAIL_COLUMNS = [2, 7, 8, 9, 10, 11, 12, 13, 16];
/**
 * Containers (slots), sensors and ports carry no identity of their own (IF-MIB describes the ports),
 * yet they are three quarters of a switch's rows (370 of the 491 rows in the 15 recordings of
 * ../shared with this table): of these only the class is read.
 */
const CLASS_ONLY = new Set([5, 8, 10]);

export async function collectEntities(transport: SnmpTransport): Promise<PhysicalEntity[]> {
  const entry = OID.entPhysicalEntry;
  const classes = await walkColumns(transport, entry, [CLASS_COLUMN], 4000);
  const detailed = [...classes].filter(([, row]) => !CLASS_ONLY.has(numOf(row.get(CLASS_COLUMN)) ?? -1)).map(([index]) => index);
  let rows: TableRows;
  if (classes.size === 0 || (detailed.length * 2 > classes.size && detailed.length > 8)) {
    // No classes to choose by, or most rows wanted: one walk of every column is fewer requests.
    rows = await walkColumns(transport, entry, [...DETAIL_COLUMNS, CLASS_COLUMN], 4000);
  } else {
    rows = classes;
    for (const [index, row] of await getRows(transport, entry, detailed, DETAIL_COLUMNS)) {
      for (const [column, v] of row) rows.get(index)?.set(column, v);
    }
  }
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
