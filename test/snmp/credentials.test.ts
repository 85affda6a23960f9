// Credential resolution from the config's references (env:, file:, literal), their order, and
// error messages that name the reference but never the secret.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSnmpCredentials } from '../../src/config/credentials.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { applySettings, DEFAULT_SCAN_SETTINGS } from '../../src/config/settings.js';
import { tempDir } from '../helpers/cli.js';

const settingsFrom = (yaml: string) => applySettings(DEFAULT_SCAN_SETTINGS, parseConfig(yaml, 'test.yaml')).snmp;

describe('SNMP credentials', () => {
  it('resolves literal, env: and file: secrets, v3 users first', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'priv.txt'), 'privsecret\nignored second line\n');
    const snmp = settingsFrom(
      'snmp:\n  communities: [public, "env:COMM"]\n  v3:\n    - {user: ops, authProtocol: sha512, authKey: "env:AUTH", privProtocol: aes256, privKey: "file:priv.txt"}\n',
    );
    const creds = resolveSnmpCredentials(snmp, { env: { COMM: 'fromenv', AUTH: 'authsecret' }, baseDir: dir });
    expect(creds).toEqual([
      { kind: 'v3', label: 'v3 user ops', user: 'ops', level: 'authPriv', authProtocol: 'sha512', authKey: 'authsecret', privProtocol: 'aes256', privKey: 'privsecret' },
      { kind: 'community', label: 'community #1', version: 'v2c', community: 'public' },
      { kind: 'community', label: 'community #2', version: 'v2c', community: 'fromenv' },
    ]);
  });

  it('names a missing reference without showing any secret', () => {
    const snmp = settingsFrom('snmp:\n  communities: ["env:NOPE"]\n');
    expect(() => resolveSnmpCredentials(snmp, { env: {}, baseDir: '/' })).toThrow('snmp.communities[0]: environment variable NOPE is not set');
    const file = settingsFrom('snmp:\n  communities: ["file:/nonexistent/secret"]\n');
    expect(() => resolveSnmpCredentials(file, { env: {}, baseDir: '/' })).toThrow(/cannot read secret file \/nonexistent\/secret \(ENOENT\)/);
  });

  it('selects v3 users by name and refuses an unknown one', () => {
    const snmp = { ...settingsFrom('snmp:\n  v3:\n    - {name: a, user: ua}\n    - {name: b, user: ub, authProtocol: md5, authKey: k}\n'), v3Only: ['b'] };
    expect(resolveSnmpCredentials(snmp, { env: {}, baseDir: '/' }).map((c) => c.label)).toEqual(['v3 user b']);
    expect(() => resolveSnmpCredentials({ ...snmp, v3Only: ['c'] }, { env: {}, baseDir: '/' })).toThrow('--snmp-v3 c: no such v3 user in the config; configured: a, b');
  });

  it('refuses privacy without authentication in the config', () => {
    expect(() => settingsFrom('snmp:\n  v3:\n    - {user: x, privProtocol: des, privKey: k}\n')).toThrow(/privacy needs authProtocol and authKey/);
  });
});
