// The SNMP transport contract: what the collectors need from an agent, independent of how it is
// reached. The live implementation speaks SNMP through net-snmp; the recorded one answers from a
// .snmprec file (tests, `snmp walk` replays, bug reports).

/** One value from an agent, decoded once. */
export interface SnmpValue {
  /** Numeric OID without a leading dot. */
  oid: string;
  /** net-snmp / snmprec type tag: 2 Integer, 4 OctetString, 6 OID, 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 70 Counter64. */
  tag: number;
  /** Printable text: strings decoded as UTF-8 (control characters dropped), numbers in decimal, OIDs dotted. */
  text: string;
  /** The raw bytes of an OctetString (MAC addresses, engine ids). */
  bytes?: Uint8Array;
  /** The number, for integer-like types. */
  num?: number;
}

export interface WalkOptions {
  /** Stop after this many values (an endless table is cut here). */
  maxValues: number;
}

export interface SnmpTransport {
  /** GET of several OIDs in one request; absent ones (noSuchObject/Instance) are left out. */
  get(oids: string[]): Promise<SnmpValue[]>;
  /** GETNEXT of several OIDs in one request: the value following each, or null past the end. */
  getNext(oids: string[]): Promise<(SnmpValue | null)[]>;
  /**
   * One GETBULK of several OIDs (a GETNEXT on v1, one repetition): for each OID asked, the values that
   * follow it in order, at most `maxRepetitions`; null marks endOfMibView (nothing after). An agent may
   * answer fewer repetitions than asked (message size), so a shorter list does not mean the end.
   */
  getBulk(oids: string[], maxRepetitions: number): Promise<(SnmpValue | null)[][]>;
  /** Every value under `subtree` (GetBulk on v2c/v3), in OID order, guarded against loops. */
  walk(subtree: string, options?: Partial<WalkOptions>): Promise<SnmpValue[]>;
  close(): void;
}

/** Why a transport call failed, in the scanner's closed set of terms. */
export class SnmpError extends Error {
  override name = 'SnmpError';
  constructor(
    readonly kind: 'timeout' | 'auth-failed' | 'protocol-error' | 'unsupported-crypto' | 'error',
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_WALK_MAX_VALUES = 20_000;

/** True when `oid` is `subtree` or below it. */
export function inSubtree(subtree: string, oid: string): boolean {
  return oid === subtree || oid.startsWith(subtree + '.');
}

/** Compares two numeric OIDs component by component. */
export function compareOids(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  return pa.length - pb.length;
}

/** Text of an OctetString: UTF-8 when valid, else Latin-1; control characters removed, trimmed. */
export function decodeOctets(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes);
  let text = buf.toString('utf8');
  if (text.includes('\uFFFD')) text = buf.toString('latin1');
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim();
}

/**
 * At most `n` requests (a whole walk counts as one) in flight to one agent: an agent's CPU is small,
 * and a flood of parallel walks makes it drop answers.
 */
export function limitTransport(transport: SnmpTransport, n: number): SnmpTransport {
  let active = 0;
  const waiting: (() => void)[] = [];
  const run = async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
  return {
    get: (oids) => run(() => transport.get(oids)),
    getNext: (oids) => run(() => transport.getNext(oids)),
    getBulk: (oids, maxRepetitions) => run(() => transport.getBulk(oids, maxRepetitions)),
    walk: (subtree, options) => run(() => transport.walk(subtree, options)),
    close: () => transport.close(),
  };
}
