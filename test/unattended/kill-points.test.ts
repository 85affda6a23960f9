// SIGKILL at 20 seeded random points of a scan of 300 simulated hosts (loopback addresses, whose
// closed ports answer RST, with names from a deliberately slow test DNS server). After every kill:
// the file passes integrity_check, every earlier snapshot's records are byte-for-byte what they
// were, at most the newest snapshot is left `running`, and export and diff of the earlier snapshots
// give the same bytes as before the first kill. The next run marks the killed one interrupted.
//
// The seed is printed; NETCENSUS_KILL_SEED=N replays a run.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, startCli, tempDir } from '../helpers/cli.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { pickPort } from '../helpers/listeners.js';
import { readState, seededRandom, sleep } from './support.js';

const KILLS = 20;
const HOSTS = 300;
const RANGE = '127.40.0.1-127.40.1.44'; // 256 + 44 addresses
const SEED = Number(process.env.NETCENSUS_KILL_SEED ?? 20_251_231);

describe('SIGKILL at 20 random points of a scan', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const env = cliEnv(home);
  const port = String(pickPort(40));
  let dns: TestDnsServer;
  const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env, timeoutMs: 60_000 });
  const scanArgs = (concurrency: number) => ['scan', RANGE, '--ports', port, '--no-icmp', '--dns-server', dns.address, '--timeout', '300', '--concurrency', String(concurrency)];

  beforeAll(async () => {
    dns = await startDnsServer();
    for (let i = 1; i <= HOSTS; i++) {
      const address = `127.40.${Math.floor(i / 256)}.${i % 256}`;
      dns.ptr.set(address, `sim-${i}.kill.test`);
    }
  });
  afterAll(async () => {
    await dns?.close();
  });

  it('loses nothing committed, at any point', async () => {
    process.stderr.write(`[kill-points] seed ${SEED} (NETCENSUS_KILL_SEED to replay)\n`);
    const random = seededRandom(SEED);

    // Two complete snapshots to compare against.
    expect((await cli(...scanArgs(256))).code).toBe(0);
    expect((await cli(...scanArgs(256))).code).toBe(0);
    const exportBefore = (await cli('export', '1', '--format', 'csv')).stdout;
    const diffBefore = (await cli('diff', '1', '2', '--json')).stdout;
    expect(exportBefore.split('\r\n').length).toBeGreaterThan(HOSTS);

    // Slow from here: each name lookup takes 200 ms, 16 hosts at a time: a run takes ~4 s.
    dns.delayMs = 200;
    const killedAt: number[] = [];
    let readersAgree: Promise<void> = Promise.resolve();
    for (let k = 0; k < KILLS; k++) {
      const before = readState(db);
      const delay = Math.round(300 + random() * 2700);
      killedAt.push(delay);
      const child = startCli(['--db', db, ...scanArgs(16)], { cwd: home, env });
      const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
      await sleep(delay);
      child.kill('SIGKILL');
      await exited;

      const after = readState(db);
      expect(after.integrity, `kill ${k} at ${delay} ms`).toBe('ok');
      // Everything that existed before this run is unchanged: rows of every earlier snapshot...
      for (const [id, hash] of before.recordHashes) {
        if (before.snapshots.find((s) => s.id === id)?.status === 'running') continue;
        expect(after.recordHashes.get(id), `snapshot ${id} after kill ${k} at ${delay} ms`).toBe(hash);
      }
      // ...and at most the newest snapshot is left running: the previous killed one was marked.
      const running = after.snapshots.filter((s) => s.status === 'running').map((s) => s.id);
      expect(running.every((id) => id === after.snapshots.at(-1)!.id), `running: ${running}`).toBe(true);
      expect(after.snapshots.filter((s) => s.status === 'complete').map((s) => s.id)).toEqual([1, 2]);

      // Earlier snapshots read the same, byte for byte. The readers run while the next scan does
      // (they never wait on its lock), and are checked after its kill.
      await readersAgree;
      readersAgree = Promise.all([cli('export', '1', '--format', 'csv'), cli('diff', '1', '2', '--json')]).then(([exported, diffed]) => {
        expect(exported.stdout, `export after kill ${k}`).toBe(exportBefore);
        expect(diffed.stdout, `diff after kill ${k}`).toBe(diffBefore);
      });
    }
    await readersAgree;
    process.stderr.write(`[kill-points] killed after ${killedAt.join(', ')} ms\n`);

    // The next run finishes and marks whatever the last kill left running as interrupted.
    dns.delayMs = 0;
    const leftRunning = readState(db).snapshots.filter((s) => s.status === 'running').map((s) => s.id);
    const next = await cli(...scanArgs(256));
    expect(next.code).toBe(0);
    if (leftRunning.length > 0) expect(next.stderr).toContain(`marked earlier run(s) ${leftRunning.join(', ')} interrupted`);
    const final = readState(db);
    expect(final.integrity).toBe('ok');
    const statuses = final.snapshots.map((s) => s.status);
    expect(statuses[0]).toBe('complete');
    expect(statuses[1]).toBe('complete');
    expect(statuses.at(-1)).toBe('complete');
    expect(statuses.slice(2, -1).every((s) => s === 'interrupted')).toBe(true);
    // Kills landed before, during and after the lock was taken: some runs had begun, and committed.
    expect(final.snapshots.length).toBeGreaterThan(5);
    // One asset per simulated host, however many runs were killed mid-way.
    expect(final.assets).toBe(HOSTS);
    expect(final.recordCounts.get(final.snapshots.at(-1)!.id)).toBe(HOSTS);
  }, 120_000);
});
