// Serves the project's own simulated devices (fixtures/snmp-sim/*.snmprec) in-process with
// net-snmp's agent. Values ending in .0 become scalars; values under the table entries listed in
// TABLES become table rows (index columns are synthesised from the OID suffix, not served).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import snmp, { type Agent } from 'net-snmp';
import { parseSnmprec } from '../../src/scan/snmp/snmprec.js';
import type { SnmpValue } from '../../src/scan/snmp/transport.js';

export const SIM_DIR = resolve(import.meta.dirname, '../../fixtures/snmp-sim');

type IndexPart = 'int' | 'mac' | 'ip';
const TABLES: Record<string, IndexPart[]> = {
  '1.3.6.1.2.1.2.2.1': ['int'], // ifEntry
  '1.3.6.1.2.1.31.1.1.1': ['int'], // ifXEntry
  '1.3.6.1.2.1.4.20.1': ['ip'], // ipAddrEntry
  '1.3.6.1.2.1.4.22.1': ['int', 'ip'], // ipNetToMediaEntry
  '1.3.6.1.2.1.47.1.1.1.1': ['int'], // entPhysicalEntry
  '1.3.6.1.2.1.25.3.2.1': ['int'], // hrDeviceEntry
  '1.3.6.1.2.1.43.5.1.1': ['int'], // prtGeneralEntry
  '1.3.6.1.2.1.43.10.2.1': ['int', 'int'], // prtMarkerEntry
  '1.3.6.1.2.1.43.11.1.1': ['int', 'int'], // prtMarkerSuppliesEntry
  '1.3.6.1.2.1.43.12.1.1': ['int', 'int'], // prtMarkerColorantEntry
  '1.3.6.1.2.1.17.1.4.1': ['int'], // dot1dBasePortEntry
  '1.3.6.1.2.1.17.4.3.1': ['mac'], // dot1dTpFdbEntry
  '1.3.6.1.2.1.17.7.1.2.2.1': ['int', 'mac'], // dot1qTpFdbEntry
  '1.0.8802.1.1.2.1.3.7.1': ['int'], // lldpLocPortEntry
  '1.0.8802.1.1.2.1.4.1.1': ['int', 'int', 'int'], // lldpRemEntry
};

export interface SimUser {
  name: string;
  level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol?: 'md5' | 'sha' | 'sha256' | 'sha512';
  authKey?: string;
  privProtocol?: 'des' | 'aes' | 'aes256b';
  privKey?: string;
}

export interface SimulatedDevice {
  address: string;
  port: number;
  /** Requests refused for their community (v1/v2c), by community: what a wrong credential cost. */
  rejectedCommunities: Map<string, number>;
  close(): Promise<void>;
}

export async function startSimulatedDevice(file: string, address: string, port: number, access: { communities?: string[]; users?: SimUser[] }): Promise<SimulatedDevice> {
  const values = parseSnmprec(readFileSync(resolve(SIM_DIR, file), 'utf8'));
  const rejectedCommunities = new Map<string, number>();
  // The agent reports each request it drops; one refused for its community names that community.
  const agent: Agent = snmp.createAgent({ port, address, transport: 'udp4' }, (error: Error | null) => {
    const community = /community not found for message with community (.*)$/.exec(error?.message ?? '')?.[1];
    if (community !== undefined) rejectedCommunities.set(community, (rejectedCommunities.get(community) ?? 0) + 1);
  });
  const authorizer = agent.getAuthorizer();
  for (const c of access.communities ?? []) authorizer.addCommunity(c);
  for (const u of access.users ?? []) {
    authorizer.addUser({
      name: u.name,
      level: snmp.SecurityLevel[u.level]!,
      ...(u.authProtocol ? { authProtocol: snmp.AuthProtocols[u.authProtocol]!, authKey: u.authKey! } : {}),
      ...(u.privProtocol ? { privProtocol: snmp.PrivProtocols[u.privProtocol]!, privKey: u.privKey! } : {}),
    });
  }
  const mib = agent.getMib();
  const rows = new Map<string, Map<string, Map<number, SnmpValue>>>();
  for (const v of values) {
    const entry = Object.keys(TABLES).find((e) => v.oid.startsWith(e + '.'));
    if (entry) {
      const rest = v.oid.slice(entry.length + 1).split('.');
      const column = Number(rest[0]);
      const index = rest.slice(1).join('.');
      const table = rows.get(entry) ?? new Map<string, Map<number, SnmpValue>>();
      rows.set(entry, table);
      const row = table.get(index) ?? new Map<number, SnmpValue>();
      table.set(index, row);
      row.set(column, v);
    } else if (v.oid.endsWith('.0')) {
      const name = `s${v.oid}`;
      mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid: v.oid.slice(0, -2), scalarType: v.tag, maxAccess: snmp.MaxAccess['read-only'] });
      mib.setScalarValue(name, agentValue(v));
    } else {
      throw new Error(`${file}: ${v.oid} is neither a scalar (.0) nor in a known table`);
    }
  }
  for (const [entry, table] of rows) {
    const parts = TABLES[entry]!;
    const columns = new Map<number, number>();
    for (const row of table.values()) for (const [c, v] of row) columns.set(c, v.tag);
    const dataColumns = [...columns.entries()].sort((a, b) => a[0] - b[0]);
    const indexColumns = parts.map((p, i) => ({ number: 1000 + i, name: `${entry}.idx${i}`, type: p === 'int' ? snmp.ObjectType.Integer : p === 'ip' ? snmp.ObjectType.IpAddress : snmp.ObjectType.OctetString, part: p }));
    const name = `t${entry}`;
    mib.registerProvider({
      name,
      type: snmp.MibProviderType.Table,
      oid: entry,
      maxAccess: snmp.MaxAccess['not-accessible'],
      tableColumns: [
        ...dataColumns.map(([number, tag]) => ({ number, name: `${entry}.${number}`, type: tag, maxAccess: snmp.MaxAccess['read-only'] })),
        ...indexColumns.map((c) => ({ number: c.number, name: c.name, type: c.type, maxAccess: snmp.MaxAccess['not-accessible'] })),
      ],
      tableIndex: indexColumns.map((c) => ({ columnName: c.name, ...(c.part === 'mac' ? { length: 6 } : {}) })),
    });
    for (const [index, row] of table) {
      const comps = index.split('.');
      const indexValues: unknown[] = [];
      let at = 0;
      for (const p of parts) {
        if (p === 'int') indexValues.push(Number(comps[at++]));
        else if (p === 'ip') (indexValues.push(comps.slice(at, at + 4).join('.')), (at += 4));
        else (indexValues.push(Buffer.from(comps.slice(at, at + 6).map(Number))), (at += 6));
      }
      const cells = dataColumns.map(([c, tag]) => {
        const v = row.get(c);
        return v ? agentValue(v) : tag === snmp.ObjectType.OctetString ? '' : 0;
      });
      mib.addTableRow(name, [...cells, ...indexValues]);
    }
  }
  return { address, port, rejectedCommunities, close: () => new Promise((r) => agent.close(() => r())) };
}

function agentValue(v: SnmpValue): unknown {
  if (v.tag === snmp.ObjectType.OctetString) return Buffer.from(v.bytes ?? []);
  if (v.num !== undefined) return v.num;
  return v.text;
}
