// Runs the built CLI (bin/netcensus -> dist/) as a child process, as a user would, with its own
// HOME and XDG folders so no user config or database is ever read.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../bin/netcensus');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'netcensus-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    NO_COLOR: '1',
    ...extra,
  };
}

// Found on the test's own PATH: the child's PATH may be stripped on purpose.
const SETPRIV = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).stdout.trim() || '/usr/bin/setpriv';

export interface CliOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Run as user `nobody` (through util-linux setpriv; the test must be root). */
  asNobody?: boolean;
}

export function startCli(args: string[], options: CliOptions): ChildProcess {
  const argv = [process.execPath, BIN, ...args];
  const [command, ...rest] = options.asNobody
    ? [SETPRIV, '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...argv]
    : argv;
  return spawn(command!, rest, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = startCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`netcensus ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60000} ms\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}
