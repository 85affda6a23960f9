// SNMP interrogation of a live host (v1, v2c, v3).
// Sends: UDP to ADDRESS:port (default 161). First one GET of the system group per credential until
// one answers (credentials in configured order, the one that last worked for this host first: in
// this run at this address, else the one an earlier scan remembered for the asset last seen with
// this MAC or at this address, looked up through `rememberedCredential`);
// then one GETNEXT to see which MIBs are there, GETs of the identification OIDs the vendor
// definitions name, and GetBulk walks of only the tables the device's kind needs (ENTITY, IF-MIB,
// Printer-MIB, UPS-MIB, HOST-RESOURCES, BRIDGE/Q-BRIDGE, LLDP/CDP, ARP). On a Cisco switch whose
// default bridge table has no VLANs, one session per operational VLAN with the same credential
// indexed (COMMUNITY@VLAN, or v3 context vlan-VLAN) reads that VLAN's table (collect-bridge.ts).
// Defaults: timeout 1500 ms, 1 retry, 30 s budget per device, 64 devices at once (one UDP socket
// each, plus two at most while a Cisco switch's VLAN tables are read). Caveats: a wrong community
// gets no answer at all, so each failed credential costs a full timeout; DES privacy needs
// OpenSSL's legacy provider. Communities and keys are never written to facts, details, logs or the
// database: a credential is named by its label ("community #2", "v3 user ops"), and that label is
// what the database remembers (a community's label is its position in the configured list).
import pLimit from 'p-limit';
import type { SnmpCredential } from '../../config/credentials.js';
import type { Observation, ScanStatus } from '../../model/index.js';
import type { Interrogator, LiveHost, ScanContext } from '../scanner.js';
import { orderCredentials, type RememberedCredentialLookup } from './credential-order.js';
import { interrogateDevice, readSystemGroup, type SnmpQueryPlanner } from './interrogate-device.js';
import { openLiveTransport } from './live-transport.js';
import { limitTransport, SnmpError, type SnmpTransport } from './transport.js';

/** Requests in flight to one agent at once (a walk counts as one). */
const REQUESTS_PER_DEVICE = 3;

export type { SnmpQueryPlanner } from './interrogate-device.js';
export type { RememberedCredentialLookup } from './credential-order.js';

export interface SnmpOptions {
  credentials: SnmpCredential[];
  port: number;
  timeoutMs: number;
  retries: number;
  deviceBudgetMs: number;
  maxSessions: number;
  planner: SnmpQueryPlanner;
  /** The label of the credential an earlier scan remembered for this host (by MAC, else address). */
  rememberedCredential?: RememberedCredentialLookup;
  /** For tests: how a transport is opened (default: live net-snmp). */
  openTransport?: (address: string, credential: SnmpCredential, signal: AbortSignal) => SnmpTransport;
}

export function snmpInterrogator(options: SnmpOptions): Interrogator {
  const limit = pLimit(options.maxSessions);
  /** Label of the credential that last worked per address: tried first next time. */
  const lastGood = new Map<string, string>();
  const open =
    options.openTransport ??
    ((address: string, credential: SnmpCredential, signal: AbortSignal) =>
      openLiveTransport({ address, port: options.port, timeoutMs: options.timeoutMs, retries: options.retries, credential, signal }));

  return {
    name: 'snmp',
    describe: `SNMP on udp/${options.port} with ${options.credentials.length} credential(s)`,
    scan: (host: LiveHost, ctx: ScanContext) =>
      limit(async (): Promise<Observation> => {
        const at = ctx.now().toISOString();
        const base = { scanner: 'snmp', address: host.address, at };
        if (options.credentials.length === 0) return { ...base, status: 'skipped', facts: {}, detail: 'no SNMP credentials configured' };
        const budget = AbortSignal.any([ctx.signal, AbortSignal.timeout(options.deviceBudgetMs)]);
        const preferred = lastGood.get(host.address) ?? options.rememberedCredential?.({ address: host.address, macs: (host.discovery.facts.macs ?? []).map((m) => m.value) });
        const ordered = orderCredentials(options.credentials, preferred);

        const failures: SnmpError[] = [];
        for (const credential of ordered) {
          if (budget.aborted) break;
          const transport = limitTransport(open(host.address, credential, budget), REQUESTS_PER_DEVICE);
          try {
            const system = await readSystemGroup(transport);
            if (system.length === 0) {
              failures.push(new SnmpError('protocol-error', 'empty answer to the system group'));
              continue;
            }
            lastGood.set(host.address, credential.label);
            const version = credential.kind === 'v3' ? 'v3' : credential.version;
            const vlanContexts = {
              open: (vlan: number) => limitTransport(open(host.address, vlanCredential(credential, vlan), budget), REQUESTS_PER_DEVICE),
            };
            const facts = await interrogateDevice(transport, system, options.planner, { version, credential: credential.label, vlanContexts });
            return { ...base, status: 'ok', facts, ...(budget.aborted && !ctx.signal.aborted ? { detail: `time budget of ${options.deviceBudgetMs} ms spent: partial tables` } : {}) };
          } catch (error) {
            failures.push(error instanceof SnmpError ? error : new SnmpError('error', (error as Error).message?.slice(0, 120) ?? 'error'));
            // A crypto setup problem is the same for every host: say it once, do not try on.
            if (failures.at(-1)!.kind === 'unsupported-crypto') continue;
          } finally {
            transport.close();
          }
        }
        return { ...base, status: statusOf(failures), facts: {}, detail: detailOf(failures, ordered.length) };
      }),
  };
}

/**
 * The credential that reads one VLAN's bridge on a Cisco device: COMMUNITY@VLAN on v1/v2c, context
 * vlan-VLAN on v3. Same label: the indexed community is a secret like the community.
 */
export function vlanCredential(credential: SnmpCredential, vlan: number): SnmpCredential {
  return credential.kind === 'community' ? { ...credential, community: `${credential.community}@${vlan}` } : { ...credential, context: `vlan-${vlan}` };
}

function statusOf(failures: SnmpError[]): ScanStatus {
  if (failures.some((f) => f.kind === 'auth-failed')) return 'auth-failed';
  if (failures.some((f) => f.kind === 'unsupported-crypto' || f.kind === 'error')) return 'error';
  if (failures.some((f) => f.kind === 'protocol-error')) return 'protocol-error';
  return 'timeout';
}

function detailOf(failures: SnmpError[], tried: number): string {
  const crypto = failures.find((f) => f.kind === 'unsupported-crypto');
  if (crypto) return crypto.message;
  const auth = failures.find((f) => f.kind === 'auth-failed');
  if (auth) return `${auth.message} (${tried} credential(s) tried)`;
  const other = failures.find((f) => f.kind !== 'timeout');
  if (other) return other.message;
  return `no SNMP answer with ${tried} credential(s)`;
}
