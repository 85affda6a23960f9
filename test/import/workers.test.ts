// `netcensus import` through worker threads (NETCENSUS_IMPORT_WORKERS, or one per core from 100
// documents on):
// - the snapshot is the same, row for row, with no worker, one, three, or the default: the order
//   of the sources decides, never which worker was quicker;
// - bad documents among good ones are named by file and field, the others are imported;
// - a worker that dies names the files it held, and the snapshot is marked failed;
// - SIGKILL mid-import loses nothing committed, and the next import finishes the job.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runImport, type DocumentSource } from '../../src/cli/run-import.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { cliEnv, runCli, startCli, tempDir } from '../helpers/cli.js';
import { countRows, readState, sleep } from '../unattended/support.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/local');
const BUILT_WORKER = new URL('../../dist/cli/import-worker.js', import.meta.url);
const CRASHING_WORKER = new URL('./fixtures/crashing-worker.mjs', import.meta.url);
const BASE = JSON.parse(readFileSync(join(FIXTURES, 'linux-server.json'), 'utf8')) as Record<string, any>;

/** Machine i: the fixture server with its own serial, UUID, MAC, address and name, and `packages` packages. */
function machine(i: number, packages = 40, collectedAt = Date.UTC(2025, 2, 1, 2) + i * 1000): Record<string, any> {
  const doc = structuredClone(BASE);
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  doc.collectedAt = new Date(collectedAt).toISOString();
  doc.system.serial = `WRK${String(i).padStart(6, '0')}`;
  doc.system.uuid = `${hex(i, 8)}-0000-4000-8000-${hex(i, 12)}`;
  doc.network.interfaces = [{ name: 'eth0', mac: `00:1b:21:${hex((i >> 16) & 0xff, 2)}:${hex((i >> 8) & 0xff, 2)}:${hex(i & 0xff, 2)}`, ipv4: [`10.9.${(i >> 8) & 0xff}.${i & 0xff}`], ipv6: [], speedMbps: 1000, default: true, up: true }];
  doc.os.hostname = `wrk-${String(i).padStart(5, '0')}`;
  doc.os.fqdn = `${doc.os.hostname}.corp.example.org`;
  doc.software.packages = Array.from({ length: packages }, (_, p) => ({ name: `pkg-${p}`, version: `${1 + ((i + p) % 9)}.${p % 40}.${i % 200}`, publisher: 'Debian QA Group' }));
  return doc;
}

/**
 * A folder of documents in name order: good ones, a bad one with two bad fields, one that is not
 * JSON, a byte-identical copy, and two more documents of machines already there (one newer, one
 * older: which one wins must not depend on timing).
 */
function writeFolder(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `m-${String(i).padStart(4, '0')}.json`), JSON.stringify(machine(i)));
  const bad = machine(n + 1);
  bad.system.serial = 42;
  bad.software.packages[3].name = 7;
  writeFileSync(join(dir, 'm-0040-bad.json'), JSON.stringify(bad));
  writeFileSync(join(dir, 'm-0077-truncated.json'), JSON.stringify(machine(n + 2)).slice(0, 500));
  writeFileSync(join(dir, 'm-0090-copy.json'), readFileSync(join(dir, 'm-0090.json')));
  const later = machine(5, 41, Date.UTC(2025, 3, 1));
  later.memory.totalBytes *= 2;
  writeFileSync(join(dir, 'z-later-of-5.json'), JSON.stringify(later));
  writeFileSync(join(dir, 'a-earlier-of-7.json'), JSON.stringify(machine(7, 39, Date.UTC(2025, 0, 1))));
}

/** Everything an import wrote, but the moment it was made. */
function contents(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = ['assets', 'records', 'record_macs', 'asset_views'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all());
    const documents = db.prepare('SELECT sha256, snapshot_id, asset_id, collected_at, file FROM imported_documents ORDER BY sha256').all();
    return JSON.stringify([...tables, documents]);
  } finally {
    db.close();
  }
}

describe('netcensus import with worker threads', () => {
  const home = tempDir();
  const folder = join(home, 'collected');
  writeFolder(folder, 150);

  it('gives the same snapshot with 0, 1, 3 and the default number of workers, and names the bad documents', async () => {
    const runs: Record<string, { summary: Record<string, unknown>; stderr: string; contents: string }> = {};
    await Promise.all(
      ['0', '1', '3', ''].map(async (workers) => {
        const db = join(home, `inventory-${workers || 'default'}.db`);
        const env = cliEnv(home, workers === '' ? {} : { NETCENSUS_IMPORT_WORKERS: workers });
        const r = await runCli(['--db', db, 'import', folder, '--json'], { cwd: home, env, timeoutMs: 120_000 });
        expect(r.code, r.stderr).toBe(3);
        const { durationMs: _, ...summary } = JSON.parse(r.stdout);
        runs[workers || 'default'] = { summary, stderr: r.stderr, contents: contents(db) };
      }),
    );
    const inline = runs['0']!;
    expect(inline.summary).toMatchObject({ status: 'complete', documents: 155, imported: 152, unchanged: 1, counts: { records: 150, newAssets: 150, failedTargets: 2 } });
    expect(inline.stderr).toMatch(/m-0040-bad\.json: system\.serial: .*expected string, received number/);
    expect(inline.stderr).toMatch(/m-0040-bad\.json: software\.packages\[3\]\.name: expected string, received number/);
    expect(inline.stderr).toMatch(/m-0077-truncated\.json: not JSON: /);
    for (const workers of ['1', '3', 'default']) {
      expect(runs[workers]!.summary, `${workers} workers`).toEqual(inline.summary);
      expect(runs[workers]!.stderr, `${workers} workers`).toBe(inline.stderr);
      expect(runs[workers]!.contents === inline.contents, `${workers} workers: same rows`).toBe(true);
    }
    // The newest document of machine 5 won; machine 7's earlier document did not override its own.
    const db = new Database(join(home, 'inventory-3.db'), { readonly: true });
    try {
      const memory = (host: string) => (db.prepare("SELECT json_extract(facts, '$.memory.value.totalBytes') AS m FROM records WHERE hostname = ?").get(host) as { m: number }).m;
      expect(memory('wrk-00005.corp.example.org')).toBe(BASE.memory.totalBytes * 2);
      expect(memory('wrk-00007.corp.example.org')).toBe(BASE.memory.totalBytes);
    } finally {
      db.close();
    }
  }, 240_000);

  it('refuses a NETCENSUS_IMPORT_WORKERS that is not a number (exit 2)', async () => {
    const r = await runCli(['--db', join(home, 'x.db'), 'import', folder], { cwd: home, env: cliEnv(home, { NETCENSUS_IMPORT_WORKERS: 'many' }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/NETCENSUS_IMPORT_WORKERS=many: expected a whole number/);
  });
});

describe('runImport with worker threads (in-process, the built worker)', () => {
  const source = (file: string, doc: unknown): DocumentSource => ({ file, read: async () => JSON.stringify(doc) });

  it('handles outcomes in the order of the sources, whichever worker finishes first', async () => {
    const store = openSqliteStore(join(tempDir(), 'inventory.db'));
    try {
      // Big documents first and small ones after, across 4 workers: the small ones finish first.
      const sources = Array.from({ length: 120 }, (_, i) => source(`doc-${i}.json`, machine(i, i < 40 ? 3000 : 5)));
      const summary = await runImport(
        { kind: 'import', sources, targetTexts: ['docs'], label: null },
        { store, now: () => new Date(), signal: new AbortController().signal, pid: process.pid, host: 'test', isRunAlive: () => false, workers: 4, workerScript: BUILT_WORKER },
      );
      expect(summary).toMatchObject({ status: 'complete', imported: 120, failed: [] });
      expect(summary.assets.map((a) => a.file)).toEqual(Array.from({ length: 20 }, (_, i) => `doc-${i}.json`));
      expect(summary.assets.map((a) => a.assetId)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const [entry] = await store.inventoryAsOf(summary.snapshotId!, { search: 'wrk-00000' }, { withFacts: true });
      expect(entry!.facts!.software!.value).toHaveLength(3000);
    } finally {
      await store.close();
    }
  });

  it('a worker that dies fails the import naming the files it held; the snapshot is marked failed', async () => {
    const store = openSqliteStore(join(tempDir(), 'inventory.db'));
    try {
      const crash = machine(300);
      crash.system.sku = 'crash-this-worker';
      const sources = [...Array.from({ length: 64 }, (_, i) => source(`ok-${i}.json`, machine(i))), source('crashes.json', crash), source('after.json', machine(301))];
      const run = runImport(
        { kind: 'import', sources, targetTexts: ['docs'], label: null },
        { store, now: () => new Date(), signal: new AbortController().signal, pid: process.pid, host: 'test', isRunAlive: () => false, workers: 1, workerScript: CRASHING_WORKER },
      );
      await expect(run).rejects.toThrow(/an import worker stopped while reading crashes\.json \(and 1 other document\): worker crashed on purpose/);
      const [snapshot] = await store.listSnapshots();
      expect(snapshot).toMatchObject({ status: 'failed' });
      // The documents before the crash were committed, but count as imported only in a complete
      // run: importing them again imports them.
      expect((await store.inventoryAsOf(snapshot!.id)).length).toBe(64);
      const hash = (doc: unknown) => createHash('sha256').update(JSON.stringify(doc)).digest('hex');
      expect((await store.importedHashes([hash(machine(0)), hash(machine(63))])).size).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('SIGKILL in the middle of an import with workers', () => {
  it('keeps the file intact and every earlier snapshot as it was; the next import completes', async () => {
    const home = tempDir();
    const db = join(home, 'inventory.db');
    const env = cliEnv(home, { NETCENSUS_IMPORT_WORKERS: '2' });
    const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env, timeoutMs: 120_000 });
    const first = join(home, 'first');
    mkdirSync(first);
    for (let i = 0; i < 20; i++) writeFileSync(join(first, `f-${i}.json`), JSON.stringify(machine(5000 + i)));
    expect((await cli('import', first)).code).toBe(0);
    const before = readState(db);

    const many = join(home, 'many');
    mkdirSync(many);
    const N = 1500;
    for (let i = 0; i < N; i++) writeFileSync(join(many, `m-${String(i).padStart(4, '0')}.json`), JSON.stringify(machine(i, 400)));
    const child = startCli(['--db', db, 'import', many], { cwd: home, env });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    // Killed once a batch has been committed (or after 30 s, on a very slow machine).
    for (let waited = 0; waited < 30_000; waited += 50) {
      await sleep(50);
      if (countRows(db, 'SELECT count(*) AS n FROM records WHERE snapshot_id = 2') > 0) break;
    }
    child.kill('SIGKILL');
    await exited;

    const after = readState(db);
    expect(after.integrity).toBe('ok');
    expect(after.recordHashes.get(1)).toBe(before.recordHashes.get(1));
    expect(after.snapshots[0]).toEqual({ id: 1, status: 'complete' });
    expect(after.snapshots[1], 'killed before it finished').toEqual({ id: 2, status: 'running' });
    expect(after.recordCounts.get(2)).toBeGreaterThan(0);

    const again = await cli('import', many, '--json');
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.status).toBe('complete');
    expect(summary.interruptedEarlier).toEqual([2]);
    const final = readState(db);
    expect(final.integrity).toBe('ok');
    expect(final.assets).toBe(20 + N);
    expect(final.recordCounts.get(summary.snapshotId)).toBe(N);
    // Everything is imported now: a third run finds nothing new.
    const third = await cli('import', many);
    expect(third.stderr).toMatch(/^nothing new: 1500 documents, 0 imported \(0 new assets\), 1500 already imported; no snapshot made$/m);
  }, 240_000);
});
