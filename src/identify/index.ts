// identify: pure functions from facts to classification (vendor, model, serial, firmware, type),
// each answer keeping the rule and source that gave it. Runs on a merged record before identity.
// Vendor definitions are data (./vendors/*.json, and the user's files passed in by the caller).
import type { Facts } from '../model/index.js';
import { builtInDefinitions, combineDefinitions, type LoadedProductLine } from './load-definitions.js';
import { identifySnmp, planSnmp, type SnmpPlan, type SnmpSystemView } from './identify-snmp.js';
import { macVendor } from './mac-vendor.js';
import { classifyDevice } from './classify-device.js';

export { macVendor } from './mac-vendor.js';
export { classifyDevice, classifyGuesses, classificationPorts } from './classify-device.js';
export { explainFacts } from './identify-snmp.js';
export { DefinitionError, type LoadedProductLine } from './load-definitions.js';

export interface Identifier {
  identify(facts: Facts): Facts;
  /** What an SNMP interrogation should fetch for identification (handed to scan/snmp). */
  planSnmp(system: SnmpSystemView): SnmpPlan;
}

/** An identifier over the built-in definitions plus the user's (which take precedence). */
export function createIdentifier(userLines: LoadedProductLine[] = []): Identifier {
  const lines = userLines.length > 0 ? combineDefinitions(userLines) : builtInDefinitions();
  return {
    identify: (facts) => identifyWith(facts, lines),
    planSnmp: (system) => planSnmp(lines, system),
  };
}

/** Adds what can be derived from the facts already there. Never overrides a stronger source. */
export function identify(facts: Facts): Facts {
  return identifyWith(facts, facts.snmp ? builtInDefinitions() : []);
}

function identifyWith(facts: Facts, lines: LoadedProductLine[]): Facts {
  const out: Facts = facts.snmp ? identifySnmp(facts, lines) : { ...facts };
  if (!out.macVendor) {
    for (const mac of facts.macs ?? []) {
      const vendor = macVendor(mac.value);
      if (vendor) {
        out.macVendor = { value: vendor, source: `oui:${mac.value.slice(0, 8).toLowerCase()}` };
        break;
      }
    }
  }
  // Last: guesses from indirect evidence (ports, banners, nmap), never over what was read directly.
  return classifyDevice(out);
}
