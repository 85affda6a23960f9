// The vendor definitions are data validated by a schema; identify is pure: the same facts give the
// same answer with the rule and OID that chose each field.
import { describe, expect, it } from 'vitest';
import { createIdentifier, identify } from '../../src/identify/index.js';
import { builtInDefinitions } from '../../src/identify/load-definitions.js';
import { parseDefinitionFile, validateDefinitionFile } from '../../src/identify/parse-definitions.js';
import { BUILT_IN_DEFINITION_FILES } from '../../src/identify/vendors/index.js';
import type { Facts } from '../../src/model/index.js';

const snmpFacts = (sysObjectID: string, sysDescr: string, values: Record<string, string> = {}, mibs: string[] = []): Facts => ({
  snmp: { version: 'v2c', credential: 'community #1', sysObjectID, sysDescr, mibs, values },
});

describe('vendor definitions', () => {
  it('all built-in files validate, unchanged by the schema, and ids are unique', () => {
    const lines = builtInDefinitions();
    expect(lines.length).toBeGreaterThan(30);
    // Scans use the files as they are, unvalidated: the schema must accept each and strip nothing.
    const validated = Object.entries(BUILT_IN_DEFINITION_FILES).flatMap(([file, data]) => validateDefinitionFile(data, file));
    expect(validated).toEqual(lines);
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
  });

  it('identifies by sysObjectID with the rule and source of each field', () => {
    const facts = identify(
      snmpFacts('1.3.6.1.4.1.2636.1.1.1.2.29', 'Juniper Networks, Inc. ex2200-24t-4g Ethernet Switch, kernel JUNOS 12.3R6.6, Build date', {
        '1.3.6.1.4.1.2636.3.1.2.0': 'Juniper EX2200-24T-4G',
        '1.3.6.1.4.1.2636.3.1.3.0': 'CW0210000001',
      }),
    );
    expect(facts.vendor).toEqual({ value: 'Juniper', source: 'SNMPv2-MIB::sysObjectID.0', rule: 'juniper-junos (juniper.json) detect: sysObjectID 1.3.6.1.4.1.2636.1.1.1.2.29 starts with 1.3.6.1.4.1.2636.' });
    expect(facts.model).toEqual({ value: 'Juniper EX2200-24T-4G', source: 'JUNIPER-MIB::jnxBoxDescr.0', rule: 'juniper-junos (juniper.json) model[0]' });
    expect(facts.serial?.value).toBe('CW0210000001');
    expect(facts.firmware?.value).toBe('12.3R6.6');
    expect(facts.type).toMatchObject({ value: 'switch', rule: 'juniper-junos (juniper.json) types[0]' });
  });

  it('falls back to the IANA enterprise and the MIBs present', () => {
    const facts = identify(snmpFacts('1.3.6.1.4.1.30065.1.3011', 'Arista Networks EOS version 4.20', {}, ['BRIDGE-MIB']));
    expect(facts.vendor).toMatchObject({ value: 'Arista', rule: 'fallback: IANA enterprise number 30065' });
    expect(facts.type).toMatchObject({ value: 'switch', rule: 'fallback: BRIDGE-MIB present' });
  });

  it('ignores placeholder serials and keeps facts from stronger sources', () => {
    const facts = identify({
      ...snmpFacts('1.3.6.1.4.1.99999.1', 'thing', {}, []),
      entities: { value: [{ index: 1, class: 'chassis', serial: '000000000', model: 'X-1' }], source: 'ENTITY-MIB::entPhysicalTable' },
      vendor: { value: 'Chosen by hand', source: 'local' },
    });
    expect(facts.serial).toBeUndefined();
    expect(facts.model?.value).toBe('X-1');
    expect(facts.vendor?.value).toBe('Chosen by hand');
  });

  it('a user definition file overrides a built-in line and is validated', () => {
    const user = parseDefinitionFile(
      '- id: acme\n  vendor: Acme\n  detect: {sysDescrRegex: ["^Acme Box"]}\n  type: camera\n  model: [{oid: sysDescr, regex: "^Acme Box (?<value>\\\\S+)"}]\n',
      'acme.yaml',
    );
    const identifier = createIdentifier(user);
    const facts = identifier.identify(snmpFacts('1.3.6.1.4.1.99999.7', 'Acme Box C-300 v2'));
    expect(facts).toMatchObject({ vendor: { value: 'Acme' }, model: { value: 'C-300' }, type: { value: 'camera' } });
    expect(() => parseDefinitionFile('- id: Bad Id\n  detect: {}\n', 'bad.yaml')).toThrow(/bad\.yaml: 0\.id: lower-case/);
  });

  it('plans only the OIDs of candidate lines, and probes Synology on net-snmp agents', () => {
    const plan = createIdentifier().planSnmp({ sysObjectID: '1.3.6.1.4.1.8072.3.2.10', sysDescr: 'Linux nas 3.10.77 #1 SMP x86_64', mibs: ['HOST-RESOURCES-MIB'] });
    expect(plan.get).toContain('1.3.6.1.4.1.6574.1.5.1.0');
    expect(plan.get).not.toContain('1.3.6.1.4.1.2636.3.1.2.0');
    expect(plan.kind).toBe('server');
  });
});
