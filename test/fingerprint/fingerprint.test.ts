// The cheap fingerprint probes against responders the test runs on loopback (HTTP with and without
// TLS, mDNS, SSDP with its description, NetBIOS), their answers classified, and the same through
// the built CLI with the probe ports set in the config file.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDevice } from '../../src/identify/classify-device.js';
import type { Facts, Observation } from '../../src/model/index.js';
import { fingerprintInterrogator, type FingerprintOptions } from '../../src/scan/fingerprint/index.js';
import type { LiveHost } from '../../src/scan/scanner.js';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { pickPort } from '../helpers/listeners.js';
import { httpResponder, mdnsResponder, netbiosResponder, ssdpResponder, type Closer } from './responders.js';

const PRINTER = '127.50.1.1';
const ROUTER = '127.50.1.2';
const WINDOWS = '127.50.1.3';
const REDIRECT = '127.50.1.4';
const TLS_HOST = '127.50.1.5';
const base = pickPort(88);
const P = { http: base, tlsPlain: base + 1, mdns: base + 2, ssdp: base + 3, desc: base + 4, netbios: base + 5, tls: base + 6 };
const AT = '2026-01-01T00:00:00.000Z';

const options: FingerprintOptions = {
  timeoutMs: 800,
  ports: [],
  sweptPorts: [],
  httpPorts: [
    { port: P.http, tls: false },
    { port: P.tlsPlain, tls: true },
    { port: P.tls, tls: true },
  ],
  mdnsPort: P.mdns,
  ssdpPort: P.ssdp,
  netbiosPort: P.netbios,
};

function host(address: string, ports: number[]): LiveHost {
  const discovery: Observation = {
    scanner: 'discover',
    address,
    at: AT,
    status: 'ok',
    facts: { liveness: [{ method: 'tcp' }], ...(ports.length ? { openPorts: { value: ports.map((port) => ({ port, protocol: 'tcp' as const })), source: 'tcp:connect' } } : {}) },
  };
  return { address, discovery };
}

const ctx = { signal: new AbortController().signal, now: () => new Date(AT) };
const DESCRIPTION = `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>FRITZ!Box 7590</friendlyName>
<manufacturer>AVM Berlin</manufacturer><modelName>FRITZ!Box 7590</modelName><modelNumber>avm</modelNumber></device></root>`;

describe('fingerprint probes against loopback responders', () => {
  const closers: Closer[] = [];
  let https: HttpsServer | null = null;

  beforeAll(async () => {
    closers.push(
      await httpResponder(PRINTER, P.http, () => ({ headers: { Server: 'HP HTTP Server; HP LaserJet Pro M404dn' }, body: '<html><head><title>HP LaserJet Pro M404dn &amp; friends</title></head></html>' })),
      // "443" that speaks plain HTTP, as in the lab: TLS fails, plain answers.
      await httpResponder(PRINTER, P.tlsPlain, () => ({ body: '<title>plain on a TLS port</title>' })),
      await mdnsResponder(PRINTER, P.mdns, { '_ipp._tcp.local': { instance: 'Office Printer._ipp._tcp.local', txt: ['ty=HP LaserJet Pro M404dn', 'rp=ipp/print'] } }, 'npi1a2b3c.local'),
      await ssdpResponder(ROUTER, P.ssdp, `http://${ROUTER}:${P.desc}/desc.xml`, 'FRITZ!Box UPnP/1.0 AVM FRITZ!Box 7590'),
      await httpResponder(ROUTER, P.desc, (path) => (path === '/desc.xml' ? { headers: { 'Content-Type': 'text/xml' }, body: DESCRIPTION } : { status: 404, body: '' })),
      await netbiosResponder(WINDOWS, P.netbios, [
        { name: 'DESKTOP-AB12', suffix: 0x00, group: false },
        { name: 'WORKGROUP', suffix: 0x00, group: true },
        { name: 'DESKTOP-AB12', suffix: 0x20, group: false },
      ], [0x00, 0x15, 0x5d, 0x01, 0x02, 0x03]),
      await httpResponder(REDIRECT, P.http, () => ({ status: 302, headers: { Location: 'http://192.0.2.1/login' }, body: '' })),
    );
    const dir = tempDir();
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=netcensus-test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    if (made.status === 0) {
      https = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
        res.writeHead(200, { Server: 'Apache', 'Content-Type': 'text/html' });
        res.end('<title>Synology DiskStation</title>');
      });
      await new Promise<void>((resolve) => https!.listen(P.tls, TLS_HOST, resolve));
    }
  });

  afterAll(async () => {
    for (const c of closers) await c.close();
    if (https) await new Promise((resolve) => https!.close(resolve));
  });

  const scan = (address: string, ports: number[]) => fingerprintInterrogator(options).scan(host(address, ports), ctx);

  it('printer: HTTP title and Server (TLS tried first, plain after), mDNS services, classified with evidence', async () => {
    const o = await scan(PRINTER, [P.http, P.tlsPlain]);
    expect(o.status).toBe('ok');
    const fp = o.facts.fingerprint!.value;
    expect(fp.http).toEqual([
      { port: P.http, tls: false, status: 200, title: 'HP LaserJet Pro M404dn & friends', server: 'HP HTTP Server; HP LaserJet Pro M404dn' },
      { port: P.tlsPlain, tls: false, status: 200, title: 'plain on a TLS port' },
    ]);
    expect(fp.mdns).toEqual({ services: ['_ipp._tcp.local'], instances: ['Office Printer._ipp._tcp.local'], hostname: 'npi1a2b3c.local', txt: ['ty=HP LaserJet Pro M404dn', 'rp=ipp/print'] });
    expect(o.facts.hostnames).toEqual([{ value: 'npi1a2b3c.local', source: 'mdns:PTR' }]);
    const facts = classifyDevice(o.facts);
    expect(facts.type).toMatchObject({ value: 'printer', rule: 'classify: printer-http-title + printer-mdns' });
    expect(facts.type!.confidence).toBeGreaterThan(0.9);
    expect(facts.guesses![0]!.evidence).toEqual([
      `HTTP title "HP LaserJet Pro M404dn & friends" (port ${P.http}) [printer-http-title]`,
      'mDNS announces _ipp._tcp.local [printer-mdns]',
    ]);
  });

  it('router: SSDP answer and its device description from the same host', async () => {
    const o = await scan(ROUTER, []);
    expect(o.facts.fingerprint!.value.ssdp).toEqual({
      server: 'FRITZ!Box UPnP/1.0 AVM FRITZ!Box 7590',
      location: `http://${ROUTER}:${P.desc}/desc.xml`,
      deviceType: 'urn:schemas-upnp-org:device:InternetGatewayDevice:1',
      friendlyName: 'FRITZ!Box 7590',
      manufacturer: 'AVM Berlin',
      modelName: 'FRITZ!Box 7590',
      modelNumber: 'avm',
    });
    const facts = classifyDevice(o.facts);
    expect(facts.type).toMatchObject({ value: 'router', source: 'ssdp' });
    expect(facts.vendor).toMatchObject({ value: 'AVM Berlin', rule: 'classify: ssdp-manufacturer' });
  });

  it('Windows PC: NetBIOS names and MAC; a weak OS guess is kept as a guess, not set', async () => {
    const o = await scan(WINDOWS, []);
    expect(o.facts.fingerprint!.value.netbios).toEqual({
      names: [
        { name: 'DESKTOP-AB12', suffix: 0, group: false },
        { name: 'WORKGROUP', suffix: 0, group: true },
        { name: 'DESKTOP-AB12', suffix: 0x20, group: false },
      ],
      mac: '00:15:5d:01:02:03',
    });
    expect(o.facts.hostnames).toEqual([{ value: 'desktop-ab12', source: 'netbios:NBSTAT' }]);
    expect(o.facts.macs).toEqual([{ value: '00:15:5d:01:02:03', source: 'netbios:NBSTAT' }]);
    const facts = classifyDevice({ ...o.facts, openPorts: { value: [{ port: 445, protocol: 'tcp' }, { port: 139, protocol: 'tcp' }], source: 'tcp:connect' } });
    expect(facts.os).toMatchObject({ value: 'Windows', rule: 'classify: os-windows-smb + os-windows-netbios' });
    expect(classifyDevice(o.facts).os).toBeUndefined();
    expect(classifyDevice(o.facts).guesses).toEqual([{ field: 'os', value: 'Windows', confidence: 0.3, evidence: ['answers NetBIOS as DESKTOP-AB12 [os-windows-netbios]'] }]);
  });

  it('a redirect is recorded, not followed', async () => {
    const o = await scan(REDIRECT, [P.http]);
    expect(o.facts.fingerprint!.value.http).toEqual([{ port: P.http, tls: false, status: 302, location: 'http://192.0.2.1/login' }]);
  });

  it('TLS: the title is read with certificate checks off', async (t) => {
    if (!https) return t.skip();
    const o = await scan(TLS_HOST, [P.tls]);
    expect(o.facts.fingerprint!.value.http).toEqual([{ port: P.tls, tls: true, status: 200, title: 'Synology DiskStation', server: 'Apache' }]);
    expect(classifyDevice(o.facts).type).toMatchObject({ value: 'nas' });
  });

  it('a host with nothing to say: ok with no facts, quickly', async () => {
    const started = Date.now();
    const o = await scan('127.50.1.9', []);
    expect(o).toMatchObject({ scanner: 'fingerprint', status: 'ok', facts: {} });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('through the CLI: the probe ports from the config, types in the inventory', async () => {
    const home = tempDir();
    writeFileSync(
      join(home, 'netcensus.yaml'),
      `fingerprint:\n  timeoutMs: 800\n  httpPorts: [{ port: ${P.http}, tls: false }, { port: ${P.tlsPlain}, tls: true }]\n  mdnsPort: ${P.mdns}\n  ssdpPort: ${P.ssdp}\n  netbiosPort: ${P.netbios}\n`,
    );
    const cli = (...args: string[]) => runCli(['--db', join(home, 'inventory.db'), ...args], { cwd: home, env: cliEnv(home) });
    const scanned = await cli('scan', `${PRINTER}-${WINDOWS}`, '--ports', `${P.http},${P.tlsPlain}`, '--no-dns', '--timeout', '500');
    expect(scanned.code, scanned.stderr).toBe(0);
    const assets = JSON.parse((await cli('assets', '--json')).stdout).assets as { address: string; type: string | null; hostname: string | null; vendor: string | null }[];
    const by = new Map(assets.map((a) => [a.address, a]));
    expect(by.get(PRINTER)).toMatchObject({ type: 'printer' });
    expect(by.get(ROUTER)).toMatchObject({ type: 'router', vendor: 'AVM Berlin' });
    expect(by.get(WINDOWS)).toMatchObject({ hostname: 'desktop-ab12' });
    const exported = JSON.parse((await cli('export', '--format', 'json')).stdout) as { assets: { address: string; facts: Facts }[] };
    const printer = exported.assets.find((a) => a.address === PRINTER)!;
    expect(printer.facts.type).toMatchObject({ value: 'printer', source: `http:${P.http}, mdns` });
    expect(printer.facts.guesses![0]).toMatchObject({ field: 'type', value: 'printer' });
  });
});
