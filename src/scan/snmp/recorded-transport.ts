// The recorded SNMP transport: answers from a parsed .snmprec recording as an agent would (GET,
// GETNEXT, subtree walks). Used by tests and to replay a user's recording offline.
import { compareOids, DEFAULT_WALK_MAX_VALUES, inSubtree, type SnmpTransport, type SnmpValue, type WalkOptions } from './transport.js';

export function openRecordedTransport(values: SnmpValue[]): SnmpTransport {
  const sorted = [...values].sort((a, b) => compareOids(a.oid, b.oid));
  const byOid = new Map(sorted.map((v) => [v.oid, v]));
  /** Index of the first value strictly after `oid`. */
  const after = (oid: string): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareOids(sorted[mid]!.oid, oid) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    async get(oids) {
      return oids.flatMap((oid) => {
        const v = byOid.get(oid);
        return v ? [v] : [];
      });
    },
    async getNext(oids) {
      return oids.map((oid) => sorted[after(oid)] ?? null);
    },
    async getBulk(oids, maxRepetitions) {
      const reps = Math.max(1, maxRepetitions);
      return oids.map((oid) => {
        const out: (SnmpValue | null)[] = [];
        for (let i = after(oid); out.length < reps; i++) {
          const v = sorted[i];
          out.push(v ?? null);
          if (!v) break;
        }
        return out;
      });
    },
    async walk(subtree, options: Partial<WalkOptions> = {}) {
      const max = options.maxValues ?? DEFAULT_WALK_MAX_VALUES;
      const out: SnmpValue[] = [];
      for (let i = after(subtree); i < sorted.length && out.length < max; i++) {
        const v = sorted[i]!;
        if (!inSubtree(subtree, v.oid)) break;
        out.push(v);
      }
      return out;
    },
    close() {},
  };
}
