// HOST-RESOURCES-MIB: devices (processors counted), storage and memory, for servers and NAS.
import type { HostResources } from '../../model/index.js';
import { OID } from './oids.js';
import { numOf, textOf, walkColumns } from './table-rows.js';
import type { SnmpTransport } from './transport.js';

const HR_DEVICE = '1.3.6.1.2.1.25.3.1.';
const DEVICE_TYPES: Record<string, string> = { 1: 'other', 2: 'unknown', 3: 'processor', 4: 'network', 5: 'printer', 6: 'diskStorage', 10: 'video', 11: 'audio', 12: 'coprocessor', 13: 'keyboard', 14: 'modem', 15: 'parallelPort', 16: 'pointing', 17: 'serialPort', 18: 'tape', 19: 'clock', 20: 'volatileMemory', 21: 'nonVolatileMemory' };
const STORAGE_TYPES: Record<string, string> = { 1: 'other', 2: 'ram', 3: 'virtualMemory', 4: 'fixedDisk', 5: 'removableDisk', 6: 'floppyDisk', 7: 'compactDisc', 8: 'ramDisk', 9: 'flashMemory', 10: 'networkDisk' };

/** hrDeviceTable only (small; printers' model lives there). */
export async function collectHrDevices(transport: SnmpTransport): Promise<HostResources['devices']> {
  const rows = await walkColumns(transport, OID.hrDeviceEntry, [2, 3], 1000);
  return [...rows.values()].flatMap((row) => {
    const descr = textOf(row.get(3));
    if (!descr) return [];
    const typeOid = row.get(2)?.text ?? '';
    const type = typeOid.startsWith(HR_DEVICE) ? DEVICE_TYPES[typeOid.slice(HR_DEVICE.length)] : undefined;
    return [{ descr, ...(type ? { type } : {}) }];
  });
}

export async function collectHostResources(transport: SnmpTransport, devices: HostResources['devices']): Promise<HostResources> {
  const [memory, storageRows] = await Promise.all([transport.get([OID.hrMemorySize]).catch(() => []), walkColumns(transport, OID.hrStorageEntry, [2, 3, 4, 5, 6], 2000)]);
  const storage: HostResources['storage'] = [];
  for (const row of storageRows.values()) {
    const descr = textOf(row.get(3));
    if (!descr) continue;
    const typeOid = row.get(2)?.text ?? '';
    const type = STORAGE_TYPES[typeOid.split('.').pop() ?? ''];
    const unit = numOf(row.get(4)) ?? 0;
    const size = numOf(row.get(5));
    const used = numOf(row.get(6));
    storage.push({
      descr,
      ...(type ? { type } : {}),
      ...(size !== undefined && unit > 0 ? { sizeBytes: size * unit } : {}),
      ...(used !== undefined && unit > 0 ? { usedBytes: used * unit } : {}),
    });
  }
  const out: HostResources = { storage, devices };
  const processors = devices.filter((d) => d.type === 'processor').length;
  if (processors > 0) out.processors = processors;
  const kb = memory[0]?.num;
  if (kb !== undefined && kb > 0) out.memoryBytes = kb * 1024;
  return out;
}
