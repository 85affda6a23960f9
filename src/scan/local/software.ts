// Installed software from the platform's own package database. systeminformation has no package
// list, so this spawns the platform tool and parses its output (the parsers are pure and tested on
// recorded output):
//   Linux    dpkg-query -W (Debian, Ubuntu), else rpm -qa (RHEL, SUSE): installed packages only
//   Windows  reg query of the Uninstall keys (HKLM, HKLM WOW6432Node, HKCU): what "Apps &
//            features" lists; system components and updates (SystemComponent=1, ParentKeyName)
//            are left out, as that list does
//   macOS    system_profiler -json SPApplicationsDataType: applications, not Homebrew or pkgutil
//            receipts. It can take many seconds on a machine with many applications.
// A platform without any of these reports software as unavailable, never an empty list.
import { execFile } from 'node:child_process';
import type { SoftwarePackage } from '../../model/index.js';

export interface SoftwareResult {
  source: string;
  packages: SoftwarePackage[];
}

export type SoftwareOutcome = { ok: true; result: SoftwareResult } | { ok: false; reason: string };

/** `dpkg-query -W -f '${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${Maintainer}\n'` */
export const DPKG_FORMAT = '${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Architecture}\\t${Maintainer}\\n';

/** Installed (status ii, hi: installed, held or not) packages from dpkg-query output. */
export function parseDpkg(output: string): SoftwarePackage[] {
  const packages: SoftwarePackage[] = [];
  for (const line of output.split('\n')) {
    const [status, name, version, arch, maintainer] = line.split('\t');
    if (!name || !status || status.trim().length < 2 || status[1] !== 'i') continue;
    packages.push({
      name,
      ...(version ? { version } : {}),
      ...(arch ? { arch } : {}),
      ...(maintainer ? { publisher: maintainer.replace(/\s*<[^>]*>\s*$/, '').trim() } : {}),
    });
  }
  return packages;
}

/** `rpm -qa --qf '%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\t%{ARCH}\t%{VENDOR}\n'` */
export const RPM_FORMAT = '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{VENDOR}\\n';

export function parseRpm(output: string): SoftwarePackage[] {
  const packages: SoftwarePackage[] = [];
  for (const line of output.split('\n')) {
    const [name, version, arch, vendor] = line.split('\t');
    if (!name) continue;
    packages.push({
      name,
      ...(version ? { version: version.replace(/^0:/, '') } : {}),
      ...(arch && arch !== '(none)' ? { arch } : {}),
      ...(vendor && vendor !== '(none)' ? { publisher: vendor } : {}),
    });
  }
  return packages;
}

/** Parses `reg query <Uninstall key> /s` output into "Apps & features" entries. */
export function parseRegUninstall(output: string): SoftwarePackage[] {
  const packages: SoftwarePackage[] = [];
  let values: Map<string, string> | null = null;
  const finish = (): void => {
    if (values === null) return;
    const name = values.get('displayname')?.trim();
    const hidden = values.get('systemcomponent') === '0x1' || values.has('parentkeyname') || values.has('releasetype');
    if (name && !hidden) {
      const version = values.get('displayversion')?.trim();
      const publisher = values.get('publisher')?.trim();
      packages.push({ name, ...(version ? { version } : {}), ...(publisher ? { publisher } : {}) });
    }
    values = null;
  };
  for (const raw of output.split(/\r?\n/)) {
    if (/^HKEY_/i.test(raw)) {
      finish();
      values = new Map();
      continue;
    }
    const m = /^\s{2,}(.+?)\s{2,}(REG_[A-Z_]+)\s{2,}(.*)$/.exec(raw) ?? /^\s{2,}(.+?)\s{2,}(REG_[A-Z_]+)$/.exec(raw);
    if (m && values !== null) values.set(m[1]!.trim().toLowerCase(), (m[3] ?? '').trim());
  }
  finish();
  return dedupe(packages);
}

interface ProfilerApp {
  _name?: unknown;
  version?: unknown;
  obtained_from?: unknown;
  signed_by?: unknown;
}

/** Parses `system_profiler -json SPApplicationsDataType`. */
export function parseSystemProfiler(output: string): SoftwarePackage[] {
  const data = JSON.parse(output) as { SPApplicationsDataType?: ProfilerApp[] };
  const packages: SoftwarePackage[] = [];
  for (const app of data.SPApplicationsDataType ?? []) {
    if (typeof app._name !== 'string' || app._name.trim() === '') continue;
    const version = typeof app.version === 'string' ? app.version.trim() : '';
    const signer = Array.isArray(app.signed_by) && typeof app.signed_by[0] === 'string' ? app.signed_by[0] : '';
    // "Developer ID Application: Mozilla Corporation (43AQ936H96)" -> "Mozilla Corporation"
    const developer = /^Developer ID Application: (.+?)(?: \([A-Z0-9]+\))?$/.exec(signer)?.[1];
    const publisher = developer ?? (app.obtained_from === 'apple' ? 'Apple' : undefined);
    packages.push({ name: app._name.trim(), ...(version ? { version } : {}), ...(publisher ? { publisher } : {}) });
  }
  return dedupe(packages);
}

/** One entry per name and version (an application installed twice at two paths counts once). */
function dedupe(packages: SoftwarePackage[]): SoftwarePackage[] {
  const seen = new Set<string>();
  return packages.filter((p) => {
    const key = `${p.name}\u0000${p.version ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function run(command: string, args: string[], timeoutMs: number): Promise<{ ok: true; stdout: string } | { ok: false; reason: string; missing: boolean }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const missing = code === 'ENOENT';
        const reason = missing
          ? `${command} is not installed`
          : error.killed
            ? `${command} did not finish in ${timeoutMs} ms`
            : `${command} failed: ${(stderr || error.message).trim().split('\n')[0]}`;
        resolve({ ok: false, reason, missing });
      } else {
        resolve({ ok: true, stdout });
      }
    });
  });
}

const WINDOWS_UNINSTALL_KEYS = [
  'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
  'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
  'HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
];

/** Reads the installed software of this machine with the platform's tool. */
export async function collectSoftware(platform: NodeJS.Platform, timeoutMs: number): Promise<SoftwareOutcome> {
  if (platform === 'linux') {
    const dpkg = await run('dpkg-query', ['-W', '-f', DPKG_FORMAT], timeoutMs);
    if (dpkg.ok) return { ok: true, result: { source: 'dpkg-query', packages: parseDpkg(dpkg.stdout) } };
    const rpm = await run('rpm', ['-qa', '--qf', RPM_FORMAT], timeoutMs);
    if (rpm.ok) return { ok: true, result: { source: 'rpm', packages: parseRpm(rpm.stdout) } };
    if (dpkg.missing && rpm.missing) return { ok: false, reason: 'no package database found (neither dpkg-query nor rpm is installed)' };
    return { ok: false, reason: dpkg.missing ? rpm.reason : dpkg.reason };
  }
  if (platform === 'win32') {
    const outputs = await Promise.all(WINDOWS_UNINSTALL_KEYS.map((key) => run('reg', ['query', key, '/s'], timeoutMs)));
    const good = outputs.filter((o): o is { ok: true; stdout: string } => o.ok);
    if (good.length === 0) return { ok: false, reason: (outputs[0] as { reason: string }).reason };
    return { ok: true, result: { source: 'registry:Uninstall', packages: dedupe(good.flatMap((o) => parseRegUninstall(o.stdout))) } };
  }
  if (platform === 'darwin') {
    const sp = await run('system_profiler', ['-json', 'SPApplicationsDataType'], timeoutMs);
    if (!sp.ok) return { ok: false, reason: sp.reason };
    try {
      return { ok: true, result: { source: 'system_profiler:SPApplicationsDataType', packages: parseSystemProfiler(sp.stdout) } };
    } catch (error) {
      return { ok: false, reason: `system_profiler output did not parse: ${(error as Error).message}` };
    }
  }
  return { ok: false, reason: `no package database reader for platform ${platform}` };
}
