// UPS-MIB (RFC 1628) identity and battery group.
import type { UpsDetails } from '../../model/index.js';
import { OID } from './oids.js';
import { walkSubtrees } from './table-rows.js';
import type { SnmpTransport } from './transport.js';

const BATTERY = ['', 'unknown', 'normal', 'low', 'depleted'];

export async function collectUps(transport: SnmpTransport): Promise<UpsDetails> {
  const [ident = [], battery = []] = await walkSubtrees(transport, [OID.upsIdent, OID.upsBattery], 20);
  const text = (col: number): string | undefined => ident.find((v) => v.oid === `${OID.upsIdent}.${col}.0`)?.text || undefined;
  const num = (col: number): number | undefined => battery.find((v) => v.oid === `${OID.upsBattery}.${col}.0`)?.num;
  const out: UpsDetails = {};
  const manufacturer = text(1);
  const model = text(2);
  const firmware = text(3) ?? text(4);
  if (manufacturer) out.manufacturer = manufacturer;
  if (model) out.model = model;
  if (firmware) out.firmware = firmware;
  const status = num(1);
  if (status !== undefined) out.batteryStatus = BATTERY[status] ?? String(status);
  const onBattery = num(2);
  if (onBattery !== undefined) out.secondsOnBattery = onBattery;
  const minutes = num(3);
  if (minutes !== undefined) out.estimatedMinutesRemaining = minutes;
  const charge = num(4);
  if (charge !== undefined) out.estimatedChargePercent = charge;
  return out;
}
