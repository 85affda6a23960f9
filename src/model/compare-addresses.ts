// Numeric ordering of addresses, so that 10.0.0.9 sorts before 10.0.0.10.
//
// It lives in model/ (otherwise types only) because both inventory/ and diff/ need it and may import
// nothing but model/: one pure function on a domain value, rather than two copies.

/** IPv4 as an unsigned 32-bit number, or null if `s` is not a dotted quad. */
function ipv4ToNumber(s: string): number | null {
  // A character loop: sorting a large diff parses every address, and split plus a regex per octet
  // showed up in its profile. Four dot-separated runs of 1-3 digits, each at most 255.
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return null;
      octet = octet * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && dots < 3) {
      if (octet > 255) return null;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0 || octet > 255) return null;
  return n * 256 + octet;
}

/** IPv6 as a 128-bit bigint, or null if `s` is not an IPv6 address (zone ids are ignored). */
function ipv6ToBigInt(s: string): bigint | null {
  let text = s.split('%')[0] ?? '';
  if (!text.includes(':')) return null;
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hex groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToNumber(tail);
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/**
 * Orders IPv4 addresses numerically, then IPv6 numerically, then anything else (a hostname that
 * never resolved) as text. A total order, usable directly with Array.prototype.sort.
 */
export function compareAddresses(a: string, b: string): number {
  return compareAddressKeys(addressKey(a), addressKey(b));
}

/** An address parsed for ordering: compareAddressKeys(addressKey(a), addressKey(b)) is compareAddresses(a, b). */
export interface AddressKey {
  readonly v4: number | null;
  readonly v6: bigint | null;
  readonly text: string;
}

/** Parses an address once, for sorting many things by address (compareAddressKeys). */
export function addressKey(s: string): AddressKey {
  const v4 = ipv4ToNumber(s);
  return { v4, v6: v4 === null ? ipv6ToBigInt(s) : null, text: s };
}

export function compareAddressKeys(a: AddressKey, b: AddressKey): number {
  if (a.v4 !== null || b.v4 !== null) {
    if (a.v4 === null) return 1;
    if (b.v4 === null) return -1;
    return a.v4 - b.v4;
  }
  if (a.v6 !== null || b.v6 !== null) {
    if (a.v6 === null) return 1;
    if (b.v6 === null) return -1;
    return a.v6 < b.v6 ? -1 : a.v6 > b.v6 ? 1 : 0;
  }
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}
