// `netcensus doctor`: what this machine offers and what each missing piece costs. Reads only: it
// opens the database read-only, sends nothing on the network, and never prints a secret (a
// credential is named by where it comes from, and only whether it resolves is shown).
//
// Exit 0 when everything needed is usable (warnings are allowed), 1 when something is broken
// (an unreadable or corrupt database, an invalid config, credentials that do not resolve).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { resolveSnmpCredentials } from '../../config/credentials.js';
import { loadConfig } from '../../config/load-config.js';
import { applySettings, DEFAULT_SCAN_SETTINGS, type ConfigFile, type ScanSettings } from '../../config/settings.js';
import { UsageError } from '../../model/index.js';
import { readNeighbourLimits } from '../../scan/discover/arp/neighbour-table.js';
import { findCommand, findTools } from '../../scan/tools.js';
import { inspectDatabase } from '../../store/inspect-database.js';
import { databasePath, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

export type CheckLevel = 'ok' | 'info' | 'warn' | 'fail';

export interface Check {
  area: string;
  level: CheckLevel;
  message: string;
}

export async function doctorCommand(flags: GlobalOptions, output: Output): Promise<number> {
  const checks = [
    ...privilegeChecks(),
    ...(await toolChecks()),
    ...(await kernelChecks()),
    ...databaseChecks(databasePath(flags)),
    ...(await configChecks(flags)),
  ];
  const usable = !checks.some((c) => c.level === 'fail');
  if (flags.json) {
    output.out(JSON.stringify({ usable, checks }, null, 2) + '\n');
  } else {
    const colour = { ok: 'green', info: 'cyan', warn: 'yellow', fail: 'red' } as const;
    const width = Math.max(...checks.map((c) => c.area.length));
    for (const c of checks) {
      output.out(`${output.style(colour[c.level], c.level.padEnd(4))}  ${c.area.padEnd(width)}  ${c.message}\n`);
    }
    output.out(usable ? '\nnetcensus can run here.\n' : '\nsomething netcensus needs is broken (see "fail" above).\n');
  }
  return usable ? EXIT.ok : 1;
}

function privilegeChecks(): Check[] {
  const root = process.getuid?.() === 0;
  return [
    root
      ? { area: 'privileges', level: 'ok', message: 'running as root: ping and fping work without capabilities, and "netcensus local" can read serial numbers and the SMBIOS UUID' }
      : {
          area: 'privileges',
          level: 'info',
          message:
            'not root: ICMP needs fping or ping with cap_net_raw (see below); TCP, SNMP, DNS and the neighbour table need nothing; ' +
            '"netcensus local" cannot read serial numbers (run it with sudo for those)',
        },
  ];
}

async function toolChecks(): Promise<Check[]> {
  const tools = findTools();
  const root = process.getuid?.() === 0;
  const checks: Check[] = [];
  const icmp = (name: 'fping' | 'ping', path: string | null): void => {
    if (!path) return;
    const how = rawSocketAccess(path);
    checks.push(
      root || how.ok
        ? { area: name, level: 'ok', message: `${path}${how.detail ? ` (${how.detail})` : ''}: ICMP discovery works` }
        : { area: name, level: 'warn', message: `${path} has no raw-socket capability and this is not root: ICMP probes fail; run "setcap cap_net_raw+ep ${path}" as root` },
    );
  };
  icmp('fping', tools.fping);
  if (!tools.fping) {
    checks.push({
      area: 'fping',
      level: 'warn',
      message: tools.ping
        ? 'not installed: ICMP falls back to one ping process per address, slower on big ranges (apt install fping)'
        : 'not installed, nor ping: hosts that answer only ICMP are missed (apt install fping)',
    });
  }
  icmp('ping', tools.ping);
  checks.push(
    tools.nmap
      ? { area: 'nmap', level: 'ok', message: `${tools.nmap}: available for OS and service enrichment` }
      : { area: 'nmap', level: 'info', message: 'not installed: optional; without it there is no OS or service enrichment by nmap' },
  );
  checks.push(
    tools.arpScan
      ? {
          area: 'arp-scan',
          level: 'ok',
          message: root
            ? `${tools.arpScan}: large local ranges (2,048 addresses or more) are swept with raw ARP requests, faster than through the kernel's neighbour table`
            : `${tools.arpScan}: used only as root (it needs a raw socket); unprivileged, local segments go through the kernel's neighbour table`,
        }
      : {
          area: 'arp-scan',
          level: 'info',
          message: 'not installed: optional; as root it sweeps large local segments faster than the kernel\'s neighbour table can (apt install arp-scan)',
        },
  );
  checks.push(
    tools.ip
      ? { area: 'ip', level: 'ok', message: `${tools.ip}: a large neighbour (ARP) table is read with "ip neigh" (one of up to 512 entries from /proc/net/arp)` }
      : { area: 'ip', level: 'warn', message: 'not found: the neighbour table is read from /proc/net/arp, which is slow with large tables (apt install iproute2)' },
  );
  return checks;
}

/** Whether an ICMP tool can open raw sockets unprivileged: file capability, setuid root, or ping_group_range. */
function rawSocketAccess(path: string): { ok: boolean; detail: string } {
  const getcap = findCommand('getcap', process.env.PATH ?? '', ['/usr/sbin', '/sbin']);
  if (getcap) {
    const r = spawnSync(getcap, [path], { encoding: 'utf8', timeout: 5000 });
    const caps = /cap_net_raw\S*/.exec(r.stdout ?? '')?.[0];
    if (caps) return { ok: true, detail: caps };
  }
  try {
    const st = statSync(path);
    if ((st.mode & 0o4000) !== 0 && st.uid === 0) return { ok: true, detail: 'setuid root' };
  } catch {
    // unreadable: fall through
  }
  const range = readText('/proc/sys/net/ipv4/ping_group_range')?.trim().split(/\s+/).map(Number);
  const gid = process.getgid?.();
  if (range && range.length === 2 && gid !== undefined && gid >= range[0]! && gid <= range[1]!) {
    return { ok: true, detail: 'unprivileged ICMP allowed by net.ipv4.ping_group_range' };
  }
  return { ok: false, detail: getcap ? 'no cap_net_raw' : 'getcap not installed, capabilities unknown' };
}

async function kernelChecks(): Promise<Check[]> {
  const limits = await readNeighbourLimits();
  const checks: Check[] = [];
  if (limits.gcThresh3 === null) {
    checks.push({ area: 'neighbour table', level: 'info', message: 'net.ipv4.neigh.default.gc_thresh3 unreadable (not Linux?)' });
  } else if (limits.gcThresh3 <= 4096) {
    checks.push({
      area: 'neighbour table',
      level: 'warn',
      message:
        `gc_thresh3 = ${limits.gcThresh3}: local segments are swept slowly and more live local hosts than that cannot all be kept; ` +
        'for large local ranges: sysctl -w net.ipv4.neigh.default.gc_thresh3=131072',
    });
  } else {
    checks.push({ area: 'neighbour table', level: 'ok', message: `gc_thresh3 = ${limits.gcThresh3}` });
  }
  if (limits.wmemMax !== null) {
    checks.push(
      limits.wmemMax < 1024 * 1024
        ? { area: 'send buffers', level: 'info', message: `net.core.wmem_max = ${limits.wmemMax}: UDP probes are spread over more sockets; raise it (sysctl -w net.core.wmem_max=4194304) for very fast sweeps` }
        : { area: 'send buffers', level: 'ok', message: `net.core.wmem_max = ${limits.wmemMax}` },
    );
  }
  return checks;
}

function databaseChecks(path: string): Check[] {
  const area = 'database';
  if (!existsSync(path)) {
    const dir = nearestExisting(dirname(path));
    try {
      accessSync(dir, constants.W_OK);
      return [{ area, level: 'info', message: `${path} does not exist yet; the first scan creates it, readable by you only` }];
    } catch {
      return [{ area, level: 'fail', message: `${path} does not exist and ${dir} is not writable: a scan cannot create it; pass --db or fix the folder's permissions` }];
    }
  }
  const checks: Check[] = [];
  const st = statSync(path);
  checks.push({ area, level: 'ok', message: `${path}, ${formatBytes(st.size + (statOrNull(`${path}-wal`)?.size ?? 0))}` });
  checks.push(modeCheck('database mode', path, st.mode, 'it holds the inventory of your network'));
  try {
    const info = inspectDatabase(path);
    checks.push(
      info.integrity === 'ok'
        ? { area: 'integrity', level: 'ok', message: 'PRAGMA integrity_check: ok' }
        : { area: 'integrity', level: 'fail', message: `PRAGMA integrity_check: ${info.integrity}; restore from a backup` },
    );
    checks.push(
      info.schemaVersion > info.currentSchema
        ? { area: 'schema', level: 'fail', message: `version ${info.schemaVersion} is newer than this netcensus writes (${info.currentSchema}); upgrade netcensus` }
        : info.schemaVersion < info.currentSchema
          ? { area: 'schema', level: 'info', message: `version ${info.schemaVersion}; the next scan migrates it to ${info.currentSchema}` }
          : { area: 'schema', level: 'ok', message: `version ${info.schemaVersion}; ${info.snapshots} snapshot(s), ${info.assets ?? 0} asset(s)` },
    );
    for (const r of info.running) {
      checks.push({ area: 'lock', level: 'info', message: `snapshot ${r.id} is running (pid ${r.pid ?? '?'} on ${r.host ?? '?'}, started ${r.startedAt}); if that process is gone, the next scan marks it interrupted` });
    }
  } catch (error) {
    checks.push({ area: 'integrity', level: 'fail', message: `cannot read ${path}: ${(error as Error).message}` });
  }
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
  } catch {
    checks.push({ area: 'database', level: 'fail', message: `${path} or its folder is not writable: scans cannot store snapshots` });
  }
  return checks;
}

async function configChecks(flags: GlobalOptions): Promise<Check[]> {
  const area = 'config';
  let loaded: { path: string | null; config: ConfigFile };
  try {
    loaded = await loadConfig({ explicit: flags.config, cwd: process.cwd(), env: process.env });
  } catch (error) {
    if (error instanceof UsageError) return [{ area, level: 'fail', message: error.message }];
    throw error;
  }
  const { path, config } = loaded;
  if (!path) return [{ area, level: 'info', message: 'no config file (./netcensus.yaml or $XDG_CONFIG_HOME/netcensus/config.yaml): defaults; targets on the command line' }];
  const checks: Check[] = [{ area, level: 'ok', message: `${path} is valid (${Object.keys(config.profiles ?? {}).length} profile(s))` }];
  checks.push(modeCheck('config mode', path, statSync(path).mode, 'it may hold SNMP credentials'));

  // Each layer that scans can use: the top level and every profile.
  const layers: [string, ScanSettings][] = [['top level', applySettings(DEFAULT_SCAN_SETTINGS, config)]];
  for (const [name, profile] of Object.entries(config.profiles ?? {})) layers.push([`profile ${name}`, applySettings(layers[0]![1], profile)]);
  const baseDir = dirname(path);
  const literal: string[] = [];
  for (const [name, settings] of layers) {
    const snmp = settings.snmp;
    const refs = [...snmp.communities, ...snmp.v3.flatMap((u) => [u.authKey, u.privKey].filter((k): k is string => k !== undefined))];
    if (!snmp.enabled || refs.length === 0) continue;
    try {
      const creds = resolveSnmpCredentials(snmp, { env: process.env, baseDir });
      checks.push({ area: 'credentials', level: 'ok', message: `${name}: ${creds.length} SNMP credential(s) resolve (${creds.map((c) => c.label).join(', ')})` });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      checks.push({ area: 'credentials', level: 'fail', message: `${name}: ${error.message}` });
    }
    for (const ref of refs) {
      if (ref.startsWith('file:')) {
        const file = isAbsolute(ref.slice(5)) ? ref.slice(5) : resolve(baseDir, ref.slice(5));
        const st = statOrNull(file);
        if (st) {
          const c = modeCheck('secret file', file, st.mode, 'it holds a credential');
          if (c.level !== 'ok') checks.push(c);
        }
      } else if (!ref.startsWith('env:')) {
        literal.push(name);
      }
    }
  }
  if (literal.length > 0) {
    checks.push({
      area: 'credentials',
      level: 'warn',
      message: `${[...new Set(literal)].join(', ')}: secrets written into the config itself; prefer env:VAR or file:PATH, and keep the config readable by you only`,
    });
  }
  return checks;
}

/** Group or others may read it: say so, with the fix. */
function modeCheck(area: string, path: string, mode: number, why: string): Check {
  const perms = mode & 0o777;
  const text = perms.toString(8).padStart(4, '0');
  return (perms & 0o077) !== 0
    ? { area, level: 'warn', message: `${path} is mode ${text}, readable by others, and ${why}: chmod 600 ${path}` }
    : { area, level: 'ok', message: `${text}, readable by you only` };
}

function nearestExisting(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} kB`;
}
