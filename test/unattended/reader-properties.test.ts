// Property tests of the readers that take input from outside: the target parser, the snmprec reader
// and the import document reader. Whatever the input, each answers (a value, or a UsageError / a
// list of problems) and never throws anything else; what it accepts it reads faithfully. Bounded
// runs with a fixed seed (NETCENSUS_FC_SEED to vary), so CI stays fast and repeatable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/config/duration.js';
import { UsageError } from '../../src/model/index.js';
import { parseDocument } from '../../src/scan/local/document.js';
import { formatSnmprec, parseSnmprec } from '../../src/scan/snmp/snmprec.js';
import { compareOids } from '../../src/scan/snmp/transport.js';
import { buildTargetSet, countAddresses, intToIp, parseExcludeSpec, parseTargetList, parseTargetSpec } from '../../src/targets/index.js';

const SEED = Number(process.env.NETCENSUS_FC_SEED ?? 7);
const params = (numRuns: number) => ({ numRuns, seed: SEED });

/** Runs `f`; true when it returned or threw a UsageError, and rethrows anything else. */
function answersOrRefuses(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (error) {
    if (error instanceof UsageError) return true;
    throw error;
  }
}

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
/** Text that looks like targets: digits, dots, dashes, slashes, letters, and some noise. */
const targetish = fc.stringMatching(/^[0-9./\-a-z:, \t\u00e9\u0000]{0,40}$/);

describe('target parser', () => {
  it('never throws anything but a one-line UsageError, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), targetish), (text) => {
        expect(answersOrRefuses(() => parseTargetSpec(text))).toBe(true);
        expect(answersOrRefuses(() => parseExcludeSpec(text))).toBe(true);
        expect(answersOrRefuses(() => parseTargetList(text, 'targets.txt'))).toBe(true);
        try {
          parseTargetSpec(text);
        } catch (error) {
          expect((error as Error).message).not.toContain('\n');
        }
      }),
      params(2000),
    );
  });

  it('reads a CIDR block as the block, without network and broadcast from /30 and wider', () => {
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 8, max: 32 }), (address, prefix) => {
        const spec = parseTargetSpec(`${address}/${prefix}`);
        expect(spec.kind).toBe('range');
        if (spec.kind !== 'range') return;
        const size = 2 ** (32 - prefix);
        const expected = prefix <= 30 ? size - 2 : size;
        expect(spec.last - spec.first + 1).toBe(expected);
        const n = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
        const base = n - (n % size);
        expect(spec.first).toBe(prefix <= 30 ? base + 1 : base);
      }),
      params(500),
    );
  });

  it('reads a range a-b as exactly its addresses, and excluding all of it leaves nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 5000 }), (first, span) => {
        const last = Math.min(2 ** 32 - 1, first + span);
        const text = `${intToIp(first)}-${intToIp(last)}`;
        const spec = parseTargetSpec(text);
        expect(spec).toMatchObject({ kind: 'range', first, last });
        expect(countAddresses(buildTargetSet([text], [], { maxHosts: 2 ** 32 }))).toBe(last - first + 1);
        expect(countAddresses(buildTargetSet([text], [text], { maxHosts: 2 ** 32 }))).toBe(0);
      }),
      params(500),
    );
  });
});

describe('snmprec reader', () => {
  const oid = fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: 2, maxLength: 12 }).map((arcs) => `1.3.${arcs.join('.')}`);
  const value = fc.oneof(
    fc.record({ tag: fc.constant(4), bytes: fc.uint8Array({ maxLength: 64 }) }),
    fc.record({ tag: fc.constantFrom(2, 65, 66, 67), n: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }),
    fc.record({ tag: fc.constant(6), oid }),
  );

  it('never throws, and gives values in OID order, on any text', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.tuple(fc.stringMatching(/^[0-9.]{0,20}$/), fc.stringMatching(/^[0-9x]{0,4}$/), fc.string({ maxLength: 20 })).map(([o, t, v]) => `${o}|${t}|${v}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const values = parseSnmprec(lines.join('\n'));
        for (let i = 1; i < values.length; i++) expect(compareOids(values[i - 1]!.oid, values[i]!.oid)).toBeLessThanOrEqual(0);
        for (const v of values) expect(v.oid).toMatch(/^\d+(\.\d+)*$/);
      }),
      params(1000),
    );
  });

  it('reads back what it writes: bytes, numbers and OIDs', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(oid, value), { selector: ([o]) => o, maxLength: 20 }), (entries) => {
        const values = entries.map(([o, v]) =>
          v.tag === 4
            ? { oid: o, tag: 4, text: '', bytes: v.bytes }
            : 'n' in v
              ? { oid: o, tag: v.tag, text: String(v.n), num: v.n }
              : { oid: o, tag: 6, text: v.oid },
        );
        const read = parseSnmprec(formatSnmprec(values));
        expect(read.map((v) => v.oid)).toEqual([...values].sort((a, b) => compareOids(a.oid, b.oid)).map((v) => v.oid));
        for (const r of read) {
          const original = values.find((v) => v.oid === r.oid)!;
          if (original.tag === 4) expect(Buffer.from(r.bytes!).equals(Buffer.from(original.bytes!))).toBe(true);
          else expect(r.text).toBe(original.text);
        }
      }),
      params(500),
    );
  });
});

describe('import document reader', () => {
  const minimal = {
    format: 'netcensus-inventory',
    version: 1,
    collectedAt: '2025-03-01T08:30:00Z',
  };

  it('never throws on any text or any JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null')), (text) => {
        const parsed = parseDocument(text);
        if (!parsed.ok) expect(parsed.issues.length).toBeGreaterThan(0);
      }),
      params(1000),
    );
  });

  it('names each problem by its path when a document has wrong values in its sections', () => {
    const section = fc.constantFrom('system', 'bios', 'cpu', 'memory', 'disks', 'network', 'os', 'software', 'collectedAt', 'host');
    fc.assert(
      fc.property(section, fc.jsonValue({ maxDepth: 3 }), (key, junk) => {
        const parsed = parseDocument(JSON.stringify({ ...minimal, [key]: junk }));
        if (!parsed.ok) {
          expect(parsed.issues.length).toBeLessThanOrEqual(20);
          for (const issue of parsed.issues) expect(issue).toMatch(/^[^\n]+: [^\n]+$/);
        }
      }),
      params(1000),
    );
  });
});

describe('durations', () => {
  it('reads every whole number with a unit, and refuses anything else with a UsageError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('s', 'm', 'h', 'd', 'w', ''), (n, unit) => {
        const ms = parseDuration(`${n}${unit}`);
        const per = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, '': 1000 }[unit]!;
        expect(ms).toBe(n * per);
      }),
      params(300),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        expect(answersOrRefuses(() => parseDuration(text))).toBe(true);
      }),
      params(500),
    );
  });
});
