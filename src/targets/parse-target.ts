// Parse one target spec as a user writes it: an IPv4 address, a CIDR block, a range or a hostname.
// Every refusal is a UsageError of one line that quotes the input and says what to write instead.

import ipaddr from 'ipaddr.js';
import { UsageError } from '../model/errors.js';
import type { TargetSpec } from '../model/target.js';
import { intToIp, parseIpv4 } from './ipv4-address.js';

/** A spec that covers addresses (an address, CIDR or range), as opposed to a hostname. */
export type RangeSpec = Extract<TargetSpec, { kind: 'range' }>;

const TARGET_FIX = 'write an IPv4 address, CIDR (10.0.0.0/24), range (10.0.0.1-50) or hostname';
const EXCLUDE_FIX = 'write an IPv4 address, CIDR (10.0.0.0/24) or range (10.0.0.1-50)';

/**
 * `10.0.0.5`, `10.0.0.0/24` (host bits may be set: `10.0.0.7/24` is the same /24),
 * `10.0.0.1-10.0.0.50`, `10.0.0.1-50` (last octet) or a hostname (`printer.example.com`).
 *
 * CIDR blocks of /30 and wider leave out their network and broadcast addresses, as nmap and fping
 * do for sweeps: probing them only draws answers from every host on the segment, or none. /31
 * (point-to-point links, RFC 3021) and /32 keep every address.
 */
export function parseTargetSpec(spec: string): TargetSpec {
  const text = spec.trim();
  const parsed = classify(text, 'target');
  if (typeof parsed === 'string') {
    throw new UsageError(`target ${JSON.stringify(text)}: ${parsed}; ${TARGET_FIX}`);
  }
  return parsed;
}

/**
 * An exclusion: the same address forms as a target, but never a hostname (its address is unknown).
 * An excluded CIDR block is excluded whole, network and broadcast addresses included: excluding
 * 10.0.0.0/24 from 10.0.0.0/16 must not leave 10.0.0.0 and 10.0.0.255 in the sweep.
 */
export function parseExcludeSpec(spec: string): RangeSpec {
  const text = spec.trim();
  const parsed = classify(text, 'exclude');
  if (typeof parsed === 'string') {
    throw new UsageError(`exclude ${JSON.stringify(text)}: ${parsed}; ${EXCLUDE_FIX}`);
  }
  if (parsed.kind === 'hostname') {
    throw new UsageError(
      `exclude ${JSON.stringify(text)}: a hostname cannot be excluded (its address is only known ` +
        `once it is resolved); ${EXCLUDE_FIX}`,
    );
  }
  return parsed;
}

/** The spec, or a short phrase saying what is wrong with it (the caller adds the input and the fix). */
function classify(text: string, role: 'target' | 'exclude'): TargetSpec | string {
  if (text === '') return 'the target is empty';
  if (/\s/.test(text)) return 'it contains whitespace (give one target per argument)';
  if (text.startsWith('@')) return 'a @file reference is not allowed here';
  if (text.includes(':')) {
    return looksLikeIpv6(text)
      ? 'IPv6 is not supported yet'
      : '":" is not allowed (a port is not part of a target)';
  }
  if (text.includes('/')) return parseCidr(text, role);
  // Only digits, dots and hyphens: the user meant an address or a range, so report it as one rather
  // than as a malformed hostname. (A hostname needs a letter somewhere in its last label anyway.)
  if (/^[0-9.-]+$/.test(text)) return text.includes('-') ? parseRange(text) : parseAddress(text);
  return parseHostname(text);
}

function parseAddress(text: string): RangeSpec | string {
  const ip = parseIpv4(text);
  if (!ip.ok) return ip.problem;
  return { kind: 'range', spec: text, first: ip.value, last: ip.value };
}

function parseCidr(text: string, role: 'target' | 'exclude'): RangeSpec | string {
  const parts = text.split('/');
  if (parts.length !== 2) return 'a CIDR block has exactly one "/"';
  const [addressText = '', prefixText = ''] = parts;
  const ip = parseIpv4(addressText);
  if (!ip.ok) return ip.problem;
  if (!/^[0-9]+$/.test(prefixText)) return `prefix "/${prefixText}" is not a number (0-32)`;
  const prefix = Number(prefixText);
  if (prefix > 32) return `prefix /${prefixText} is out of range (0-32)`;

  // Arithmetic rather than bit masks: `0xffffffff << 32` is a no-op in JavaScript, and shifts are
  // signed, so /0 and addresses from 128.0.0.0 up would need special cases.
  const size = 2 ** (32 - prefix);
  const network = ip.value - (ip.value % size);
  const broadcast = network + size - 1;
  if (role === 'target' && prefix <= 30) return { kind: 'range', spec: text, first: network + 1, last: broadcast - 1 };
  return { kind: 'range', spec: text, first: network, last: broadcast };
}

function parseRange(text: string): RangeSpec | string {
  const parts = text.split('-');
  if (parts.length !== 2) return 'a range has exactly one "-"';
  const [startText = '', endText = ''] = parts;
  if (startText === '') return 'the range has no start';
  if (endText === '') return 'the range has no end';
  const start = parseIpv4(startText);
  if (!start.ok) return start.problem;

  let last: number;
  if (!endText.includes('.')) {
    // Short form `10.0.0.1-50`: the end replaces the last octet of the start.
    if (endText.length > 1 && endText.startsWith('0')) {
      return `range end "${endText}" has a leading zero (ambiguous: some tools read it as octal)`;
    }
    const octet = Number(endText);
    if (octet > 255) return `range end ${endText} is out of range (0-255)`;
    last = start.value - (start.value % 256) + octet;
  } else {
    const end = parseIpv4(endText);
    if (!end.ok) return end.problem;
    last = end.value;
  }
  if (last < start.value) {
    return `the range ends (${intToIp(last)}) before it starts (${intToIp(start.value)})`;
  }
  return { kind: 'range', spec: text, first: start.value, last };
}

/** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
function parseHostname(text: string): TargetSpec | string {
  // A trailing dot marks a fully qualified name; it is valid and kept in `name`, since it changes
  // how a resolver applies its search domains.
  const bare = text.endsWith('.') ? text.slice(0, -1) : text;
  if (bare.length > 253) return 'the name is longer than 253 characters';
  const labels = bare.split('.');
  for (const label of labels) {
    if (label === '') return 'the name has an empty label (two dots in a row, or a leading dot)';
    if (label.length > 63) return `label "${label.slice(0, 16)}…" is longer than 63 characters`;
    const bad = /[^A-Za-z0-9-]/.exec(label);
    if (bad) {
      const ch = bad[0];
      return /[^\x00-\x7f]/.test(ch)
        ? `"${ch}" is not allowed in a hostname (write an internationalised name in its xn-- form)`
        : `${JSON.stringify(ch)} is not allowed in a hostname (letters, digits, "-" and "." only)`;
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      return `label "${label}" starts or ends with "-"`;
    }
  }
  const top = labels[labels.length - 1] ?? '';
  if (/^[0-9]+$/.test(top)) {
    return `the last label "${top}" is all digits, so it is neither an IPv4 address nor a hostname`;
  }
  return { kind: 'hostname', spec: text, name: text };
}

/** An IPv6 address, block or range, so the refusal can say "not supported yet" instead of "invalid". */
function looksLikeIpv6(text: string): boolean {
  const isV6 = (s: string) => ipaddr.IPv6.isValid(s) || ipaddr.IPv6.isValidCIDR(s);
  if (isV6(text)) return true;
  const dash = text.split('-');
  return dash.length === 2 && dash.every(isV6);
}
