// bin/netcensus run as a program, as the README's set-up line runs it (and npm's links to it): its
// first lines are shell, which starts Node on the same file without NODE_EXTRA_CA_CERTS (Node 20 loads that file
// and every bundled root certificate before the first line of JavaScript; netcensus verifies no TLS
// peer). Run as `node bin/netcensus`, the same file is plain JavaScript.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, tempDir } from '../helpers/cli.js';

// Node 20 warns at start-up when NODE_EXTRA_CA_CERTS names a file it cannot load: the warning is
// the sign that Node read the variable.
const MISSING_CA = '/nonexistent/netcensus-test-ca.pem';
const CA_WARNING = /extra certs/i;

describe('the launcher', () => {
  const home = tempDir();
  const env = cliEnv(home, { NODE_EXTRA_CA_CERTS: MISSING_CA });

  it('run as a program, starts Node without NODE_EXTRA_CA_CERTS', () => {
    const direct = spawnSync(BIN, ['--version'], { cwd: home, env, encoding: 'utf8' });
    expect(direct.status, direct.stderr).toBe(0);
    expect(direct.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(direct.stderr).not.toMatch(CA_WARNING);
    // The same file given to node: the variable is read, and the test above could have failed.
    const viaNode = spawnSync(process.execPath, [BIN, '--version'], { cwd: home, env, encoding: 'utf8' });
    expect(viaNode.status).toBe(0);
    expect(viaNode.stdout).toBe(direct.stdout);
    expect(viaNode.stderr).toMatch(CA_WARNING);
  });

  it('hands every argument over unchanged, spaces and shell characters included', () => {
    const db = join(home, 'a folder with spaces', 'x.db');
    const target = 'no-such-host;$HOME `id` "q" *';
    const direct = spawnSync(BIN, ['--db', db, 'scan', target], { cwd: home, env, encoding: 'utf8' });
    expect(direct.status).toBe(2);
    // The error quotes the target as JSON does.
    expect(direct.stderr).toContain(JSON.stringify(target));
    expect(direct.stderr.trim().split('\n')).toHaveLength(1);
  });
});
