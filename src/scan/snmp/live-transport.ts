// The live SNMP transport: one net-snmp session (one UDP socket) per device and credential.
// Sends: GET / GETNEXT / GETBULK requests to ADDRESS:port with the given credential. Walks use
// net-snmp's `subtree` (GetBulk on v2c/v3, GetNext on v1) with backwardsGetNexts off, so an agent that
// answers a non-increasing OID ends the walk with what it gave so far instead of looping; a walk also
// stops at maxValues and when the device's time budget (the AbortSignal) runs out.
// Caveat: DES privacy needs OpenSSL's legacy provider on Node >= 17; without it the error says so.
import snmp, { type Session, type V3User, type Varbind } from 'net-snmp';
import type { SnmpCredential } from '../../config/credentials.js';
import { DEFAULT_WALK_MAX_VALUES, SnmpError, decodeOctets, inSubtree, type SnmpTransport, type SnmpValue, type WalkOptions } from './transport.js';

export interface LiveTransportOptions {
  address: string;
  port: number;
  timeoutMs: number;
  retries: number;
  credential: SnmpCredential;
  signal?: AbortSignal;
}

const AUTH: Record<string, string> = { md5: 'md5', sha: 'sha', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };
const PRIV: Record<string, string> = { des: 'des', aes: 'aes', aes256: 'aes256b' };

export function openLiveTransport(options: LiveTransportOptions): SnmpTransport {
  const { credential } = options;
  const sessionOptions = {
    port: options.port,
    retries: options.retries,
    timeout: options.timeoutMs,
    backwardsGetNexts: false,
    idBitsSize: 32,
    transport: options.address.includes(':') ? 'udp6' : 'udp4',
  };
  let session: Session;
  if (credential.kind === 'community') {
    session = snmp.createSession(options.address, credential.community, {
      ...sessionOptions,
      version: credential.version === 'v1' ? snmp.Version1 : snmp.Version2c,
    });
  } else {
    const user: V3User = { name: credential.user, level: snmp.SecurityLevel[credential.level]! };
    if (credential.authProtocol) {
      user.authProtocol = snmp.AuthProtocols[AUTH[credential.authProtocol]!]!;
      user.authKey = credential.authKey!;
    }
    if (credential.privProtocol) {
      user.privProtocol = snmp.PrivProtocols[PRIV[credential.privProtocol]!]!;
      user.privKey = credential.privKey!;
    }
    session = snmp.createV3Session(options.address, user, { ...sessionOptions, version: snmp.Version3, ...(credential.context ? { context: credential.context } : {}) });
  }
  // A socket error (e.g. EACCES) must not crash the process; the pending request times out.
  session.on('error', () => undefined);
  const isV1 = credential.kind === 'community' && credential.version === 'v1';

  const call = <T>(run: (resolve: (v: T) => void, reject: (e: unknown) => void) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (options.signal?.aborted) return reject(new SnmpError('timeout', 'device time budget spent'));
      try {
        run(resolve, (e) => reject(classify(e)));
      } catch (error) {
        reject(classify(error));
      }
    });

  return {
    get(oids) {
      if (oids.length === 0) return Promise.resolve([]);
      return call<SnmpValue[]>((resolve, reject) =>
        session.get(oids, (error, varbinds) => {
          // v1 answers noSuchName for the whole request when one OID is missing: ask one by one.
          if (error && isV1 && (error as { status?: number }).status === 2 && oids.length > 1) {
            Promise.all(oids.map((oid) => this.get([oid]).catch(() => []))).then((parts) => resolve(parts.flat()), reject);
            return;
          }
          if (error) return reject(error);
          resolve(varbinds.filter((v) => !snmp.isVarbindError(v)).map(toValue));
        }),
      );
    },
    getNext(oids) {
      return call<(SnmpValue | null)[]>((resolve, reject) =>
        session.getNext(oids, (error, varbinds) => {
          if (error && isV1 && (error as { status?: number }).status === 2) return resolve(oids.map(() => null));
          if (error) return reject(error);
          resolve(varbinds.map((v) => (snmp.isVarbindError(v) ? null : toValue(v))));
        }),
      );
    },
    getBulk(oids, maxRepetitions) {
      if (oids.length === 0) return Promise.resolve([]);
      if (isV1) {
        // No GetBulk in v1: one GETNEXT. noSuchName for the whole request means one OID ran off the
        // end of the MIB: ask one by one so the others still advance.
        return call<(SnmpValue | null)[][]>((resolve, reject) =>
          session.getNext(oids, (error, varbinds) => {
            if (error && (error as { status?: number }).status === 2) {
              if (oids.length === 1) return resolve([[null]]);
              Promise.all(oids.map((oid) => this.getBulk([oid], 1).then((r) => r[0] ?? [null]))).then(resolve, reject);
              return;
            }
            if (error) return reject(error);
            resolve(oids.map((_, i) => {
              const v = varbinds[i];
              return [v === undefined || snmp.isVarbindError(v) ? null : toValue(v)];
            }));
          }),
        );
      }
      return call<(SnmpValue | null)[][]>((resolve, reject) =>
        session.getBulk(oids, 0, Math.max(1, maxRepetitions), (error, varbinds) => {
          if (error) return reject(error);
          resolve(
            oids.map((_, i) => {
              const column: (SnmpValue | null)[] = [];
              for (const v of varbinds[i] ?? []) {
                if (snmp.isVarbindError(v)) {
                  column.push(null);
                  break;
                }
                column.push(toValue(v));
              }
              return column;
            }),
          );
        }),
      );
    },
    walk(subtree, walkOptions: Partial<WalkOptions> = {}) {
      const max = walkOptions.maxValues ?? DEFAULT_WALK_MAX_VALUES;
      const out: SnmpValue[] = [];
      return call<SnmpValue[]>((resolve, reject) =>
        session.subtree(
          subtree,
          max < 40 ? max : 40,
          (varbinds) => {
            for (const v of varbinds) {
              if (snmp.isVarbindError(v) || !inSubtree(subtree, v.oid)) return true;
              out.push(toValue(v));
            }
            return out.length >= max || options.signal?.aborted === true;
          },
          (error) => {
            // Partial results are kept: an agent that misbehaves mid-table still gave the rows before.
            if (error && out.length === 0) {
              const e = classify(error);
              if (e.kind === 'protocol-error') return resolve(out);
              return reject(e);
            }
            resolve(out);
          },
        ),
      );
    },
    close() {
      try {
        session.close();
      } catch {
        // already closed
      }
    },
  };
}

function toValue(v: Varbind): SnmpValue {
  const value = v.value;
  if (Buffer.isBuffer(value)) {
    if (v.type === 70) {
      // Counter64 arrives as a big-endian byte string.
      const n = value.length > 0 ? Number(BigInt('0x' + value.toString('hex'))) : 0;
      return { oid: v.oid, tag: v.type, text: String(n), num: n };
    }
    return { oid: v.oid, tag: v.type, text: decodeOctets(value), bytes: new Uint8Array(value) };
  }
  if (typeof value === 'number' || typeof value === 'bigint') return { oid: v.oid, tag: v.type, text: String(value), num: Number(value) };
  return { oid: v.oid, tag: v.type, text: value === null || value === undefined ? '' : String(value) };
}

/** Maps net-snmp's errors to our kinds, with messages that never carry keys or communities. */
function classify(error: unknown): SnmpError {
  if (error instanceof SnmpError) return error;
  const e = error as { name?: string; code?: string | number; message?: string };
  if (e.code === 'ERR_OSSL_EVP_UNSUPPORTED' || /digital envelope routines::unsupported/.test(e.message ?? '')) {
    return new SnmpError('unsupported-crypto', 'DES privacy needs the OpenSSL legacy provider on this Node: run with NODE_OPTIONS=--openssl-legacy-provider, or use AES');
  }
  if (e.name === 'RequestTimedOutError') return new SnmpError('timeout', 'no answer');
  if (e.name === 'ResponseInvalidError') {
    const code = Number(e.code);
    if (code === snmp.ResponseInvalidCode.EAuthFailure || code === snmp.ResponseInvalidCode.ECouldNotDecrypt) {
      return new SnmpError('auth-failed', 'SNMPv3 authentication or decryption failed');
    }
    return new SnmpError('protocol-error', 'invalid response');
  }
  if (e.name === 'RequestFailedError') return new SnmpError('protocol-error', `agent error: ${String(e.message ?? '').split(':')[0]}`);
  return new SnmpError('error', (e.message ?? 'error').slice(0, 120));
}
