// IPv4 addresses as unsigned 32-bit integers, and the strict dotted-quad parser every target form uses.

/** What parsing one dotted quad gave: the address, or a short phrase saying what is wrong with it. */
export type Ipv4Parse = { ok: true; value: number } | { ok: false; problem: string };

/**
 * Parse a dotted quad strictly: exactly four decimal octets 0-255.
 *
 * Stricter than inet_aton on purpose: `10.1` (two parts), `0x0a.0.0.1` (hex) and `010.0.0.1`
 * (leading zero, which some tools read as octal 8) are refused rather than guessed at, so a sweep
 * never lands on a network the user did not mean.
 */
export function parseIpv4(text: string): Ipv4Parse {
  if (!/^[0-9.]+$/.test(text)) return fail(`${JSON.stringify(text)} is not an IPv4 address`);
  const parts = text.split('.');
  if (parts.length !== 4) {
    return fail(`${JSON.stringify(text)} has ${parts.length} octets; an IPv4 address has 4`);
  }
  let value = 0;
  for (const part of parts) {
    if (part === '') return fail(`${JSON.stringify(text)} has an empty octet`);
    if (part.length > 1 && part.startsWith('0')) {
      return fail(`octet "${part}" has a leading zero (ambiguous: some tools read it as octal)`);
    }
    const octet = Number(part);
    if (octet > 255) return fail(`octet ${part} is out of range (0-255)`);
    // Multiply rather than shift: `<<` works on signed 32-bit and would go negative at 128.x.x.x.
    value = value * 256 + octet;
  }
  return { ok: true, value };
}

/** `"10.0.0.5"` -> `167772165`. Throws a RangeError naming the input when it is not a dotted quad. */
export function ipToInt(s: string): number {
  const parsed = parseIpv4(s);
  if (!parsed.ok) throw new RangeError(`address ${JSON.stringify(s)}: ${parsed.problem}`);
  return parsed.value;
}

/**
 * `167772165` -> `"10.0.0.5"`. Accepts any 32-bit integer, signed or unsigned, and reads it as
 * unsigned (`>>> 0`), so results of bitwise operators can be passed straight in. Anything else
 * (fractions, values past 32 bits) is a bug in the caller and throws a RangeError.
 */
export function intToIp(n: number): string {
  if (!Number.isInteger(n) || n < -0x8000_0000 || n > 0xffff_ffff) {
    throw new RangeError(`intToIp: ${n} is not a 32-bit integer`);
  }
  const u = n >>> 0;
  return `${u >>> 24}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`;
}

function fail(problem: string): Ipv4Parse {
  return { ok: false, problem };
}
