// Flattens a merged DeviceRecord into the DeviceSummary that listings, filters, identity and diff
// use. Normalised so that two summaries of the same state compare equal: MACs lower-case with
// colons, lists sorted, empty strings as null.

import type { DeviceRecord, DeviceSummary, Sourced } from '../model/index.js';
import { compareAddresses } from '../model/compare-addresses.js';
import { normalizeMac } from './identity.js';

/** The trimmed value, or null when absent or blank. */
function text(field: Sourced<string> | undefined): string | null {
  const v = field?.value?.trim();
  return v ? v : null;
}

export function summarize(record: DeviceRecord): DeviceSummary {
  const { facts } = record;

  // The display address first, then the others in numeric order.
  const others = [...new Set(record.addresses)].filter((a) => a !== record.address).sort(compareAddresses);

  // MACs that do not parse are dropped: the summary's MACs are index keys, and a garbled value
  // would only produce false matches or noise. The raw value stays in facts.
  const macs = [...new Set((facts.macs ?? []).map((m) => normalizeMac(m.value)).filter((m): m is string => m !== null))].sort();

  // Merged facts list host names in priority order (see merge-observations), so the first wins.
  // A trailing dot from a PTR answer is not part of the name.
  let hostname: string | null = null;
  for (const h of facts.hostnames ?? []) {
    const v = h.value.trim().replace(/\.$/, '');
    if (v) {
      hostname = v;
      break;
    }
  }

  // TCP and UDP ports of the same number count once: the summary answers "what listens here".
  const openPorts = [...new Set((facts.openPorts?.value ?? []).map((p) => p.port))].sort((a, b) => a - b);

  const uuid = text(facts.smbiosUuid);
  return {
    address: record.address,
    addresses: [record.address, ...others],
    macs,
    hostname,
    vendor: text(facts.vendor),
    model: text(facts.model),
    serial: text(facts.serial),
    type: facts.type?.value ?? null,
    os: text(facts.os),
    firmware: text(facts.firmware),
    smbiosUuid: uuid === null ? null : uuid.toLowerCase(),
    snmpEngineId: text(facts.snmpEngineId),
    openPorts,
  };
}
