// Credentials resolved from the references the config file holds: a secret is literal text, or
// "env:VAR" (read from the environment), or "file:PATH" (the file's first line, relative to the
// config file's folder). Resolution happens once, at scan start, in memory; error messages name the
// reference, never the value. Nothing here is ever written to the database or a log.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../model/index.js';
import type { SnmpSettings, SnmpV3UserInput } from './settings.js';

export type SnmpAuthProtocol = NonNullable<SnmpV3UserInput['authProtocol']>;
export type SnmpPrivProtocol = NonNullable<SnmpV3UserInput['privProtocol']>;

/**
 * One credential to try, secrets in clear. `label` is what logs and facts may show, and what the
 * database remembers as the credential that last worked for an asset (store/snmp-credential-memory):
 * "v3 user NAME", or "community #N" by position in the list, which says nothing of the secret.
 */
export type SnmpCredential =
  | { kind: 'community'; label: string; version: 'v1' | 'v2c'; community: string }
  | {
      kind: 'v3';
      label: string;
      user: string;
      level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
      authProtocol?: SnmpAuthProtocol;
      authKey?: string;
      privProtocol?: SnmpPrivProtocol;
      privKey?: string;
      context?: string;
    };

export interface SecretSource {
  env: NodeJS.ProcessEnv;
  /** Folder that relative file: paths start from (the config file's folder, else the cwd). */
  baseDir: string;
  readFile?: (path: string) => string;
}

/** Resolves one secret reference. Throws UsageError naming the reference (not the value). */
export function resolveSecret(reference: string, where: string, source: SecretSource): string {
  if (reference.startsWith('env:')) {
    const name = reference.slice(4);
    const value = source.env[name];
    if (value === undefined || value === '') throw new UsageError(`${where}: environment variable ${name} is not set`);
    return value;
  }
  if (reference.startsWith('file:')) {
    const path = reference.slice(5);
    const full = isAbsolute(path) ? path : resolve(source.baseDir, path);
    let text: string;
    try {
      text = (source.readFile ?? ((p) => readFileSync(p, 'utf8')))(full);
    } catch (error) {
      throw new UsageError(`${where}: cannot read secret file ${full} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const value = text.split(/\r?\n/)[0] ?? '';
    if (value === '') throw new UsageError(`${where}: secret file ${full} is empty`);
    return value;
  }
  return reference;
}

/**
 * The credentials a scan tries, in order: the selected v3 users (all configured ones when none is
 * selected), then the communities.
 */
export function resolveSnmpCredentials(snmp: SnmpSettings, source: SecretSource): SnmpCredential[] {
  const out: SnmpCredential[] = [];
  const users = snmp.v3.map((u) => ({ ...u, name: u.name ?? u.user }));
  if (snmp.v3Only) {
    for (const wanted of snmp.v3Only) {
      if (!users.some((u) => u.name === wanted)) {
        const known = users.map((u) => u.name);
        throw new UsageError(
          `--snmp-v3 ${wanted}: no such v3 user in the config` + (known.length > 0 ? `; configured: ${known.join(', ')}` : '; define it under snmp.v3'),
        );
      }
    }
  }
  for (const u of users) {
    if (snmp.v3Only && !snmp.v3Only.includes(u.name)) continue;
    const where = `snmp.v3 "${u.name}"`;
    const level = u.privProtocol ? 'authPriv' : u.authProtocol ? 'authNoPriv' : 'noAuthNoPriv';
    out.push({
      kind: 'v3',
      label: `v3 user ${u.name}`,
      user: u.user,
      level,
      ...(u.authProtocol ? { authProtocol: u.authProtocol, authKey: resolveSecret(u.authKey!, `${where} authKey`, source) } : {}),
      ...(u.privProtocol ? { privProtocol: u.privProtocol, privKey: resolveSecret(u.privKey!, `${where} privKey`, source) } : {}),
      ...(u.context ? { context: u.context } : {}),
    });
  }
  snmp.communities.forEach((c, i) => {
    const community = resolveSecret(c, `snmp.communities[${i}]`, source);
    if (!out.some((o) => o.kind === 'community' && o.community === community)) {
      out.push({ kind: 'community', label: `community #${i + 1}`, version: snmp.version, community });
    }
  });
  return out;
}

/**
 * A community given literally on the command line is visible to every local user (ps,
 * /proc/PID/cmdline): the warning to print, or null when all are env:/file: references.
 */
export function commandLineSecretWarning(communities: readonly string[] | undefined): string | null {
  if (!communities?.some((c) => !c.startsWith('env:') && !c.startsWith('file:'))) return null;
  return (
    '--community on the command line is visible to every local user (ps, /proc/PID/cmdline); ' +
    'put it in an environment variable or a file readable only by you and pass env:VAR or file:PATH'
  );
}
