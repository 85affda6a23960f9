// Stopping a scan and sharing a database:
//   - SIGINT / SIGTERM: the scan stops within 2 s, commits what it has, marks the snapshot
//     interrupted and exits 130 / 143;
//   - --max-duration: the same stop when the budget is spent, exit 5, said in the summary;
//   - two scans started together: one runs, one exits 4 at once naming the other; no duplicate assets;
//   - --wait: the second waits for the first instead, or gives up with exit 4 when the wait is over;
//   - --log-format json: one JSON event a line on stderr, nothing on stdout.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, startCli, tempDir } from '../helpers/cli.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { pickPort } from '../helpers/listeners.js';
import { countRows, readState, waitFor } from './support.js';

const NET = '127.40.2';
const HOSTS = 120;

describe('stopping a scan, and two scans of one database', () => {
  const home = tempDir();
  const env = cliEnv(home);
  const port = String(pickPort(42));
  let dns: TestDnsServer;
  let dbCount = 0;
  const newDb = (): string => join(home, `inventory-${++dbCount}.db`);
  // A slow scan: 120 hosts, names take 300 ms each, 8 hosts at a time: about 5 s.
  const scanArgs = (db: string, ...extra: string[]) => [
    '--db', db, 'scan', `${NET}.1-${HOSTS}`, '--ports', port, '--no-icmp', '--dns-server', dns.address, '--timeout', '300', '--concurrency', '8', ...extra,
  ];
  const run = (args: string[]) => runCli(args, { cwd: home, env, timeoutMs: 60_000 });
  const committed = (db: string): number => {
    try {
      return countRows(db, 'SELECT count(*) AS n FROM records');
    } catch {
      return 0;
    }
  };
  const interrogated = (db: string): number => countRows(db, "SELECT count(*) AS n FROM records WHERE json_extract(statuses, '$.dns') IS NOT NULL");
  const running = (db: string): boolean => {
    try {
      return countRows(db, "SELECT count(*) AS n FROM snapshots WHERE status = 'running'") > 0;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    dns = await startDnsServer();
    for (let i = 1; i <= HOSTS; i++) dns.ptr.set(`${NET}.${i}`, `stop-${i}.lock.test`);
    dns.delayMs = 300;
  });
  afterAll(async () => {
    await dns?.close();
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: stops within 2 s, keeps what it found, marks the run interrupted, exits ${code}`, async () => {
      const db = newDb();
      const child = startCli(scanArgs(db), { cwd: home, env });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      await waitFor(() => committed(db) >= 5, 20_000, 'the first records');
      const sentAt = Date.now();
      child.kill(signal);
      const exitCode = await exited;
      expect(Date.now() - sentAt).toBeLessThan(2000);
      expect(exitCode, stderr).toBe(code);
      expect(stderr).toContain(`${signal}: stopping, keeping what was found so far`);
      expect(stderr).toMatch(/snapshot 1 interrupted: \d+ probed/);
      const state = readState(db);
      expect(state.integrity).toBe('ok');
      expect(state.snapshots).toEqual([{ id: 1, status: 'interrupted' }]);
      const stored = state.recordCounts.get(1)!;
      expect(stored).toBeGreaterThanOrEqual(5);
      // Hosts still queued for interrogation are stored with what discovery found; none was asked for
      // its name after the signal.
      expect(interrogated(db)).toBeLessThan(HOSTS);
      // The snapshot's counts say what was committed.
      expect(countRows(db, "SELECT json_extract(counts, '$.records') AS n FROM snapshots WHERE id = 1")).toBe(stored);
    });
  }

  it('--max-duration: stops when the budget is spent, interrupted, exit 5, and says so', async () => {
    const db = newDb();
    const started = Date.now();
    const r = await run(scanArgs(db, '--max-duration', '2s', '--json'));
    expect(Date.now() - started).toBeLessThan(6000);
    expect(r.code, r.stderr).toBe(5);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ status: 'interrupted', stoppedBy: '--max-duration 2s' });
    expect(summary.counts.records).toBeGreaterThan(0);
    expect(interrogated(db)).toBeLessThan(HOSTS);
    expect(readState(db).snapshots).toEqual([{ id: 1, status: 'interrupted' }]);
  });

  it('two scans started together: one runs, the other exits 4 at once; no duplicate assets', async () => {
    const db = newDb();
    // Create the database first, so that the race is for the lock, not for the file's creation.
    expect((await run(['--db', db, 'scan', `${NET}.1`, '--no-icmp', '--ports', port, '--dns-server', dns.address])).code).toBe(0);
    const started = Date.now();
    const [a, b] = await Promise.all([run(scanArgs(db)), run(scanArgs(db))]);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    expect([a.code, b.code].sort()).toEqual([0, 4]);
    expect(loser.stderr).toMatch(/another scan holds .*: snapshot 2, pid \d+ on \S+, started \d{4}-\d\d-\d\dT/);
    expect(winner.stderr).toMatch(/^snapshot 2 complete/m);
    void started;
    const state = readState(db);
    expect(state.snapshots).toEqual([{ id: 1, status: 'complete' }, { id: 2, status: 'complete' }]);
    expect(state.assets).toBe(HOSTS);
    expect(countRows(db, 'SELECT count(DISTINCT address) AS n FROM records WHERE snapshot_id = 2')).toBe(HOSTS);
  });

  it('--wait: waits for the running scan, or exits 4 when the wait is over', async () => {
    const db = newDb();
    // Slower than the others (4 hosts at a time: ~9 s), so that both waiters start while it runs.
    const first = startCli([...scanArgs(db), '--concurrency', '4'], { cwd: home, env });
    const firstDone = new Promise<number | null>((resolve) => first.on('close', (c) => resolve(c)));
    await waitFor(() => running(db), 20_000, 'the first scan to take the lock');

    const shortWait = Date.now();
    const [gaveUp, waited] = await Promise.all([
      run(scanArgs(db, '--wait', '1')).then((r) => ({ ...r, ms: Date.now() - shortWait })),
      run(scanArgs(db, '--wait', '30')),
    ]);
    expect(gaveUp.code).toBe(4);
    expect(gaveUp.ms).toBeGreaterThanOrEqual(1000);
    expect(gaveUp.stderr).toMatch(/another scan holds .*snapshot 1, pid \d+.*\(waited 1 s\)/);
    expect(await firstDone).toBe(0);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr).toMatch(/waiting up to 30 s for it/);
    expect(waited.stderr).toMatch(/snapshot 2 complete/);
    const state = readState(db);
    expect(state.snapshots.map((s) => s.status)).toEqual(['complete', 'complete']);
    expect(state.assets).toBe(HOSTS);
  });

  it('--log-format json: NDJSON events on stderr (start, summary with outcome counts, warnings), nothing on stdout', async () => {
    const db = newDb();
    dns.delayMs = 0;
    const r = await run(['--db', db, 'scan', `${NET}.1-10`, `${NET}.250.example.invalid`, '--ports', port, '--no-icmp', '--dns-server', dns.address, '--log-format', 'json', '--community', 'env:NO_SUCH_VAR_HERE']);
    // The community cannot resolve: an error event, exit 2, and nothing else.
    expect(r.code).toBe(2);
    const errorEvents = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(errorEvents.at(-1)).toMatchObject({ event: 'error', exitCode: 2 });
    expect(errorEvents.at(-1).message).toContain('NO_SUCH_VAR_HERE');

    const ok = await run(['--db', db, 'scan', `${NET}.1-10`, '--ports', port, '--no-icmp', '--dns-server', dns.address, '--log-format', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('');
    const events = ok.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ event: 'start', snapshotId: 1, targets: [`${NET}.1-10`] });
    const summary = events.find((e) => e.event === 'summary');
    expect(summary).toMatchObject({ status: 'complete', counts: { probed: 10, alive: 10, records: 10 }, outcomes: { hosts: 10 } });
    expect(summary.outcomes.byScanner.dns.ok).toBe(10);
    for (const e of events) expect(typeof e.at).toBe('string');
  });
});
