// The local scanner: this machine, through systeminformation and the platform's package database.
// Unlike the network scanners it has no target: `netcensus local` runs it, and its output is an
// inventory document (document.ts) that `netcensus import` reads on another machine.
import { probeLocalHost, type ProbeOptions } from './probe.js';

export { DOCUMENT_FORMAT, DOCUMENT_VERSION, MAX_DOCUMENT_BYTES, parseDocument, type InventoryDocument } from './document.js';
export { documentRecord, documentToObservation } from './to-observation.js';

export const localScanner = {
  name: 'local',
  describe: 'this machine: hardware, OS, network interfaces and installed software (systeminformation)',
  probe: (options: ProbeOptions) => probeLocalHost(options),
} as const;
