// One asset, two views: what the network saw of it (scan snapshots) and what the machine said about
// itself (local probes and imported documents). Each snapshot's record keeps only what that run saw;
// the inventory combines the latest record of each view when it is read, so a scan after an import
// does not "remove" the software and an import after a scan does not close the open ports.
//
// Field by field, independent of which view is newer (so that alternating scans and imports never
// make a field flap between two values):
// - address, openPorts, liveness: the network view (where the scanner reaches it, what answers);
// - the machine's own word first for everything else (hostname, vendor, model, serial, type, os,
//   firmware, SMBIOS UUID; hardware and software facts exist only there), the network view filling
//   what the document lacks (SNMP engine id, a PTR name for a machine that has none);
// - addresses, MACs and host names: the union of both, each value keeping its source.
import type { DeviceSummary, Facts, Sourced } from '../model/index.js';

export type View = 'network' | 'document';

export function viewOfKind(kind: string): View {
  return kind === 'scan' ? 'network' : 'document';
}

export function combineSummaries(network: DeviceSummary, document: DeviceSummary): DeviceSummary {
  const address = network.address;
  const addresses = [address, ...[...network.addresses, ...document.addresses].filter((a, i, all) => a !== address && all.indexOf(a) === i)];
  return {
    address,
    addresses,
    macs: [...new Set([...document.macs, ...network.macs])].sort(),
    hostname: document.hostname ?? network.hostname,
    vendor: document.vendor ?? network.vendor,
    model: document.model ?? network.model,
    serial: document.serial ?? network.serial,
    type: document.type ?? network.type,
    os: document.os ?? network.os,
    firmware: document.firmware ?? network.firmware,
    smbiosUuid: document.smbiosUuid ?? network.smbiosUuid,
    snmpEngineId: document.snmpEngineId ?? network.snmpEngineId,
    openPorts: network.openPorts,
  };
}

export function combineFacts(network: Facts, document: Facts): Facts {
  const out: Facts = { ...network, ...document };
  const union = (a: Sourced<string>[] | undefined, b: Sourced<string>[] | undefined): Sourced<string>[] | undefined => {
    if (a === undefined && b === undefined) return undefined;
    const all = [...(a ?? []), ...(b ?? [])];
    return all.filter((x, i) => all.findIndex((y) => y.value.toLowerCase() === x.value.toLowerCase() && y.source === x.source) === i);
  };
  const macs = union(document.macs, network.macs);
  if (macs) out.macs = macs;
  const hostnames = union(document.hostnames, network.hostnames);
  if (hostnames) out.hostnames = hostnames;
  if (network.openPorts) out.openPorts = network.openPorts;
  if (network.liveness) out.liveness = network.liveness;
  return out;
}
