// `netcensus snmp walk`: records a whole agent as snmprec, for a bug report or a new definition.
// Sends: one GET of sysObjectID per credential until one answers, then GetBulk walks of the whole
// tree (1.0 and 1.3), up to maxValues values or the time budget. sysContact and sysLocation are
// redacted unless asked; the community or keys are never part of an snmprec file.
import type { SnmpCredential } from '../../config/credentials.js';
import { openLiveTransport } from './live-transport.js';
import { OID } from './oids.js';
import { SnmpError, type SnmpValue } from './transport.js';

export interface RecordOptions {
  credentials: SnmpCredential[];
  port: number;
  timeoutMs: number;
  retries: number;
  maxValues: number;
  budgetMs: number;
  redact: boolean;
}

export interface Recording {
  values: SnmpValue[];
  credential: string;
  /** True when maxValues or the budget cut the walk short. */
  truncated: boolean;
}

const REDACTED: ReadonlySet<string> = new Set([OID.sysContact, OID.sysLocation]);

export async function recordDevice(address: string, options: RecordOptions): Promise<Recording | { error: SnmpError }> {
  let last: SnmpError = new SnmpError('timeout', 'no SNMP answer');
  for (const credential of options.credentials) {
    const signal = AbortSignal.timeout(options.budgetMs);
    const transport = openLiveTransport({ address, port: options.port, timeoutMs: options.timeoutMs, retries: options.retries, credential, signal });
    try {
      const probe = await transport.get([OID.sysObjectID]);
      if (probe.length === 0) continue;
      const values: SnmpValue[] = [];
      for (const root of ['1.0', '1.3']) {
        values.push(...(await transport.walk(root, { maxValues: options.maxValues - values.length }).catch(() => [])));
        if (values.length >= options.maxValues) break;
      }
      const redacted = options.redact
        ? values.map((v) => (REDACTED.has(v.oid) && v.text !== '' ? { oid: v.oid, tag: 4, text: '<redacted>', bytes: new Uint8Array(Buffer.from('<redacted>')) } : v))
        : values;
      return { values: redacted, credential: credential.label, truncated: values.length >= options.maxValues || signal.aborted };
    } catch (error) {
      last = error instanceof SnmpError ? error : new SnmpError('error', 'error');
    } finally {
      transport.close();
    }
  }
  return { error: last };
}
