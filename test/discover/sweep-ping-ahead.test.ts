// The sweep taking over the fping its discoverer started ahead (SweepDiscoverer.pingAhead), with the
// real fping on loopback. Loopback is no local segment, so the test gives the sweep one: 127.63.0.0/24
// on `lo`, where every address answers ICMP and the neighbour table has nothing (no MACs). fping runs
// through a wrapper that logs each start and the addresses it was given.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Observation } from '../../src/model/index.js';
import { sweepDiscoverer, type SweepOptions } from '../../src/scan/discover/index.js';
import { dottedToInt } from '../../src/scan/discover/ip-int.js';
import { findTools } from '../../src/scan/tools.js';
import { tempDir } from '../helpers/cli.js';
import { describeWhen, needCommand } from '../helpers/prereqs.js';

const NET = '127.63.0';

describeWhen(needCommand('fping'), 'the sweep and the fping started ahead of it', () => {
  const dir = tempDir();
  const log = join(dir, 'fping.log');
  const wrapper = join(dir, 'fping');
  writeFileSync(wrapper, `#!/bin/sh\necho start >> '${log}'\ntee -a '${log}' | '${findTools().fping}' "$@"\n`);
  chmodSync(wrapper, 0o755);

  function options(expectedAddresses: number): SweepOptions {
    return {
      ports: [],
      connectTimeoutMs: 300,
      concurrency: 16,
      rate: 2000,
      icmp: true,
      icmpTimeoutMs: 500,
      arp: true,
      arpWaitMs: 500,
      arpScan: false,
      surveyPorts: false,
      secondPass: 'never',
      communities: [],
      snmpVersion: 'v2c',
      snmpPort: 161,
      snmpTimeoutMs: 300,
      tools: { fping: wrapper, ping: null, ip: null, nmap: null, arpScan: null },
      expectedAddresses,
      segments: [{ device: 'lo', own: `${NET}.254`, ownMac: null, network: dottedToInt(`${NET}.0`), mask: 0xffffff00 }],
      limits: { gcThresh3: 1024, wmemMax: 212_992 },
    };
  }

  /** Each fping start, with the addresses it was given. */
  function starts(): string[][] {
    if (!existsSync(log)) return [];
    return readFileSync(log, 'utf8').split('start\n').slice(1).map((chunk) => chunk.split('\n').filter(Boolean));
  }

  async function sweep(ahead: string[], fed: string[], expected = fed.length): Promise<{ found: Map<string, Observation>; fpingStarts: string[][] }> {
    writeFileSync(log, '');
    const discoverer = sweepDiscoverer(options(expected));
    const controller = new AbortController();
    discoverer.pingAhead(ahead, controller.signal);
    // Long enough for fping to answer on loopback before the sweep takes it over.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const found = new Map<string, Observation>();
    for await (const o of discoverer.sweep(fed, { signal: controller.signal, now: () => new Date() })) found.set(o.address, o);
    return { found, fpingStarts: starts() };
  }

  const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${NET}.${from + i}`);

  it('takes over the fping started ahead: one fping, every answer, the ones that came before it took over included', async () => {
    const addresses = range(1, 20);
    const { found, fpingStarts } = await sweep(addresses, addresses);
    expect(fpingStarts).toEqual([addresses]);
    expect([...found.keys()].sort()).toEqual([...addresses].sort());
    for (const o of found.values()) {
      expect(o.status, o.address).toBe('ok');
      expect((o.facts.liveness ?? []).map((l) => l.method), o.address).toEqual(['icmp']);
    }
  });

  it('gives an address that joined later (a hostname\'s) an fping of its own', async () => {
    const ahead = range(1, 10);
    const { found, fpingStarts } = await sweep(ahead, [...ahead, `${NET}.77`]);
    expect(fpingStarts).toEqual([ahead, [`${NET}.77`]]);
    expect(found.get(`${NET}.77`)?.status).toBe('ok');
    expect(found.size).toBe(11);
  });

  it('starts nothing ahead on a range too large to ping first, or with ICMP turned off', async () => {
    for (const o of [options(4096), { ...options(5), icmp: false }]) {
      writeFileSync(log, '');
      const stop = sweepDiscoverer(o).pingAhead(range(1, 5), new AbortController().signal);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(starts()).toEqual([]);
      stop();
    }
  });
});
