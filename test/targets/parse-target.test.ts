import { describe, it, expect } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { intToIp, ipToInt, parseExcludeSpec, parseTargetSpec } from '../../src/targets/index.js';

const FIX = 'write an IPv4 address, CIDR (10.0.0.0/24), range (10.0.0.1-50) or hostname';

/** The spec's range as dotted quads, easier to read in failures than integers. */
function rangeOf(spec: string): [string, string] {
  const t = parseTargetSpec(spec);
  if (t.kind !== 'range') throw new Error(`expected a range for ${spec}, got ${t.kind}`);
  return [intToIp(t.first), intToIp(t.last)];
}

function usageErrorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}

describe('ipToInt / intToIp', () => {
  it('convert known addresses both ways', () => {
    expect(ipToInt('0.0.0.0')).toBe(0);
    expect(ipToInt('10.0.0.5')).toBe(167772165);
    expect(ipToInt('192.168.1.1')).toBe(3232235777);
    expect(ipToInt('255.255.255.255')).toBe(4294967295);
    expect(intToIp(167772165)).toBe('10.0.0.5');
    expect(intToIp(3232235777)).toBe('192.168.1.1');
    expect(intToIp(4294967295)).toBe('255.255.255.255');
  });

  it('read signed 32-bit results of bitwise operators as unsigned', () => {
    expect(intToIp(-1)).toBe('255.255.255.255');
    expect(intToIp(0xc0a80000 | 5)).toBe('192.168.0.5'); // `|` makes it negative
  });

  it('round-trip addresses across the whole space', () => {
    for (let n = 0; n <= 0xffffffff; n += 0x01010101 + 7919) {
      expect(ipToInt(intToIp(n))).toBe(n);
    }
  });

  it('refuse malformed input', () => {
    expect(() => ipToInt('10.0.0.300')).toThrow(/10\.0\.0\.300.*out of range/);
    expect(() => ipToInt('10.0.256.1')).toThrow(/octet 256 is out of range/);
    expect(() => ipToInt('10.0.0')).toThrow(/10\.0\.0/);
    expect(() => intToIp(2 ** 32)).toThrow(RangeError);
    expect(() => intToIp(1.5)).toThrow(RangeError);
  });
});

describe('parseTargetSpec: accepted forms', () => {
  it('a single address is a range of one', () => {
    expect(parseTargetSpec('10.0.0.5')).toEqual({
      kind: 'range',
      spec: '10.0.0.5',
      first: ipToInt('10.0.0.5'),
      last: ipToInt('10.0.0.5'),
    });
  });

  it('trims surrounding whitespace', () => {
    expect(parseTargetSpec('  10.0.0.5\t').spec).toBe('10.0.0.5');
  });

  it('CIDR up to /30 leaves out network and broadcast', () => {
    expect(rangeOf('10.0.0.0/24')).toEqual(['10.0.0.1', '10.0.0.254']);
    expect(rangeOf('10.0.0.0/30')).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(rangeOf('10.0.0.0/8')).toEqual(['10.0.0.1', '10.255.255.254']);
    expect(rangeOf('0.0.0.0/0')).toEqual(['0.0.0.1', '255.255.255.254']);
  });

  it('CIDR /31 and /32 keep every address', () => {
    expect(rangeOf('10.0.0.6/31')).toEqual(['10.0.0.6', '10.0.0.7']);
    expect(rangeOf('10.0.0.7/32')).toEqual(['10.0.0.7', '10.0.0.7']);
  });

  it('CIDR with host bits set means the enclosing block', () => {
    expect(rangeOf('10.0.0.7/24')).toEqual(['10.0.0.1', '10.0.0.254']);
    expect(rangeOf('172.16.200.9/12')).toEqual(['172.16.0.1', '172.31.255.254']);
    expect(parseTargetSpec('10.0.0.7/24').spec).toBe('10.0.0.7/24');
  });

  it('CIDR in the upper half of the space (where signed shifts go wrong)', () => {
    expect(rangeOf('200.1.2.130/25')).toEqual(['200.1.2.129', '200.1.2.254']);
    expect(rangeOf('255.255.255.0/24')).toEqual(['255.255.255.1', '255.255.255.254']);
  });

  it('full ranges', () => {
    expect(rangeOf('10.0.0.1-10.0.0.50')).toEqual(['10.0.0.1', '10.0.0.50']);
    expect(rangeOf('10.0.0.250-10.0.1.5')).toEqual(['10.0.0.250', '10.0.1.5']);
    expect(rangeOf('10.0.0.5-10.0.0.5')).toEqual(['10.0.0.5', '10.0.0.5']);
  });

  it('short ranges replace the last octet', () => {
    expect(rangeOf('10.0.0.1-50')).toEqual(['10.0.0.1', '10.0.0.50']);
    expect(rangeOf('192.168.7.200-255')).toEqual(['192.168.7.200', '192.168.7.255']);
    expect(rangeOf('10.0.0.9-9')).toEqual(['10.0.0.9', '10.0.0.9']);
  });

  it('hostnames', () => {
    expect(parseTargetSpec('printer.example.com')).toEqual({
      kind: 'hostname',
      spec: 'printer.example.com',
      name: 'printer.example.com',
    });
    expect(parseTargetSpec('localhost')).toMatchObject({ kind: 'hostname', name: 'localhost' });
    expect(parseTargetSpec('core-sw-01.lan')).toMatchObject({ kind: 'hostname' });
    expect(parseTargetSpec('3com-switch')).toMatchObject({ kind: 'hostname' });
    expect(parseTargetSpec('fs1.example.com.')).toMatchObject({ name: 'fs1.example.com.' });
    expect(parseTargetSpec(`${'a'.repeat(63)}.example`)).toMatchObject({ kind: 'hostname' });
  });
});

describe('parseTargetSpec: refusals name the input and the fix, on one line', () => {
  const cases: [input: string, problem: RegExp][] = [
    ['10.0.0.300', /octet 300 is out of range \(0-255\)/],
    ['10.0.0.0/33', /prefix \/33 is out of range \(0-32\)/],
    ['10.0.0.0/x', /prefix "\/x" is not a number/],
    ['10.0.0.0/24/8', /exactly one "\/"/],
    ['10.0.0.50-10', /ends \(10\.0\.0\.10\) before it starts \(10\.0\.0\.50\)/],
    ['10.0.0.9-10.0.0.1', /ends \(10\.0\.0\.1\) before it starts \(10\.0\.0\.9\)/],
    ['10.0.0.1-300', /range end 300 is out of range/],
    ['10.0.0.1-256', /range end 256 is out of range/],
    ['10.0.0.1-', /no end/],
    ['-10.0.0.1', /no start/],
    ['10.0.0.1-2-3', /exactly one "-"/],
    ['10.0.0', /has 3 octets; an IPv4 address has 4/],
    ['10.0.0.1.2', /has 5 octets/],
    ['10..0.1', /empty octet/],
    ['10.0..1', /empty octet/],
    ['010.0.0.1', /leading zero/],
    ['foo bar', /whitespace/],
    ['', /empty/],
    ['fe80::1', /IPv6 is not supported yet/],
    ['2001:db8::/32', /IPv6 is not supported yet/],
    ['fe80::1-fe80::9', /IPv6 is not supported yet/],
    ['10.0.0.1:161', /":" is not allowed/],
    ['printer_1.example.com', /"_" is not allowed in a hostname/],
    ['bücher.example', /xn-- form/],
    ['-printer.example.com', /starts or ends with "-"/],
    ['printer-.example.com', /starts or ends with "-"/],
    ['a..example.com', /empty label/],
    ['.example.com', /empty label/],
    ['host.123', /all digits/],
    [`${'a'.repeat(64)}.example`, /longer than 63/],
    [`${'abcdefghi.'.repeat(26)}com`, /longer than 253/],
    ['@hosts.txt', /@file reference is not allowed here/],
  ];

  for (const [input, problem] of cases) {
    it(JSON.stringify(input), () => {
      const err = usageErrorOf(() => parseTargetSpec(input));
      expect(err.message.startsWith(`target ${JSON.stringify(input.trim())}: `)).toBe(true);
      expect(err.message).toMatch(problem);
      expect(err.message.endsWith(`; ${FIX}`)).toBe(true);
      expect(err.message).not.toContain('\n');
    });
  }

  it('gives the documented message for an out-of-range octet', () => {
    expect(() => parseTargetSpec('10.0.0.300')).toThrow(
      new UsageError(`target "10.0.0.300": octet 300 is out of range (0-255); ${FIX}`),
    );
  });

  it('keeps a newline in the input from breaking the one-line message', () => {
    const err = usageErrorOf(() => parseTargetSpec('10.0.0.1\n10.0.0.2x'));
    expect(err.message).not.toContain('\n');
  });
});

describe('parseExcludeSpec', () => {
  it('accepts addresses, CIDR and ranges', () => {
    expect(parseExcludeSpec('10.0.0.5')).toMatchObject({ first: ipToInt('10.0.0.5') });
    expect(parseExcludeSpec('10.0.0.1-9')).toMatchObject({ last: ipToInt('10.0.0.9') });
  });

  it('excludes a CIDR block whole, network and broadcast included', () => {
    expect(parseExcludeSpec('10.0.0.0/30')).toMatchObject({
      first: ipToInt('10.0.0.0'),
      last: ipToInt('10.0.0.3'),
    });
    expect(parseExcludeSpec('10.0.0.77/24')).toMatchObject({
      first: ipToInt('10.0.0.0'),
      last: ipToInt('10.0.0.255'),
    });
  });

  it('refuses hostnames, naming the exclude', () => {
    const err = usageErrorOf(() => parseExcludeSpec('printer.example.com'));
    expect(err.message).toMatch(/^exclude "printer\.example\.com": a hostname cannot be excluded/);
  });

  it('refuses malformed excludes as excludes, not targets', () => {
    const err = usageErrorOf(() => parseExcludeSpec('10.0.0.0/40'));
    expect(err.message).toMatch(/^exclude "10\.0\.0\.0\/40": prefix \/40 is out of range/);
  });
});
