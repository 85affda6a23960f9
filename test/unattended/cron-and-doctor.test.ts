// `netcensus cron` against a stand-in `crontab` on PATH (a shell script keeping the crontab in a
// file, as `crontab -l` / `crontab -` do), and `netcensus doctor` on healthy and broken set-ups.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { pickPort } from '../helpers/listeners.js';
import { readState } from './support.js';

const FAKE_CRONTAB = `#!/bin/sh
# crontab -l prints the table (or fails with "no crontab for USER"); crontab - replaces it from stdin.
case "$1" in
  -l) if [ -f "$FAKE_CRONTAB_FILE" ]; then cat "$FAKE_CRONTAB_FILE"; else echo "no crontab for $(id -un)" >&2; exit 1; fi ;;
  -) cat > "$FAKE_CRONTAB_FILE" ;;
  *) echo "usage: crontab [-l | -]" >&2; exit 1 ;;
esac
`;

describe('netcensus cron', () => {
  const home = tempDir();
  // A folder name with a space and a % sign: quoting for the shell, escaping for cron.
  const configDir = join(home, 'my configs 100%');
  const config = join(configDir, 'netcensus.yaml');
  const db = join(home, 'data', 'inventory.db');
  const bin = join(home, 'bin');
  const table = join(home, 'crontab.txt');
  const port = pickPort(44);
  const env = cliEnv(home, { PATH: `${bin}:${process.env.PATH}`, FAKE_CRONTAB_FILE: table });
  const cli = (...args: string[]) => runCli(['--db', db, '--config', config, ...args], { cwd: home, env });

  beforeAll(() => {
    mkdirSync(configDir, { recursive: true });
    mkdirSync(bin);
    writeFileSync(join(bin, 'crontab'), FAKE_CRONTAB, { mode: 0o755 });
    writeFileSync(
      config,
      [
        'profiles:',
        '  office:',
        '    targets: ["127.40.4.1-3"]',
        `    ports: [${port}]`,
        '    discovery: { icmp: false }',
        '    dns: { enabled: false }',
        '    schedule: "30 2 * * *"',
        '  lab:',
        '    targets: ["127.40.4.9"]',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    writeFileSync(table, 'MAILTO=admin@example.com\n15 * * * * /usr/local/bin/backup --quiet\n');
  });

  it('prints a line per scheduled profile, with absolute paths, quoted for the shell and cron', async () => {
    const r = await cli('cron');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').filter((l) => !l.startsWith('#'));
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.startsWith(`30 2 * * * ${process.execPath} ${BIN} --config `)).toBe(true);
    expect(line).toContain(`'${configDir.replace('%', '\\%')}/netcensus.yaml'`);
    expect(line).toContain(`--db ${db} scan --profile office # netcensus-cron profile=office db=`);
    expect(line).not.toContain('lab');
  });

  it('--install is idempotent and keeps the other lines; the installed line runs a scan', async () => {
    expect((await cli('cron', '--install')).code).toBe(0);
    const r = await cli('cron', '--install');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('replacing 1 earlier netcensus line');
    const lines = readFileSync(table, 'utf8').trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['MAILTO=admin@example.com', '15 * * * * /usr/local/bin/backup --quiet']);
    expect(lines.filter((l) => l.includes('netcensus-cron'))).toHaveLength(1);

    // Run the job as cron would: the command after the five time fields, \% unescaped, through sh,
    // from another folder, with a bare environment.
    const command = lines[2]!.split(' ').slice(5).join(' ').replace(/\\%/g, '%');
    const job = spawnSync('/bin/sh', ['-c', command], { cwd: '/', env: { HOME: home, PATH: '/usr/bin:/bin' }, encoding: 'utf8', timeout: 60_000 });
    expect(job.status, job.stderr).toBe(0);
    expect(job.stderr).toMatch(/^snapshot 1 complete: 3 probed, 3 alive/m);
    expect(readState(db).snapshots).toEqual([{ id: 1, status: 'complete' }]);
  });

  it('--remove takes out only our lines', async () => {
    const r = await cli('cron', '--remove');
    expect(r.code).toBe(0);
    expect(readFileSync(table, 'utf8')).toBe('MAILTO=admin@example.com\n15 * * * * /usr/local/bin/backup --quiet\n');
  });

  it('says clearly what is wrong: no schedule, unknown profile, no crontab', async () => {
    const lab = await cli('cron', '--profile', 'lab');
    expect(lab.code).toBe(2);
    expect(lab.stderr).toContain('profile "lab" has no schedule');
    expect((await cli('cron', '--profile', 'nope')).stderr).toContain('known profiles: office, lab');
    const noCron = await runCli(['--db', db, '--config', config, 'cron', '--install'], { cwd: home, env: { ...env, PATH: '/nonexistent' } });
    expect(noCron.code).toBe(2);
    expect(noCron.stderr).toContain('cannot run crontab');
  });
});

describe('netcensus doctor', () => {
  const home = tempDir();
  const env = cliEnv(home, { SNMP_RO: 'from-the-environment' });
  const db = join(home, 'inventory.db');
  const port = String(pickPort(45));
  const doctor = (config: string, extra: Record<string, string> = {}) =>
    runCli(['--db', db, '--config', config, 'doctor', '--json'], { cwd: home, env: { ...env, ...extra } });
  const writeConfig = (name: string, text: string, mode = 0o600): string => {
    const path = join(home, name);
    writeFileSync(path, text, { mode });
    chmodSync(path, mode);
    return path;
  };
  type Report = { usable: boolean; checks: { area: string; level: string; message: string }[] };
  const levelOf = (report: Report, area: string): string[] => report.checks.filter((c) => c.area === area).map((c) => c.level);

  beforeAll(async () => {
    const r = await runCli(['--db', db, 'scan', '127.40.4.20', '--ports', port, '--no-icmp', '--no-dns'], { cwd: home, env });
    expect(r.code).toBe(0);
    writeFileSync(join(home, 'community.txt'), 'from-a-file\n', { mode: 0o600 });
  });

  it('a healthy set-up: usable, exit 0; tools, kernel limits, database and credentials reported, secrets never', async () => {
    const config = writeConfig('good.yaml', 'snmp:\n  communities: ["env:SNMP_RO", "file:community.txt"]\n');
    const r = await doctor(config);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.usable).toBe(true);
    for (const area of ['privileges', 'ip', 'nmap', 'neighbour table', 'database', 'database mode', 'integrity', 'schema', 'config', 'config mode', 'credentials']) {
      expect(report.checks.some((c) => c.area === area), area).toBe(true);
    }
    expect(levelOf(report, 'integrity')).toEqual(['ok']);
    expect(levelOf(report, 'database mode')).toEqual(['ok']);
    expect(report.checks.find((c) => c.area === 'credentials')!.message).toContain('2 SNMP credential(s) resolve');
    expect(r.stdout).not.toContain('from-the-environment');
    expect(r.stdout).not.toContain('from-a-file');
    // Text form too.
    const text = await runCli(['--db', db, '--config', config, 'doctor'], { cwd: home, env });
    expect(text.stdout).toMatch(/^ok\s+integrity\s+PRAGMA integrity_check: ok$/m);
    expect(text.stdout).toContain('netcensus can run here.');
  });

  it('warns about files others can read, and about secrets written into the config', async () => {
    const config = writeConfig('loose.yaml', 'snmp:\n  communities: ["s3cret-literal"]\n', 0o644);
    chmodSync(db, 0o644);
    try {
      const r = await doctor(config);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      const warnings = report.checks.filter((c) => c.level === 'warn').map((c) => c.message).join('\n');
      expect(warnings).toContain(`${db} is mode 0644, readable by others`);
      expect(warnings).toContain(`chmod 600 ${config}`);
      expect(warnings).toContain('secrets written into the config itself; prefer env:VAR or file:PATH');
      expect(r.stdout).not.toContain('s3cret-literal');
    } finally {
      chmodSync(db, 0o600);
    }
  });

  it('fails (exit 1) on credentials that do not resolve, an invalid config, or a corrupt database', async () => {
    const unresolved = await doctor(writeConfig('env.yaml', 'snmp:\n  communities: ["env:NOT_SET_ANYWHERE"]\n'));
    expect(unresolved.code).toBe(1);
    const report = JSON.parse(unresolved.stdout) as Report;
    expect(report.usable).toBe(false);
    expect(report.checks.find((c) => c.level === 'fail')!.message).toContain('environment variable NOT_SET_ANYWHERE is not set');

    const invalid = await doctor(writeConfig('bad.yaml', 'concurrency: many\n'));
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('concurrency');

    const corrupt = join(home, 'corrupt.db');
    writeFileSync(corrupt, Buffer.alloc(8192, 0x5a), { mode: 0o600 });
    const broken = await runCli(['--db', corrupt, 'doctor', '--json'], { cwd: home, env });
    expect(broken.code).toBe(1);
    expect((JSON.parse(broken.stdout) as Report).checks.some((c) => c.area === 'integrity' && c.level === 'fail')).toBe(true);
    expect(existsSync(`${corrupt}-wal`)).toBe(false); // doctor only reads
  });
});
