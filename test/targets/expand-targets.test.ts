import { describe, it, expect } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import type { TargetSet } from '../../src/model/target.js';
import {
  buildTargetSet,
  countAddresses,
  hostnamesOf,
  intToIp,
  ipToInt,
  iterateAddresses,
} from '../../src/targets/index.js';
import { seededRandom } from '../helpers/random.js';

const NO_LIMIT = { maxHosts: 2 ** 32 };

function set(specs: string[], excludes: string[] = []): TargetSet {
  return buildTargetSet(specs, excludes, NO_LIMIT);
}

function all(s: TargetSet): string[] {
  return [...iterateAddresses(s)];
}

/** Up to `n` values from the front of an iterator, without running it further. */
function take<T>(iterable: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  if (n <= 0) return out;
  for (const value of iterable) {
    out.push(value);
    if (out.length >= n) break;
  }
  return out;
}

describe('countAddresses and iterateAddresses on simple sets', () => {
  it('a /24 is 254 hosts, .1 to .254 in order', () => {
    const s = set(['10.0.0.0/24']);
    expect(countAddresses(s)).toBe(254);
    const addresses = all(s);
    expect(addresses).toHaveLength(254);
    expect(addresses[0]).toBe('10.0.0.1');
    expect(addresses[253]).toBe('10.0.0.254');
  });

  it('a range and a single address', () => {
    expect(all(set(['10.0.0.1-3', '10.0.0.9']))).toEqual([
      '10.0.0.1',
      '10.0.0.2',
      '10.0.0.3',
      '10.0.0.9',
    ]);
  });

  it('a range crossing an octet boundary', () => {
    expect(all(set(['10.0.0.254-10.0.1.1']))).toEqual([
      '10.0.0.254',
      '10.0.0.255',
      '10.0.1.0',
      '10.0.1.1',
    ]);
  });

  it('the top of the address space does not wrap around', () => {
    expect(all(set(['255.255.255.253-255.255.255.255']))).toEqual([
      '255.255.255.253',
      '255.255.255.254',
      '255.255.255.255',
    ]);
  });
});

describe('exclusions', () => {
  it('subtract a whole block, edges included, from the middle of a /24', () => {
    const s = set(['10.0.0.0/24'], ['10.0.0.64/26']); // the /26 is .64-.127
    expect(countAddresses(s)).toBe(254 - 64);
    const addresses = all(s);
    expect(addresses).toContain('10.0.0.63');
    expect(addresses).not.toContain('10.0.0.64');
    expect(addresses).not.toContain('10.0.0.127');
    expect(addresses).toContain('10.0.0.128');
  });

  it('an excluded /24 leaves none of its 256 addresses in a /16', () => {
    const s = set(['10.0.0.0/16'], ['10.0.1.0/24']);
    expect(countAddresses(s)).toBe(65_534 - 256);
    const addresses = all(s);
    expect(addresses).not.toContain('10.0.1.0');
    expect(addresses).not.toContain('10.0.1.255');
    expect(addresses).toContain('10.0.0.255');
    expect(addresses).toContain('10.0.2.0');
  });

  it('yield around an exclusion, keeping order', () => {
    expect(all(set(['10.0.0.0/29'], ['10.0.0.3-4']))).toEqual([
      '10.0.0.1',
      '10.0.0.2',
      '10.0.0.5',
      '10.0.0.6',
    ]);
  });

  it('count overlapping and partly outside exclusions once', () => {
    const s = set(['10.0.0.1-100'], ['10.0.0.90-10.0.0.150', '10.0.0.95-99', '9.255.255.0/24', '10.0.0.1']);
    // Left: .2 to .89
    expect(countAddresses(s)).toBe(88);
    expect(all(s)).toEqual(Array.from({ length: 88 }, (_, i) => `10.0.0.${i + 2}`));
  });

  it('an exclusion covering everything leaves nothing', () => {
    const s = set(['10.0.0.0/24', '10.0.0.7'], ['10.0.0.0/16']);
    expect(countAddresses(s)).toBe(0);
    expect(all(s)).toEqual([]);
  });

  it('an exclusion applies to every spec it touches', () => {
    const s = set(['10.0.0.1-5', '10.0.1.1-5'], ['10.0.0.3-10.0.1.3']);
    expect(all(s)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.1.4', '10.0.1.5']);
    expect(countAddresses(s)).toBe(4);
  });

  it('excluding a hostname is refused', () => {
    expect(() => buildTargetSet(['10.0.0.0/24'], ['printer.example.com'], NO_LIMIT)).toThrow(
      /^exclude "printer\.example\.com": a hostname cannot be excluded/,
    );
  });
});

describe('overlapping specs', () => {
  it('are counted and yielded once', () => {
    const s = set(['10.0.0.0/24', '10.0.0.100-200', '10.0.0.5', '10.0.0.7/24']);
    expect(countAddresses(s)).toBe(254);
    const addresses = all(s);
    expect(addresses).toHaveLength(254);
    expect(new Set(addresses).size).toBe(254);
  });

  it('keep spec order, with only the new part of a later spec', () => {
    // The second spec overlaps the first at .3-.4: only .5 and .6 are new.
    expect(all(set(['10.0.1.0/30', '10.0.0.3-6', '10.0.0.1-4']))).toEqual([
      '10.0.1.1',
      '10.0.1.2',
      '10.0.0.3',
      '10.0.0.4',
      '10.0.0.5',
      '10.0.0.6',
      '10.0.0.1',
      '10.0.0.2',
    ]);
  });

  it('adjacent specs join without gaps or repeats', () => {
    const s = set(['10.0.0.1-3', '10.0.0.4-6', '10.0.0.2-5']);
    expect(all(s)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    expect(countAddresses(s)).toBe(6);
  });
});

describe('hostnames', () => {
  it('count one each, once each regardless of case, and are not yielded as addresses', () => {
    const s = set(['printer.example.com', '10.0.0.1', 'PRINTER.example.com', 'localhost', 'localhost.']);
    expect(hostnamesOf(s)).toEqual(['printer.example.com', 'localhost', 'localhost.']);
    expect(countAddresses(s)).toBe(4);
    expect(all(s)).toEqual(['10.0.0.1']);
  });

  it('are not removed by address exclusions', () => {
    const s = set(['printer.example.com', '10.0.0.1'], ['0.0.0.0/0']);
    expect(countAddresses(s)).toBe(1);
    expect(hostnamesOf(s)).toEqual(['printer.example.com']);
  });
});

describe('large ranges stay lazy', () => {
  it('a /8 counts 16,777,214 without expanding', () => {
    expect(countAddresses(set(['10.0.0.0/8']))).toBe(16_777_214);
    expect(countAddresses(set(['0.0.0.0/0']))).toBe(2 ** 32 - 2);
    expect(countAddresses(set(['0.0.0.0-255.255.255.255']))).toBe(2 ** 32);
    expect(countAddresses(set(['10.0.0.0/8'], ['10.128.0.0/9']))).toBe(2 ** 23 - 1);
  });

  it('takes the first 5 of a /8 at once', () => {
    const started = performance.now();
    const first = take(iterateAddresses(set(['10.0.0.0/8'])), 5);
    const elapsed = performance.now() - started;
    expect(first).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']);
    // Expanding 16M strings takes seconds; a lazy walk takes well under a millisecond.
    expect(elapsed).toBeLessThan(100);
  });

  it('takes the first 5 of the whole IPv4 space, behind a large exclusion, at once', () => {
    const started = performance.now();
    const first = take(iterateAddresses(set(['0.0.0.0/0'], ['0.0.0.0/1', '128.0.0.0-128.0.0.9'])), 5);
    expect(first).toEqual(['128.0.0.10', '128.0.0.11', '128.0.0.12', '128.0.0.13', '128.0.0.14']);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('walks a whole /16 to its last address', () => {
    let count = 0;
    let last = '';
    for (const address of iterateAddresses(set(['172.16.0.0/16']))) {
      count++;
      last = address;
    }
    expect(count).toBe(65_534);
    expect(last).toBe('172.16.255.254');
  });
});

describe('buildTargetSet', () => {
  it('refuses a set larger than maxHosts, with the count', () => {
    expect(() => buildTargetSet(['10.0.0.0/8'], [], { maxHosts: 65536 })).toThrow(
      new UsageError(
        'targets cover 16,777,214 addresses, more than --max-hosts 65536; narrow the targets or raise --max-hosts',
      ),
    );
  });

  it('counts after exclusions and de-duplication against the limit', () => {
    // 2 x /24 overlapping = 254, plus one host = 255; minus 10 excluded = 245.
    const specs = ['10.0.0.0/24', '10.0.0.0/25', 'nas.example.com'];
    expect(() => buildTargetSet(specs, [], { maxHosts: 254 })).toThrow(/cover 255 addresses/);
    expect(buildTargetSet(specs, [], { maxHosts: 255 }).specs).toHaveLength(3);
    expect(() => buildTargetSet(specs, ['10.0.0.1-10'], { maxHosts: 244 })).toThrow(/cover 245 addresses/);
    expect(countAddresses(buildTargetSet(specs, ['10.0.0.1-10'], { maxHosts: 245 }))).toBe(245);
  });

  it('keeps the parsed specs and excludes in order', () => {
    const s = buildTargetSet(['10.0.0.1', 'localhost'], ['10.0.0.1'], NO_LIMIT);
    expect(s.specs.map((t) => t.kind)).toEqual(['range', 'hostname']);
    expect(s.excludes).toEqual([
      { kind: 'range', spec: '10.0.0.1', first: ipToInt('10.0.0.1'), last: ipToInt('10.0.0.1') },
    ]);
  });

  it('passes on the parse error of a bad target', () => {
    expect(() => buildTargetSet(['10.0.0.1', '10.0.0.0/33'], [], NO_LIMIT)).toThrow(/^target "10\.0\.0\.0\/33"/);
  });

  it('refuses an empty target list and a nonsensical limit', () => {
    expect(() => buildTargetSet([], [], NO_LIMIT)).toThrow(/no targets given/);
    expect(() => buildTargetSet(['10.0.0.1'], [], { maxHosts: Number.NaN })).toThrow(/--max-hosts/);
    expect(() => buildTargetSet(['10.0.0.1'], [], { maxHosts: 0 })).toThrow(/--max-hosts/);
  });
});

describe('count and iteration agree with a brute-force model', () => {
  const rng = seededRandom;

  // Specs fall in 10.0.0.0-10.0.7.255 so they overlap often; the model lists addresses one by one.
  const BASE = ipToInt('10.0.0.0');
  const SPAN = 2048;

  function randomSpec(
    int: (n: number) => number,
    role: 'target' | 'exclude',
  ): { text: string; members: number[] } {
    const at = BASE + int(SPAN);
    const kind = int(4);
    if (kind === 0) return { text: intToIp(at), members: [at] };
    if (kind === 1) {
      const prefix = 21 + int(12); // /21 .. /32
      const size = 2 ** (32 - prefix);
      const network = at - (at % size);
      const members: number[] = [];
      for (let n = network; n < network + size; n++) {
        const edge = n === network || n === network + size - 1;
        // Targets leave out network and broadcast of blocks up to /30; excludes take the block whole.
        if (role === 'exclude' || prefix > 30 || !edge) members.push(n);
      }
      return { text: `${intToIp(at)}/${prefix}`, members };
    }
    if (kind === 2) {
      const last = Math.min(at + int(300), BASE + SPAN - 1);
      const members: number[] = [];
      for (let n = at; n <= last; n++) members.push(n);
      return { text: `${intToIp(at)}-${intToIp(last)}`, members };
    }
    const lastOctet = (at % 256) + int(256 - (at % 256));
    const members: number[] = [];
    for (let n = at; n <= at - (at % 256) + lastOctet; n++) members.push(n);
    return { text: `${intToIp(at)}-${lastOctet}`, members };
  }

  it('on 300 random sets (seed 20251231)', () => {
    const rand = rng(20251231);
    const int = (n: number) => Math.floor(rand() * n);
    let nonEmpty = 0;
    for (let trial = 0; trial < 300; trial++) {
      const specs = Array.from({ length: 1 + int(6) }, () => randomSpec(int, 'target'));
      const excludes = Array.from({ length: int(4) }, () => randomSpec(int, 'exclude'));

      const excluded = new Set(excludes.flatMap((e) => e.members));
      const expected: number[] = [];
      const seen = new Set<number>();
      for (const spec of specs) {
        for (const n of spec.members) {
          if (excluded.has(n) || seen.has(n)) continue;
          seen.add(n);
          expected.push(n);
        }
      }

      const s = set(
        specs.map((x) => x.text),
        excludes.map((x) => x.text),
      );
      const context = `specs ${specs.map((x) => x.text).join(' ')} excludes ${excludes.map((x) => x.text).join(' ')}`;
      expect(all(s).map(ipToInt), context).toEqual(expected);
      expect(countAddresses(s), context).toBe(expected.length);
      if (expected.length > 0) nonEmpty++;
    }
    // Guard against a generator that only ever produces empty sets.
    expect(nonEmpty).toBeGreaterThan(200);
  });
});
