// `netcensus cron`: crontab lines for the profiles that have a `schedule:` in the config, and their
// installation in the user's crontab through the system's own `crontab -l` / `crontab -`.
//
// Each line names node, netcensus, the config and the database by absolute path (cron starts jobs
// in $HOME with a bare PATH), and ends with a marker comment, `# netcensus-cron profile=P db=H`
// (H: a hash of the database path), so that installing again replaces the lines of this database
// instead of adding more, and --remove finds them. Lines of other databases and every other line of
// the crontab are left as they were.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/load-config.js';
import { applySettings, DEFAULT_SCAN_SETTINGS, type ConfigFile, type ScanSettingsInput } from '../../config/settings.js';
import { UsageError } from '../../model/index.js';
import { databasePath, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

export interface CronFlags extends GlobalOptions {
  profile?: string;
  install?: boolean;
  remove?: boolean;
}

export interface CronEntry {
  /** Profile name; "default" is the top level of the config (a scan without --profile). */
  name: string;
  schedule: string;
  line: string;
}

/** The entry of the config's top level (a scan without --profile); no profile can be named so. */
const TOP_LEVEL = '(top level)';

export async function cronCommand(flags: CronFlags, output: Output): Promise<number> {
  if (flags.install && flags.remove) throw new UsageError('--install and --remove exclude each other; give one');
  const { config, path: configPath } = await loadConfig({ explicit: flags.config, cwd: process.cwd(), env: process.env });
  const db = databasePath(flags);
  const dbTag = databaseTag(db);

  if (flags.remove) {
    const before = readCrontab();
    const kept = before.filter((line) => !isOurs(line, dbTag, flags.profile));
    const removed = before.length - kept.length;
    if (removed > 0) writeCrontab(kept);
    output.err(removed > 0 ? `removed ${removed} netcensus line(s) for ${db} from the crontab\n` : `no netcensus lines for ${db} in the crontab\n`);
    return EXIT.ok;
  }

  if (!configPath) {
    throw new UsageError('no config file: cron schedules live in it (profiles: NAME: { targets: [...], schedule: "30 2 * * *" }); pass --config or create ./netcensus.yaml');
  }
  const entries = cronEntries(config, {
    configPath,
    db,
    node: process.execPath,
    bin: launcherPath(),
    ...(flags.profile ? { profile: flags.profile } : {}),
  });
  for (const warning of cronWarnings(config, entries)) output.err(`netcensus: warning: ${warning}\n`);

  if (!flags.install) {
    output.out(`# netcensus: scheduled scans of ${configPath}\n${entries.map((e) => e.line).join('\n')}\n`);
    return EXIT.ok;
  }
  const before = readCrontab();
  const kept = before.filter((line) => !isOurs(line, dbTag, flags.profile));
  writeCrontab([...kept, ...entries.map((e) => e.line)]);
  const replaced = before.length - kept.length;
  output.err(
    `installed ${entries.length} line(s) in the crontab` + (replaced > 0 ? ` (replacing ${replaced} earlier netcensus line(s))` : '') + ':\n' +
      entries.map((e) => `  ${e.line}\n`).join(''),
  );
  return EXIT.ok;
}

export interface CronPaths {
  configPath: string;
  db: string;
  node: string;
  bin: string;
  profile?: string;
}

/** One line per scheduled profile (and the top level, when it has a schedule and targets). Pure. */
export function cronEntries(config: ConfigFile, paths: CronPaths): CronEntry[] {
  const profiles = config.profiles ?? {};
  const wanted: [string, ScanSettingsInput][] = paths.profile
    ? [[paths.profile, profileOrThrow(config, paths.profile, paths.configPath)]]
    : [...(config.schedule ? [[TOP_LEVEL, config] as [string, ScanSettingsInput]] : []), ...Object.entries(profiles)];
  const entries: CronEntry[] = [];
  for (const [name, settings] of wanted) {
    if (!settings.schedule) {
      if (paths.profile) {
        throw new UsageError(`profile "${name}" has no schedule; add e.g. schedule: "30 2 * * *" to it in ${paths.configPath}`);
      }
      continue;
    }
    const args = [
      paths.node,
      paths.bin,
      '--config',
      paths.configPath,
      '--db',
      paths.db,
      'scan',
      ...(name === TOP_LEVEL ? [] : ['--profile', name]),
    ];
    const marker = `# netcensus-cron profile=${name === TOP_LEVEL ? '-' : name} db=${databaseTag(paths.db)}`;
    entries.push({ name, schedule: settings.schedule, line: `${settings.schedule} ${args.map(cronQuote).join(' ')} ${marker}` });
  }
  if (entries.length === 0) {
    throw new UsageError(
      `no profile in ${paths.configPath} has a schedule; add one, e.g. profiles: { office: { targets: [10.0.0.0/24], schedule: "30 2 * * *" } }`,
    );
  }
  return entries;
}

/** What will not work under cron: secrets from environment variables that cron does not set. */
function cronWarnings(config: ConfigFile, entries: CronEntry[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    const layer = e.name === TOP_LEVEL ? config : config.profiles?.[e.name];
    const settings = applySettings(applySettings(DEFAULT_SCAN_SETTINGS, config), layer ?? {});
    const envRefs = [...settings.snmp.communities, ...settings.snmp.v3.flatMap((u) => [u.authKey ?? '', u.privKey ?? ''])].filter((s) => s.startsWith('env:'));
    if (envRefs.length > 0) {
      out.push(
        `${e.name === TOP_LEVEL ? 'the top-level scan' : `profile "${e.name}"`} reads ${envRefs.join(', ')}, which cron does not set; ` +
          'use file:PATH (a file readable only by you) for scheduled scans',
      );
    }
  }
  return out;
}

function profileOrThrow(config: ConfigFile, name: string, configPath: string): ScanSettingsInput {
  const profile = config.profiles?.[name];
  if (!profile) {
    const known = Object.keys(config.profiles ?? {});
    throw new UsageError(`profile "${name}" is not in ${configPath}` + (known.length > 0 ? `; known profiles: ${known.join(', ')}` : ''));
  }
  return profile;
}

/** Short, stable, and free of anything cron or the shell would read: the marker's database key. */
export function databaseTag(db: string): string {
  return createHash('sha256').update(db).digest('hex').slice(0, 12);
}

function isOurs(line: string, dbTag: string, profile: string | undefined): boolean {
  const m = /# netcensus-cron profile=(\S+) db=([0-9a-f]+)\s*$/.exec(line);
  if (!m || m[2] !== dbTag) return false;
  return profile === undefined || m[1] === profile;
}

/** Shell-quoted when needed, and `%` escaped: cron turns a bare % into a newline. */
export function cronQuote(arg: string): string {
  const quoted = /^[A-Za-z0-9_\/.,:=@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
  return quoted.replace(/%/g, '\\%');
}

function readCrontab(): string[] {
  const r = spawnSync('crontab', ['-l'], { encoding: 'utf8' });
  if (r.error) throw crontabMissing(r.error);
  if (r.status !== 0) {
    // "no crontab for USER": an empty crontab, not an error.
    if (/no crontab/i.test(r.stderr)) return [];
    throw new UsageError(`crontab -l failed: ${r.stderr.trim() || `exit ${r.status}`}`);
  }
  const lines = r.stdout.split('\n');
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

function writeCrontab(lines: string[]): void {
  const r = spawnSync('crontab', ['-'], { input: lines.length > 0 ? lines.join('\n') + '\n' : '', encoding: 'utf8' });
  if (r.error) throw crontabMissing(r.error);
  if (r.status !== 0) throw new UsageError(`crontab - failed, the crontab is unchanged: ${r.stderr.trim() || `exit ${r.status}`}`);
}

function crontabMissing(error: Error): UsageError {
  return new UsageError(
    `cannot run crontab (${(error as NodeJS.ErrnoException).code ?? error.message}); install cron, or paste the lines "netcensus cron" prints into your scheduler`,
  );
}

/** bin/netcensus of this installation: the nearest folder above this module that holds it (the
 * module runs from dist/cli/commands/ or, bundled, from dist/bundle/). */
function launcherPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'bin', 'netcensus');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find bin/netcensus above the installed netcensus modules');
    dir = parent;
  }
}
