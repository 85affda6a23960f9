// `netcensus snmp walk TARGET --out FILE.snmprec`: record one device for a bug report or a new
// vendor definition. Credentials as for scan (config, --community, --snmp-v3).
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { commandLineSecretWarning, resolveSnmpCredentials } from '../../config/credentials.js';
import { loadConfig } from '../../config/load-config.js';
import { applySettings, DEFAULT_SCAN_SETTINGS } from '../../config/settings.js';
import { UsageError } from '../../model/index.js';
import { recordDevice } from '../../scan/snmp/record-device.js';
import { formatSnmprec } from '../../scan/snmp/snmprec.js';
import type { GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

export interface SnmpWalkFlags extends GlobalOptions {
  out?: string;
  community?: string[];
  snmpV3?: string[];
  snmpPort?: number;
  snmpTimeout?: number;
  maxValues?: number;
  redact?: boolean;
  quiet?: boolean;
}

export async function snmpWalkCommand(target: string, flags: SnmpWalkFlags, output: Output): Promise<number> {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(target) && !/^[A-Za-z0-9.-]+$/.test(target)) throw new UsageError(`"${target}" is not an address or host name`);
  const { config, path } = await loadConfig({ explicit: flags.config, cwd: process.cwd(), env: process.env });
  const snmp = { ...applySettings(DEFAULT_SCAN_SETTINGS, config).snmp };
  if (flags.community) snmp.communities = flags.community;
  const secretWarning = commandLineSecretWarning(flags.community);
  if (secretWarning && !flags.quiet) output.err(`netcensus: warning: ${secretWarning}\n`);
  if (flags.snmpV3) snmp.v3Only = flags.snmpV3;
  if (flags.snmpPort !== undefined) snmp.port = flags.snmpPort;
  if (flags.snmpTimeout !== undefined) snmp.timeoutMs = flags.snmpTimeout;
  const credentials = resolveSnmpCredentials(snmp, { env: process.env, baseDir: path ? dirname(path) : process.cwd() });
  if (credentials.length === 0) throw new UsageError('no SNMP credentials: give --community, --snmp-v3 NAME, or set snmp.communities / snmp.v3 in the config');
  const result = await recordDevice(target, {
    credentials,
    port: snmp.port,
    timeoutMs: snmp.timeoutMs,
    retries: snmp.retries,
    maxValues: flags.maxValues ?? 200_000,
    budgetMs: 10 * 60_000,
    redact: flags.redact !== false,
  });
  if ('error' in result) {
    output.err(`netcensus: ${target}: ${result.error.message} (${credentials.length} credential(s) tried)\n`);
    return EXIT.targetsFailed;
  }
  const text = formatSnmprec(result.values);
  if (flags.out && flags.out !== '-') writeFileSync(flags.out, text);
  else output.out(text);
  if (!flags.quiet) {
    output.err(
      `recorded ${result.values.length} values from ${target} with ${result.credential}${result.truncated ? ' (cut short: raise --max-values)' : ''}` +
        `${flags.redact !== false ? '; sysContact and sysLocation redacted' : ''}\n`,
    );
  }
  return EXIT.ok;
}
