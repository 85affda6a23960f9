// identify: pure functions from facts to classification (vendor, model, serial, firmware, type),
// each answer keeping the rule and source that gave it. Runs on a merged record before identity.
import type { Facts } from '../model/index.js';
import { macVendor } from './mac-vendor.js';

export { macVendor } from './mac-vendor.js';

/** Adds what can be derived from the facts already there. Never overrides a stronger source. */
export function identify(facts: Facts): Facts {
  const out: Facts = { ...facts };
  if (!out.macVendor) {
    for (const mac of facts.macs ?? []) {
      const vendor = macVendor(mac.value);
      if (vendor) {
        out.macVendor = { value: vendor, source: `oui:${mac.value.slice(0, 8).toLowerCase()}` };
        break;
      }
    }
  }
  return out;
}
