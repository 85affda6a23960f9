// fping started ahead of its sweep (icmp/index.ts pingAhead), with the real fping on loopback: the
// answers that came before the sweep took it over are handed over when it does, then each new one
// as it comes, and the result is fping's own.
import { describe, expect, it } from 'vitest';
import { pingAhead, type PingOptions } from '../../src/scan/discover/icmp/index.js';
import { findTools } from '../../src/scan/tools.js';
import { describeWhen, needCommand } from '../helpers/prereqs.js';

const ADDRESSES = ['127.0.0.1', '127.62.0.1', '127.62.0.2'];

function options(signal: AbortSignal): PingOptions {
  return { fping: findTools().fping, ping: null, timeoutMs: 500, intervalMs: 1, retries: 1, signal };
}

describeWhen(needCommand('fping'), 'fping started ahead of its sweep', () => {
  it('hands over the answers that came before it was taken, then resolves as fping ended', async () => {
    const ahead = pingAhead([...ADDRESSES], options(new AbortController().signal));
    expect(ahead.addresses).toEqual(ADDRESSES);
    expect(ahead.startedAt).toBeLessThanOrEqual(performance.now());
    // Long enough for fping to have answered on loopback and exited.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const answers: string[] = [];
    const result = ahead.take((address, rttMs) => {
      expect(rttMs).toBeGreaterThanOrEqual(0);
      answers.push(address);
    });
    // Held answers come during take itself.
    expect([...answers].sort()).toEqual([...ADDRESSES].sort());
    expect(await result).toEqual({ ok: true });
    expect(() => ahead.take(() => undefined)).toThrow(/already taken/);
    // Dropping one already taken changes nothing.
    ahead.drop();
  });

  it('taken at once, gets every answer as it comes', async () => {
    const ahead = pingAhead([...ADDRESSES], options(new AbortController().signal));
    const answers: string[] = [];
    const result = await ahead.take((address) => answers.push(address));
    expect(result).toEqual({ ok: true });
    expect([...answers].sort()).toEqual([...ADDRESSES].sort());
  });

  it('dropped before it was taken, or aborted, stops fping before it pings: no answer, no failure', async () => {
    // The kill (SIGTERM, sent at once) reaches fping while it is still starting, before it has
    // read its list from stdin.
    const dropped = pingAhead([...ADDRESSES], options(new AbortController().signal));
    dropped.drop();
    const late: string[] = [];
    expect(await dropped.take((a) => late.push(a))).toEqual({ ok: true });
    const controller = new AbortController();
    const aborted = pingAhead([...ADDRESSES], options(controller.signal));
    controller.abort();
    expect(await aborted.take((a) => late.push(a))).toEqual({ ok: true });
    // Asked for once the run was already stopped: no fping at all.
    const stopped = pingAhead([...ADDRESSES], options(controller.signal));
    expect(await stopped.take((a) => late.push(a))).toEqual({ ok: true });
    expect(late).toEqual([]);
  });
});

describe('fping started ahead, without fping', () => {
  it('pings nothing and resolves', async () => {
    const ahead = pingAhead([...ADDRESSES], { ...options(new AbortController().signal), fping: null });
    const answers: string[] = [];
    expect(await ahead.take((a) => answers.push(a))).toEqual({ ok: true });
    expect(answers).toEqual([]);
  });
});
