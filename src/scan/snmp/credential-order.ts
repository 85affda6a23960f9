// The order credentials are tried in on one host: the one that last worked for it first (in this
// run at this address; else the one remembered from an earlier scan for the asset last seen with this
// MAC or at this address), then the others in configured order. Pure; credentials are named by
// label only, so nothing here holds or compares a secret.
import type { SnmpCredential } from '../../config/credentials.js';

/** What an interrogator knows of a host before asking it anything. */
export interface HostKeys {
  address: string;
  /** MACs discovery saw for the address (ARP), lower-case aa:bb:cc:dd:ee:ff. */
  macs: readonly string[];
}

/** The label of the credential remembered for a host, if any. */
export type RememberedCredentialLookup = (host: HostKeys) => string | undefined;

/** One remembered credential and where its asset was last seen (store/snmp-credential-memory). */
export interface RememberedCredentialEntry {
  credential: string;
  addresses: readonly string[];
  macs: readonly string[];
}

/**
 * A lookup over remembered entries, the most recently seen asset last (it wins an address or MAC two
 * assets share). A MAC names the asset better than an address (DHCP moves addresses), so it is
 * asked first.
 */
export function rememberedCredentialLookup(entries: Iterable<RememberedCredentialEntry>): RememberedCredentialLookup {
  const byAddress = new Map<string, string>();
  const byMac = new Map<string, string>();
  for (const e of entries) {
    for (const a of e.addresses) byAddress.set(a, e.credential);
    for (const m of e.macs) byMac.set(normalizeMac(m), e.credential);
  }
  return (host) => {
    for (const m of host.macs) {
      const hit = byMac.get(normalizeMac(m));
      if (hit !== undefined) return hit;
    }
    return byAddress.get(host.address);
  };
}

/** The credentials with the preferred label first (when it is one of them), the rest in order. */
export function orderCredentials(credentials: readonly SnmpCredential[], preferred: string | undefined): SnmpCredential[] {
  if (preferred === undefined) return [...credentials];
  const first = credentials.filter((c) => c.label === preferred);
  return first.length === 0 ? [...credentials] : [...first, ...credentials.filter((c) => c.label !== preferred)];
}

function normalizeMac(mac: string): string {
  const hex = mac.toLowerCase().replace(/[^0-9a-f]/g, '');
  return hex.length === 12 ? hex.match(/../g)!.join(':') : mac.toLowerCase();
}
