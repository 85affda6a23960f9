// Optional OS and service enrichment through nmap (`--nmap`, or `nmap: true` in a profile).
//
// Sends: whatever nmap sends. One `nmap -oX - -n -Pn -T4 -sV -p PORTS [-O] ADDR...` per batch of
// live hosts: the pipeline hands hosts over one at a time, so hosts are collected for `batchWaitMs`
// or until `batchSize` are waiting, then one nmap run serves them all and each host's promise is
// resolved from the parsed XML. Ports: the open ports discovery found on the batch's hosts, plus
// the short list when a host has none or OS detection runs (-O wants a closed port too).
// Caveats: -O needs raw sockets, so it runs only as root; unprivileged, the facts say it was skipped
// and why. nmap's -sV leaves 9100-9107 alone by default (printers print what is sent there). A batch
// that outlives `timeoutMs` is killed and its hosts are `timeout`; nmap missing is `error` per host
// (the CLI warns once before the scan and does not add this scanner at all).
import pLimit from 'p-limit';
import type { NmapFacts, Observation, OpenPort, ScanStatus } from '../../model/index.js';
import type { Interrogator, LiveHost, ScanContext } from '../scanner.js';
import { parseNmapXml, type NmapReport } from './parse-nmap-xml.js';
import { runNmap, type NmapRun } from './run-nmap.js';

export interface NmapOptions {
  /** The nmap executable (a path from findTools). */
  command: string;
  /** Whether -O may run: nmap needs raw sockets for it (root). */
  privileged: boolean;
  /** Run -O when privileged (default true). */
  osDetection?: boolean;
  /** Ports for hosts whose open ports discovery did not find. */
  ports: number[];
  /** Hosts per nmap run at most. */
  batchSize: number;
  /** How long the first waiting host waits for others before its batch starts. */
  batchWaitMs: number;
  /** Wall-clock limit of one nmap run; the child is killed past it. */
  timeoutMs: number;
  /** nmap processes at once. */
  maxRuns?: number;
  /** Who we run as, for the note when -O is skipped. */
  uid?: number | null;
}

export interface NmapInterrogator extends Interrogator {
  /** Things the user should hear once (OS detection skipped, batches killed). */
  warnings(): string[];
}

interface Waiting {
  host: LiveHost;
  resolve: (observation: Observation) => void;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** nmap's arguments for one batch. Addresses are checked to be IPv4 literals: nothing else reaches argv. */
export function nmapArgs(addresses: string[], ports: number[], os: boolean, timeoutMs: number): string[] {
  for (const a of addresses) if (!IPV4.test(a)) throw new Error(`nmap: not an IPv4 address: ${a}`);
  const hostTimeout = Math.max(1, Math.floor((timeoutMs * 0.9) / 1000));
  return [
    '-oX', '-', '-n', '-Pn', '-T4', '--max-retries', '1', '--host-timeout', `${hostTimeout}s`,
    '-sV', '-p', [...new Set(ports)].sort((a, b) => a - b).join(','),
    ...(os ? ['-O'] : []),
    ...addresses,
  ];
}

/** The observation of one host from a parsed report (pure; the fixture tests use it directly). */
export function observationFromReport(report: NmapReport, address: string, at: string, osNote: string | null, source: string): Observation {
  const host = report.hosts.get(address);
  if (!host) return { scanner: 'nmap', address, at, status: 'error', facts: {}, detail: 'not in the nmap report' };
  const facts: NmapFacts = { ...host.facts, services: host.facts.services, osMatches: host.facts.osMatches };
  if (osNote) facts.osNote = osNote;
  const open: OpenPort[] = facts.services.map((s) => ({ port: s.port, protocol: s.protocol, ...(s.name ? { service: s.name } : {}) }));
  const status: ScanStatus = host.timedOut ? 'timeout' : 'ok';
  return {
    scanner: 'nmap',
    address,
    at,
    status,
    facts: {
      nmap: { value: facts, source },
      ...(open.length > 0 ? { openPorts: { value: open, source: 'nmap -sV' } } : {}),
    },
    ...(host.timedOut ? { detail: 'nmap --host-timeout: partial results' } : {}),
  };
}

export function nmapInterrogator(options: NmapOptions): NmapInterrogator {
  const osWanted = options.osDetection ?? true;
  const limit = pLimit(Math.max(1, options.maxRuns ?? 2));
  const warnings: string[] = [];
  const warnOnce = (w: string): void => {
    if (!warnings.includes(w)) warnings.push(w);
  };
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;
  /** Set when nmap refused -O although we thought we could: later batches skip it. */
  let osRefused: string | null = null;
  if (osWanted && !options.privileged) {
    warnOnce(`nmap OS detection (-O) skipped: it needs root (running as uid ${options.uid ?? 'unknown'}); services (-sV) still run`);
  }

  const osNoteFor = (ranOs: boolean): string | null => {
    if (ranOs) return null;
    if (!osWanted) return 'OS detection (-O) turned off';
    if (!options.privileged) return `OS detection (-O) skipped: needs root (running as uid ${options.uid ?? 'unknown'})`;
    return `OS detection (-O) skipped: ${osRefused ?? 'refused by nmap'}`;
  };

  const runBatch = async (batch: Waiting[], ctx: ScanContext): Promise<void> => {
    const addresses = [...new Set(batch.map((w) => w.host.address))];
    const known = new Set<number>();
    let someUnknown = false;
    for (const w of batch) {
      const open = (w.host.discovery.facts.openPorts?.value ?? []).filter((p) => p.protocol === 'tcp');
      if (open.length === 0) someUnknown = true;
      for (const p of open) known.add(p.port);
    }
    let os = osWanted && options.privileged && osRefused === null;
    const ports = (): number[] => [...known, ...(someUnknown || os ? options.ports : [])];
    let run: NmapRun = await runNmap(options.command, nmapArgs(addresses, ports(), os, options.timeoutMs), options.timeoutMs, ctx.signal);
    if (os && run.code !== 0 && /requires root privileges/i.test(run.stderr)) {
      // Root without CAP_NET_RAW (a container), or a setuid wrapper: try again without -O.
      osRefused = `nmap said "${firstLine(run.stderr)}"`;
      warnOnce(`nmap OS detection (-O) skipped: ${osRefused}`);
      os = false;
      run = await runNmap(options.command, nmapArgs(addresses, ports(), os, options.timeoutMs), options.timeoutMs, ctx.signal);
    }
    const at = ctx.now().toISOString();
    const fail = (status: ScanStatus, detail: string): void => {
      for (const w of batch) w.resolve({ scanner: 'nmap', address: w.host.address, at, status, facts: {}, detail });
    };
    if (run.spawnError) return fail('error', `nmap could not start (${run.spawnError.code ?? run.spawnError.message})`);
    if (run.killed === 'aborted') return fail('skipped', 'scan stopped before nmap finished');
    if (run.killed === 'timeout') {
      warnOnce(`nmap: a batch took longer than ${options.timeoutMs} ms and was killed; its hosts have no nmap facts`);
      return fail('timeout', `nmap batch of ${addresses.length} host(s) killed after ${options.timeoutMs} ms`);
    }
    let report: NmapReport;
    try {
      report = parseNmapXml(run.stdout);
    } catch {
      return fail('error', `nmap exited ${run.code}: ${firstLine(run.stderr) || 'no XML report'}`.slice(0, 200));
    }
    const source = `nmap${report.version ? ' ' + report.version : ''} -sV${os ? ' -O' : ''}`;
    const note = osNoteFor(os);
    for (const w of batch) w.resolve(observationFromReport(report, w.host.address, at, note, source));
  };

  const flush = (ctx: ScanContext): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    void limit(() => runBatch(batch, ctx)).catch((error: unknown) => {
      const at = ctx.now().toISOString();
      for (const w of batch) w.resolve({ scanner: 'nmap', address: w.host.address, at, status: 'error', facts: {}, detail: String((error as Error).message ?? error).slice(0, 200) });
    });
  };

  return {
    name: 'nmap',
    describe: `nmap -sV${osWanted && options.privileged ? ' -O' : ''} in batches of up to ${options.batchSize} hosts (${options.command})`,
    warnings: () => [...warnings],
    scan(host: LiveHost, ctx: ScanContext): Promise<Observation> {
      if (ctx.signal.aborted) {
        return Promise.resolve({ scanner: 'nmap', address: host.address, at: ctx.now().toISOString(), status: 'skipped', facts: {}, detail: 'scan stopped' });
      }
      return new Promise((resolve) => {
        waiting.push({ host, resolve });
        if (waiting.length >= options.batchSize) flush(ctx);
        else timer ??= setTimeout(() => flush(ctx), options.batchWaitMs);
      });
    },
  };
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}
