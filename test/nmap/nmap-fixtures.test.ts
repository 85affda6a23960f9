// nmap's XML as the project's own runs recorded it (fixtures/nmap, see its README), parsed into
// facts; the interrogator's batching, -O refusal, timeout and missing-binary paths against stand-in
// nmap scripts that replay those recordings.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyDevice } from '../../src/identify/classify-device.js';
import type { Observation } from '../../src/model/index.js';
import { nmapArgs, nmapInterrogator, observationFromReport } from '../../src/scan/nmap/index.js';
import { parseNmapXml } from '../../src/scan/nmap/parse-nmap-xml.js';
import type { LiveHost, ScanContext } from '../../src/scan/scanner.js';
import { tempDir } from '../helpers/cli.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/nmap');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const AT = '2026-01-01T00:00:00.000Z';
const ctx = (signal = new AbortController().signal): ScanContext => ({ signal, now: () => new Date(AT) });
const host = (address: string, ports: number[] = []): LiveHost => ({
  address,
  discovery: {
    scanner: 'discover',
    address,
    at: AT,
    status: 'ok',
    facts: { liveness: [{ method: 'tcp' }], ...(ports.length ? { openPorts: { value: ports.map((port) => ({ port, protocol: 'tcp' as const })), source: 'tcp:connect' } } : {}) },
  },
});

describe('recorded nmap reports', () => {
  it('OS match (root, -sV -O against 127.0.0.1): services, OS matches with accuracy and CPE', () => {
    const report = parseNmapXml(fixture('os-match.xml'));
    expect(report.version).toBe('7.93');
    const h = report.hosts.get('127.0.0.1')!;
    expect(h.facts.services).toEqual([
      { port: 22222, protocol: 'tcp', name: 'ssh', product: 'OpenSSH', version: '9.2p1 Debian 2+deb12u3', extraInfo: 'protocol 2.0', osType: 'Linux', cpe: ['cpe:/a:openbsd:openssh:9.2p1', 'cpe:/o:linux:linux_kernel'] },
      { port: 28080, protocol: 'tcp', name: 'http', product: 'Apache httpd', version: '2.4.57', extraInfo: '(Debian)', cpe: ['cpe:/a:apache:http_server:2.4.57'] },
    ]);
    expect(h.facts.osMatches[0]).toEqual({
      name: 'Linux 5.0 - 5.2',
      accuracy: 97,
      classes: [{ type: 'general purpose', vendor: 'Linux', family: 'Linux', generation: '5.X', accuracy: 97, cpe: ['cpe:/o:linux:linux_kernel:5'] }],
    });
    expect(h.facts.osMatches.map((m) => m.accuracy)).toEqual([...h.facts.osMatches.map((m) => m.accuracy)].sort((a, b) => b - a));
    expect(h.facts.osNote).toBeUndefined();

    const o = observationFromReport(report, '127.0.0.1', AT, null, 'nmap 7.93 -sV -O');
    expect(o.status).toBe('ok');
    expect(o.facts.openPorts).toEqual({ value: [{ port: 22222, protocol: 'tcp', service: 'ssh' }, { port: 28080, protocol: 'tcp', service: 'http' }], source: 'nmap -sV' });
    // The best match is "general purpose": an OS, no type; the webcam at 94% further down is ignored.
    const classified = classifyDevice(o.facts);
    expect(classified.os).toMatchObject({ value: 'Linux 5.0 - 5.2', source: 'nmap -O', rule: 'classify: nmap-os-match' });
    expect(classified.os!.confidence).toBeCloseTo(0.87, 2);
    expect(classified.type).toBeUndefined();
  });

  it('services only (-sV, no -O): a service matched from its Server header', () => {
    const report = parseNmapXml(fixture('services.xml'));
    const s = report.hosts.get('127.50.0.10')!.facts;
    expect(s.services.map((x) => [x.port, x.name, x.product])).toEqual([
      [2222, 'ssh', 'OpenSSH'],
      [8080, 'http-proxy', 'CUPS/2.4 IPP/2.1'],
    ]);
    expect(s.osMatches).toEqual([]);
    const o = observationFromReport(report, '127.50.0.10', AT, 'OS detection (-O) skipped: needs root (running as uid 1000)', 'nmap 7.93 -sV');
    expect(o.facts.nmap!.value.osNote).toBe('OS detection (-O) skipped: needs root (running as uid 1000)');
  });

  it('no match: -O ran but the host had no open port', () => {
    const h = parseNmapXml(fixture('no-match.xml')).hosts.get('127.50.0.99')!;
    expect(h.facts).toEqual({ services: [], osMatches: [], osNote: 'OS detection found no match (no open port to fingerprint)' });
  });

  it('unprivileged batch (connect scan) of two hosts', () => {
    const report = parseNmapXml(fixture('unprivileged-batch.xml'));
    expect([...report.hosts.keys()].sort()).toEqual(['127.50.0.10', '127.50.0.99']);
    expect(report.hosts.get('127.50.0.99')!.facts.services).toEqual([]);
    expect(report.hosts.get('127.50.0.10')!.facts.services.map((s) => s.port)).toEqual([2222, 8080]);
    const missing = observationFromReport(report, '127.50.0.7', AT, null, 'nmap');
    expect(missing).toMatchObject({ status: 'error', detail: 'not in the nmap report' });
  });

  it('unprivileged -O refusal: no XML at all, the reason on stderr', () => {
    expect(fixture('refusal.stdout')).toBe('');
    expect(fixture('refusal.stderr')).toMatch(/requires root privileges/);
    expect(() => parseNmapXml(fixture('refusal.stdout'))).toThrow();
  });

  it('arguments: no shell, addresses checked, ports deduplicated', () => {
    expect(nmapArgs(['127.0.0.1'], [80, 22, 80], true, 10_000)).toEqual(['-oX', '-', '-n', '-Pn', '-T4', '--max-retries', '1', '--host-timeout', '9s', '-sV', '-p', '22,80', '-O', '127.0.0.1']);
    expect(() => nmapArgs(['127.0.0.1;rm -rf /'], [80], false, 1000)).toThrow(/not an IPv4/);
  });
});

/** A stand-in nmap: records its argv, then replays a fixture (or refuses -O, or hangs). */
function fakeNmap(dir: string, body: string): string {
  const path = join(dir, 'nmap');
  writeFileSync(path, `#!/bin/sh\necho "$@" >> "${join(dir, 'argv.log')}"\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('the nmap interrogator', () => {
  const base = { ports: [22, 80], batchSize: 8, batchWaitMs: 50, timeoutMs: 5000 };

  it('batches hosts that arrive together into one nmap run and answers each from the report', async () => {
    const dir = tempDir();
    const command = fakeNmap(dir, `cat "${join(FIXTURES, 'unprivileged-batch.xml')}"`);
    const nmap = nmapInterrogator({ ...base, command, privileged: false, uid: 1000 });
    const [a, b] = await Promise.all([nmap.scan(host('127.50.0.10', [2222, 8080]), ctx()), nmap.scan(host('127.50.0.99'), ctx())]);
    const runs = readFileSync(join(dir, 'argv.log'), 'utf8').trim().split('\n');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/-p 22,80,2222,8080 127\.50\.0\.10 127\.50\.0\.99$/);
    expect(runs[0]).not.toContain('-O');
    expect(a.status).toBe('ok');
    expect(a.facts.nmap!.value.services).toHaveLength(2);
    expect(a.facts.nmap!.value.osNote).toBe('OS detection (-O) skipped: needs root (running as uid 1000)');
    expect(b.status).toBe('ok');
    expect(nmap.warnings()).toEqual(['nmap OS detection (-O) skipped: it needs root (running as uid 1000); services (-sV) still run']);
  });

  it('a batch is full at batchSize and starts without waiting', async () => {
    const dir = tempDir();
    const command = fakeNmap(dir, `cat "${join(FIXTURES, 'unprivileged-batch.xml')}"`);
    const nmap = nmapInterrogator({ ...base, batchSize: 1, batchWaitMs: 60_000, command, privileged: false });
    const started = Date.now();
    await Promise.all([nmap.scan(host('127.50.0.10'), ctx()), nmap.scan(host('127.50.0.99'), ctx())]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(readFileSync(join(dir, 'argv.log'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('when nmap refuses -O, runs again without it and says why', async () => {
    const dir = tempDir();
    const command = fakeNmap(dir, `case " $* " in *" -O "*) cat "${join(FIXTURES, 'refusal.stderr')}" >&2; exit 1;; esac\ncat "${join(FIXTURES, 'services.xml')}"`);
    const nmap = nmapInterrogator({ ...base, command, privileged: true });
    const o = await nmap.scan(host('127.50.0.10', [2222, 8080]), ctx());
    expect(o.status).toBe('ok');
    expect(o.facts.nmap!.value.osNote).toBe('OS detection (-O) skipped: nmap said "TCP/IP fingerprinting (for OS scan) requires root privileges."');
    expect(readFileSync(join(dir, 'argv.log'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(nmap.warnings()[0]).toMatch(/requires root privileges/);
  });

  it('kills a batch that outlives its timeout: its hosts are timeout, never a hang', async () => {
    const dir = tempDir();
    const command = fakeNmap(dir, 'exec sleep 30');
    const nmap = nmapInterrogator({ ...base, timeoutMs: 1000, command, privileged: false });
    const started = Date.now();
    const o: Observation = await nmap.scan(host('127.50.0.10'), ctx());
    expect(Date.now() - started).toBeLessThan(5000);
    expect(o).toMatchObject({ status: 'timeout', detail: 'nmap batch of 1 host(s) killed after 1000 ms' });
    expect(nmap.warnings().some((w) => w.includes('was killed'))).toBe(true);
  });

  it('an nmap that cannot start is an error per host, not a throw', async () => {
    const nmap = nmapInterrogator({ ...base, command: '/nonexistent/nmap', privileged: false });
    const o = await nmap.scan(host('127.50.0.10'), ctx());
    expect(o).toMatchObject({ scanner: 'nmap', status: 'error', detail: 'nmap could not start (ENOENT)' });
  });

  it('an aborted scan stops the running nmap', async () => {
    const dir = tempDir();
    const command = fakeNmap(dir, 'exec sleep 30');
    const nmap = nmapInterrogator({ ...base, timeoutMs: 60_000, command, privileged: false });
    const controller = new AbortController();
    const pending = nmap.scan(host('127.50.0.10'), ctx(controller.signal));
    setTimeout(() => controller.abort(), 300);
    expect(await pending).toMatchObject({ status: 'skipped' });
  });
});
