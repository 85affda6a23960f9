// Hostile SNMP input: agents on loopback that answer with malformed BER, truncated packets, a huge
// OCTET STRING, invalid UTF-8, non-increasing OIDs, an endless table, and answers after the timeout.
// The scan finishes within its budget, records a status for each, and inventories the rest of the
// range (a good agent and hosts without SNMP) as usual.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { pickPort } from '../helpers/listeners.js';
import { startHostileAgent, type Behaviour, type HostileAgent } from './hostile-snmp-agent.js';

const NET = '127.41.0';
const BEHAVIOURS: Behaviour[] = ['malformed', 'truncated', 'huge', 'bad-utf8', 'non-increasing', 'endless', 'slow', 'good'];
const HOST_BUDGET_MS = 3000;
const SNMP_TIMEOUT_MS = 400;

describe('a scan among hostile SNMP agents', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const port = pickPort(41) + 7;
  const agents: HostileAgent[] = [];
  let result: CliResult;
  let elapsedMs = 0;
  const rows = new Map<string, { statuses: Record<string, string>; facts: Record<string, unknown> }>();

  beforeAll(async () => {
    for (const [i, b] of BEHAVIOURS.entries()) agents.push(await startHostileAgent(`${NET}.${i + 1}`, port, b, { slowMs: SNMP_TIMEOUT_MS * 3 }));
    const started = Date.now();
    result = await runCli(
      [
        '--db', db, 'scan', `${NET}.1-20`, '--no-dns', '--no-icmp', '--ports', String(port),
        '--community', 'public', '--snmp-port', String(port), '--snmp-timeout', String(SNMP_TIMEOUT_MS),
        '--host-budget', String(HOST_BUDGET_MS), '--max-duration', '60s', '--json',
      ],
      { cwd: home, env: cliEnv(home), timeoutMs: 90_000 },
    );
    elapsedMs = Date.now() - started;
    const read = new Database(db, { readonly: true });
    for (const r of read.prepare('SELECT address, statuses, facts FROM records WHERE snapshot_id = 1').all() as { address: string; statuses: string; facts: string }[]) {
      rows.set(r.address, { statuses: JSON.parse(r.statuses), facts: JSON.parse(r.facts) });
    }
    read.close();
  });
  afterAll(async () => {
    for (const a of agents) await a.close();
  });

  it('finishes within its budget, complete, and warns about --community on the command line', () => {
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.status).toBe('complete');
    // Every host is interrogated at once: the whole run costs about one host budget, not twenty.
    expect(elapsedMs).toBeLessThan(HOST_BUDGET_MS * 4 + 5000);
    expect(result.stderr).toMatch(/--community on the command line is visible to every local user.*env:VAR or file:PATH/);
    expect(result.stderr).not.toContain('internal error');
    for (const a of agents) expect(a.requests, a.behaviour).toBeGreaterThan(0);
  });

  it('inventories all twenty hosts, and counts SNMP outcomes in the summary', () => {
    expect(rows.size).toBe(20);
    const summary = JSON.parse(result.stdout);
    const snmp = summary.outcomes.byScanner.snmp as Record<string, number>;
    const total = Object.values(snmp).reduce((a, b) => a + b, 0);
    expect(total).toBe(20);
    expect(snmp.ok).toBeGreaterThanOrEqual(5);
    expect(snmp.timeout).toBeGreaterThanOrEqual(12);
  });

  const statusOf = (i: number): string => rows.get(`${NET}.${i}`)!.statuses.snmp!;

  it('records a failure for garbage, truncated and late answers', () => {
    expect(['timeout', 'protocol-error']).toContain(statusOf(1)); // malformed
    expect(['timeout', 'protocol-error']).toContain(statusOf(2)); // truncated
    expect(statusOf(7)).toBe('timeout'); // slow
    for (let i = 9; i <= 20; i++) expect(statusOf(i)).toBe('timeout'); // nothing listens
  });

  it('keeps what a misbehaving agent did say: huge, non-UTF-8, looping and endless answers', () => {
    for (const i of [3, 4, 5, 6, 8]) expect(statusOf(i), BEHAVIOURS[i - 1]).toBe('ok');
    const huge = JSON.stringify(rows.get(`${NET}.3`)!.facts);
    expect(huge).toContain('AAAAAAAAAA');
    const badUtf8 = JSON.stringify(rows.get(`${NET}.4`)!.facts);
    expect(badUtf8).not.toContain('\uFFFD');
    // Not UTF-8: read as Latin-1, whole, rather than with replacement characters.
    expect(badUtf8).toContain('Linux \u00c3(\u00ff\u00fe');
    expect(JSON.stringify(rows.get(`${NET}.8`)!.facts)).toContain('good-agent');
  });

  it('leaves a database that passes integrity_check', () => {
    const read = new Database(db, { readonly: true });
    expect(read.pragma('integrity_check', { simple: true })).toBe('ok');
    read.close();
  });

  it('snmp walk warns about a literal --community too, and not about an env: reference', async () => {
    const good = `${NET}.${BEHAVIOURS.indexOf('good') + 1}`;
    const walk = (community: string, env: NodeJS.ProcessEnv) =>
      runCli(
        ['snmp', 'walk', good, '--community', community, '--snmp-port', String(port), '--snmp-timeout', '1000', '--out', join(home, `walk-${community.length}.snmprec`)],
        { cwd: home, env, timeoutMs: 60_000 },
      );
    const literal = await walk('public', cliEnv(home));
    expect(literal.code, literal.stderr).toBe(0);
    expect(literal.stderr).toMatch(/--community on the command line is visible to every local user/);
    const reference = await walk('env:NC_TEST_COMMUNITY', cliEnv(home, { NC_TEST_COMMUNITY: 'public' }));
    expect(reference.code, reference.stderr).toBe(0);
    expect(reference.stderr).not.toContain('visible to every local user');
  });
});
