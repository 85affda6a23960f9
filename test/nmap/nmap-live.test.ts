// The installed nmap against loopback listeners (an SSH banner, an Apache-like HTTP answer): once
// through the interrogator (two hosts, one batch), once through the CLI with --nmap. And nmap absent
// (a PATH without it): one warning, a finished scan, exit 3 only when --nmap was asked for.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Facts } from '../../src/model/index.js';
import { nmapInterrogator } from '../../src/scan/nmap/index.js';
import { findCommand } from '../../src/scan/tools.js';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { pickPort } from '../helpers/listeners.js';
import { describeWhen, needCommand } from '../helpers/prereqs.js';

const A = '127.50.2.1';
const B = '127.50.2.2';
const SSH = pickPort(91);
const HTTP = SSH + 1;

function banner(address: string, port: number, kind: 'ssh' | 'http'): Promise<Server> {
  const server = createServer((s) => {
    s.on('error', () => undefined);
    if (kind === 'ssh') {
      s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');
      s.on('data', () => s.end());
    } else {
      s.once('data', () => s.end('HTTP/1.1 200 OK\r\nDate: Fri, 27 Nov 2026 05:00:00 GMT\r\nServer: Apache/2.4.57 (Debian)\r\nContent-Length: 45\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><title>Apache2 Debian Default Page</title>'));
    }
  });
  return new Promise((resolve) => server.listen(port, address, () => resolve(server)));
}

describeWhen(needCommand('nmap'), 'the installed nmap against loopback listeners', () => {
  const servers: Server[] = [];
  beforeAll(async () => {
    servers.push(await banner(A, SSH, 'ssh'), await banner(A, HTTP, 'http'), await banner(B, SSH, 'ssh'));
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((resolve) => s.close(resolve));
  });

  it('one batch for two hosts: services and versions of each', async () => {
    const nmap = nmapInterrogator({ command: findCommand('nmap')!, privileged: process.getuid?.() === 0, osDetection: false, ports: [SSH, HTTP], batchSize: 8, batchWaitMs: 100, timeoutMs: 60_000 });
    const ctx = { signal: new AbortController().signal, now: () => new Date() };
    const live = (address: string, ports: number[]) => ({
      address,
      discovery: { scanner: 'discover', address, at: '', status: 'ok' as const, facts: { openPorts: { value: ports.map((port) => ({ port, protocol: 'tcp' as const })), source: 'tcp:connect' } } },
    });
    const [a, b] = await Promise.all([nmap.scan(live(A, [SSH, HTTP]), ctx), nmap.scan(live(B, [SSH]), ctx)]);
    expect(a.status).toBe('ok');
    expect(a.facts.nmap!.value.services.map((s) => [s.port, s.name, s.product])).toEqual([
      [SSH, 'ssh', 'OpenSSH'],
      [HTTP, 'http', 'Apache httpd'],
    ]);
    expect(a.facts.nmap!.value.osNote).toBe('OS detection (-O) turned off');
    expect(b.facts.nmap!.value.services.map((s) => [s.port, s.product])).toEqual([[SSH, 'OpenSSH']]);
    expect(a.facts.nmap!.source).toMatch(/^nmap \d+\.\d+ -sV$/);
  }, 90_000);

  it('netcensus scan --nmap: nmap facts stored, services on the open ports, an OS guess from -sV', async () => {
    const home = tempDir();
    // -O as root takes ~20 s on loopback; the recorded fixture covers it.
    writeFileSync(join(home, 'netcensus.yaml'), 'nmap: { enabled: false, osDetection: false }\n');
    const cli = (...args: string[]) => runCli(['--db', join(home, 'inventory.db'), ...args], { cwd: home, env: cliEnv(home), timeoutMs: 120_000 });
    const r = await cli('scan', A, '--ports', `${SSH},${HTTP}`, '--no-dns', '--nmap', '--no-fingerprint', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
    const doc = JSON.parse((await cli('export', '--format', 'json')).stdout) as { assets: { address: string; facts: Facts }[] };
    const facts = doc.assets.find((x) => x.address === A)!.facts;
    expect(facts.nmap!.value.services.map((s) => s.product)).toEqual(['OpenSSH', 'Apache httpd']);
    expect(facts.openPorts!.value).toEqual([
      { port: SSH, protocol: 'tcp', service: 'ssh' },
      { port: HTTP, protocol: 'tcp', service: 'http' },
    ]);
    expect(facts.os).toMatchObject({ value: 'Linux', source: 'nmap -sV', rule: 'classify: nmap-service-ostype' });
  }, 120_000);
});

describe('nmap absent (PATH without it)', () => {
  const home = tempDir();
  const bin = join(home, 'bin');
  let listener: Server;
  const port = pickPort(93);
  beforeAll(async () => {
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    listener = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => listener.listen(port, '127.50.3.1', resolve));
  });
  afterAll(() => new Promise((resolve) => listener.close(resolve)));
  const cli = (...args: string[]) => runCli(['--db', join(home, 'inventory.db'), ...args], { cwd: home, env: cliEnv(home, { PATH: bin }) });

  it('--nmap: one warning, the scan finishes and is stored, exit 3', async () => {
    const r = await cli('scan', '127.50.3.1', '--ports', String(port), '--no-dns');
    const withNmap = await cli('scan', '127.50.3.1', '--ports', String(port), '--no-dns', '--nmap');
    expect(r.code).toBe(0);
    expect(withNmap.code).toBe(3);
    expect(withNmap.stderr).toMatch(/snapshot 2 complete: 1 probed, 1 alive, 1 stored/);
    expect(withNmap.stderr.match(/nmap is not installed/g)).toHaveLength(1);
    expect(withNmap.stderr).toContain('netcensus: warning: nmap is not installed (not on PATH): scanned without OS and service detection');
  });

  it('nmap: true in a profile: the same warning, exit 0', async () => {
    writeFileSync(join(home, 'netcensus.yaml'), 'profiles:\n  deep:\n    nmap: true\n');
    const r = await cli('scan', '127.50.3.1', '--ports', String(port), '--no-dns', '--profile', 'deep');
    expect(r.code).toBe(0);
    expect(r.stderr.match(/nmap is not installed/g)).toHaveLength(1);
  });
});
