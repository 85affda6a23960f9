// Names for the OIDs identification reads, so that an explanation says
// "ENTITY-MIB::entPhysicalSerialNum.1001" rather than a string of digits.

const SCALARS: Record<string, string> = {
  '1.3.6.1.2.1.1.1.0': 'SNMPv2-MIB::sysDescr.0',
  '1.3.6.1.2.1.1.2.0': 'SNMPv2-MIB::sysObjectID.0',
  '1.3.6.1.2.1.1.5.0': 'SNMPv2-MIB::sysName.0',
};

const COLUMNS: [string, string][] = [
  ['1.3.6.1.2.1.47.1.1.1.1.2', 'ENTITY-MIB::entPhysicalDescr'],
  ['1.3.6.1.2.1.47.1.1.1.1.7', 'ENTITY-MIB::entPhysicalName'],
  ['1.3.6.1.2.1.47.1.1.1.1.8', 'ENTITY-MIB::entPhysicalHardwareRev'],
  ['1.3.6.1.2.1.47.1.1.1.1.9', 'ENTITY-MIB::entPhysicalFirmwareRev'],
  ['1.3.6.1.2.1.47.1.1.1.1.10', 'ENTITY-MIB::entPhysicalSoftwareRev'],
  ['1.3.6.1.2.1.47.1.1.1.1.11', 'ENTITY-MIB::entPhysicalSerialNum'],
  ['1.3.6.1.2.1.47.1.1.1.1.12', 'ENTITY-MIB::entPhysicalMfgName'],
  ['1.3.6.1.2.1.47.1.1.1.1.13', 'ENTITY-MIB::entPhysicalModelName'],
  ['1.3.6.1.2.1.43.5.1.1.17', 'Printer-MIB::prtGeneralSerialNumber'],
  ['1.3.6.1.2.1.25.3.2.1.3', 'HOST-RESOURCES-MIB::hrDeviceDescr'],
  ['1.3.6.1.2.1.33.1.1', 'UPS-MIB::upsIdent'],
  ['1.3.6.1.2.1.16.19.2', 'RMON2-MIB::probeSoftwareRev'],
  ['1.3.6.1.2.1.16.19.3', 'RMON2-MIB::probeHardwareRev'],
  ['1.3.6.1.4.1', 'SNMPv2-SMI::enterprises'],
];

export const ENTITY_COLUMN: Record<string, string> = {
  descr: '2',
  name: '7',
  hardwareRev: '8',
  firmwareRev: '9',
  softwareRev: '10',
  serial: '11',
  manufacturer: '12',
  model: '13',
};

export function oidName(oid: string, mibName?: string): string {
  if (mibName) return mibName.includes('::') && /\.\d+$/.test(oid) && !/\.\d+$/.test(mibName) ? `${mibName}.${oid.split('.').pop()}` : mibName;
  const scalar = SCALARS[oid];
  if (scalar) return scalar;
  for (const [prefix, name] of COLUMNS) {
    if (oid.startsWith(prefix + '.')) return `${name}.${oid.slice(prefix.length + 1)}`;
  }
  return oid;
}
