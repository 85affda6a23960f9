// The system tools netcensus can use (all optional): found on PATH without a shell, once per run.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SystemTools {
  fping: string | null;
  ping: string | null;
  ip: string | null;
  nmap: string | null;
  /** Raw ARP requests for local segments, used as root (see discover/arp/arp-scan.ts). */
  arpScan: string | null;
}

export function findCommand(name: string, path = process.env.PATH ?? '', extraDirs: string[] = []): string | null {
  const dirs = [...path.split(delimiter), ...extraDirs];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** On PATH; `ip` and arp-scan also in the sbin folders, because cron's PATH often lacks /usr/sbin. */
export function findTools(path = process.env.PATH ?? ''): SystemTools {
  return {
    fping: findCommand('fping', path),
    ping: findCommand('ping', path),
    ip: findCommand('ip', path, ['/usr/sbin', '/sbin', '/usr/bin', '/bin']),
    nmap: findCommand('nmap', path),
    arpScan: findCommand('arp-scan', path, ['/usr/sbin', '/sbin']),
  };
}
