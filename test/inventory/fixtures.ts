// Builders for the inventory tests: a summary with every field null unless given.

import type { DeviceSummary, Facts, Observation } from '../../src/model/index.js';
import type { KnownAsset } from '../../src/inventory/identity.js';

export function summary(over: Partial<DeviceSummary> = {}): DeviceSummary {
  const address = over.address ?? '10.0.0.1';
  return {
    address,
    addresses: [address],
    macs: [],
    hostname: null,
    vendor: null,
    model: null,
    serial: null,
    type: null,
    os: null,
    firmware: null,
    smbiosUuid: null,
    snmpEngineId: null,
    openPorts: [],
    ...over,
  };
}

export function asset(id: number, over: Partial<DeviceSummary> = {}): KnownAsset {
  return { id, ...summary(over) };
}

export function obs(scanner: string, address: string, facts: Facts, status: Observation['status'] = 'ok'): Observation {
  return { scanner, address, at: '2025-01-01T00:00:00.000Z', status, facts };
}
