// Every shared recording through the SNMP interrogation and identify in-process, with the recorded
// transport (no sockets): a fast check of the definitions against the truth files, and a guard that
// every recording is identified as its truth's type. The conformance test (conformance.test.ts) does
// the same through the real CLI and snmpsim.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createIdentifier } from '../../src/identify/index.js';
import { interrogateDevice, readSystemGroup } from '../../src/scan/snmp/interrogate-device.js';
import { openRecordedTransport } from '../../src/scan/snmp/recorded-transport.js';
import { parseSnmprec } from '../../src/scan/snmp/snmprec.js';
import { describeWhen, needShared, SHARED } from '../helpers/prereqs.js';
import { readTruths, renderScore, score, type Found } from './truth-score.js';

const DIR = join(SHARED, 'fixtures/snmp');

describeWhen(needShared('fixtures/snmp'), 'shared recordings, identified offline', () => {
  it('meets the goals on every field', async () => {
    const truths = readTruths(DIR);
    const identifier = createIdentifier();
    const found = new Map<string, Found>();
    for (const t of truths) {
      const transport = openRecordedTransport(parseSnmprec(readFileSync(join(DIR, `${t.name}.snmprec`), 'utf8')));
      const system = await readSystemGroup(transport);
      const facts = identifier.identify(await interrogateDevice(transport, system, identifier.planSnmp, { version: 'v2c', credential: 'recording' }));
      found.set(t.name, {
        vendor: facts.vendor?.value ?? null,
        model: facts.model?.value ?? null,
        serial: facts.serial?.value ?? null,
        firmware: facts.firmware?.value ?? null,
        os: facts.os?.value ?? null,
        type: facts.type?.value ?? null,
      });
    }
    const s = score(truths, found);
    process.stdout.write(renderScore(s, truths) + '\n');
    expect(truths).toHaveLength(46);
    expect(s.perField.vendor.pct).toBe(100);
    expect(s.perField.type.pct).toBe(100);
    expect(s.perField.model.pct).toBeGreaterThanOrEqual(95);
    expect(s.perField.serial.pct).toBeGreaterThanOrEqual(95);
    expect(s.perField.firmware.pct).toBeGreaterThanOrEqual(95);
  });
});
