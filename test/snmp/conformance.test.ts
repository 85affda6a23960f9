// Conformance on real devices: all recordings of ../shared/fixtures/snmp served by snmpsim, one per
// loopback address (127.0.1.1 ...), swept by the built CLI exactly as a user would run it
// (`netcensus scan RANGE --community public --snmp-port P`), then read back with `export --format
// json` and compared with each truth file. Prints a per-device table and the score per field.
// Goals (issue 4): vendor and type 100 %; model, serial and firmware at least 95 %.
// The SNMP timeout is raised to 5 s: one snmpsim process answers for all 46 devices and is slow on
// first access to each large recording (it builds an index), which a real network does not share.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { pickPort } from '../helpers/listeners.js';
import { describeWhen, firstMissing, needCommand, needShared, SHARED } from '../helpers/prereqs.js';
import { startSnmpsimPerAddress, type Snmpsim } from './snmpsim.js';
import { readTruths, renderScore, score, type Found } from './truth-score.js';

const DATA = join(SHARED, 'fixtures/snmp');
const FIRST = '127.0.1.1';

describeWhen(firstMissing(needShared('fixtures/snmp'), needCommand('snmpsimd')), 'SNMP conformance: real recordings through the CLI', () => {
  const home = tempDir();
  const env = cliEnv(home);
  const db = join(home, 'inventory.db');
  const port = pickPort(41);
  let sim: Snmpsim | undefined;

  beforeAll(async () => {
    sim = await startSnmpsimPerAddress(DATA, FIRST, port);
  }, 180_000);

  afterAll(() => sim?.stop());

  it('identifies every device as its truth file says', async () => {
    const truths = readTruths(DATA);
    const last = `127.0.1.${truths.length}`;
    const started = Date.now();
    const scan = await runCli(
      ['--db', db, 'scan', `${FIRST}-${last}`, '--community', 'public', '--snmp-port', String(port), '--snmp-timeout', '5000', '--ports', String(port), '--no-dns', '--timeout', '500'],
      { cwd: home, env, timeoutMs: 600_000 },
    );
    const seconds = (Date.now() - started) / 1000;
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stderr).toMatch(new RegExp(`${truths.length} probed, ${truths.length} alive, ${truths.length} stored`));
    // The community never reaches the output or the database's snapshot options.
    const exported = await runCli(['--db', db, 'export', '--format', 'json'], { cwd: home, env });
    expect(exported.code, exported.stderr).toBe(0);
    const doc = JSON.parse(exported.stdout) as { assets: (Found & { address: string })[] };

    const found = new Map<string, Found>();
    for (const a of doc.assets) {
      const name = sim!.names.get(a.address);
      if (name) found.set(name, a);
    }
    const s = score(truths, found);
    process.stdout.write(`\nnetcensus scan of ${truths.length} recordings: ${seconds.toFixed(1)} s\n${renderScore(s, truths)}\n`);
    expect(found.size).toBe(truths.length);
    expect(s.perField.vendor.pct).toBe(100);
    expect(s.perField.type.pct).toBe(100);
    expect(s.perField.model.pct).toBeGreaterThanOrEqual(95);
    expect(s.perField.serial.pct).toBeGreaterThanOrEqual(95);
    expect(s.perField.firmware.pct).toBeGreaterThanOrEqual(95);
  }, 600_000);
});
