// Printer-MIB: page counters (prtMarkerLifeCount per marker) and supplies (type, colour, level,
// capacity). The serial (prtGeneralSerialNumber) is read with the identification values.
import type { PrinterDetails, PrinterSupply } from '../../model/index.js';
import { OID } from './oids.js';
import { numOf, textOf, walkTables } from './table-rows.js';
import type { SnmpTransport } from './transport.js';

const SUPPLY_TYPES = ['', 'other', 'unknown', 'toner', 'wasteToner', 'ink', 'inkCartridge', 'inkRibbon', 'wasteInk', 'opc', 'developer', 'fuserOil', 'solidWax', 'ribbonWax', 'wasteWax', 'fuser', 'coronaWire', 'fuserOilWick', 'cleanerUnit', 'fuserCleaningPad', 'transferUnit', 'tonerCartridge', 'fuserOiler', 'water', 'wasteWater', 'glueWaterAdditive', 'wastePaper', 'bindingSupply', 'bandingSupply', 'stitchingWire', 'shrinkWrap', 'paperWrap', 'staples', 'inserts', 'covers'];
const COUNTER_UNITS: Record<number, string> = { 3: 'tenThousandthsOfInches', 4: 'micrometers', 5: 'characters', 6: 'lines', 7: 'impressions', 8: 'sheets', 9: 'dotRow', 11: 'hours', 16: 'feet', 17: 'meters' };
const COLOURS = ['black', 'cyan', 'magenta', 'yellow', 'blue', 'red', 'green', 'gray', 'grey', 'photo', 'light'];

export async function collectPrinter(transport: SnmpTransport): Promise<PrinterDetails> {
  const [markers, supplies, colorants] = await walkTables(
    transport,
    [
      { entry: '1.3.6.1.2.1.43.10.2.1', columns: [3, 4] },
      { entry: OID.prtMarkerSuppliesEntry, columns: [3, 5, 6, 8, 9] },
      { entry: '1.3.6.1.2.1.43.12.1.1', columns: [4] },
    ],
    500,
  );
  const counters: PrinterDetails['counters'] = [];
  for (const [index, row] of markers!) {
    const count = numOf(row.get(4));
    if (count === undefined) continue;
    const unitCode = numOf(row.get(3));
    const marker = Number(index.split('.').pop());
    counters.push({ marker, count, ...(unitCode !== undefined ? { unit: COUNTER_UNITS[unitCode] ?? String(unitCode) } : {}) });
  }
  const colorantByIndex = new Map<string, string>();
  for (const [index, row] of colorants!) {
    const name = textOf(row.get(4));
    if (name) colorantByIndex.set(index.split('.').pop()!, name);
  }
  const supplyList: PrinterSupply[] = [];
  for (const [index, row] of supplies!) {
    void index;
    const description = textOf(row.get(6)) ?? 'supply';
    const s: PrinterSupply = { description };
    const type = numOf(row.get(5));
    if (type !== undefined) s.type = SUPPLY_TYPES[type] ?? String(type);
    const colorantIndex = numOf(row.get(3));
    const colour = (colorantIndex ? colorantByIndex.get(String(colorantIndex)) : undefined) ?? COLOURS.find((c) => description.toLowerCase().includes(c));
    if (colour) s.color = colour;
    const capacity = numOf(row.get(8));
    const level = numOf(row.get(9));
    if (level !== undefined) s.level = level;
    if (capacity !== undefined) s.capacity = capacity;
    if (level !== undefined && capacity !== undefined && capacity > 0 && level >= 0) s.percent = Math.round((100 * level) / capacity);
    supplyList.push(s);
  }
  const pageCounters = counters.filter((c) => c.unit === undefined || c.unit === 'impressions' || c.unit === 'sheets');
  const out: PrinterDetails = { counters, supplies: supplyList };
  if (pageCounters.length > 0) out.pageCount = pageCounters.reduce((sum, c) => sum + c.count, 0);
  return out;
}
