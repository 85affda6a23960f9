import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { applySettings, DEFAULT_SCAN_SETTINGS } from '../../src/config/settings.js';
import { ConfigError, UsageError } from '../../src/model/index.js';
import { tempDir } from '../helpers/cli.js';

describe('config file', () => {
  it('accepts targets, ports, timeouts and profiles, and layers profile over file over defaults', () => {
    const config = parseConfig(
      `targets: [10.0.0.0/24]
ports: [22, 443]
timeouts: { connectMs: 800 }
profiles:
  office:
    targets: [192.168.1.0/24]
    exclude: [192.168.1.1]
    label: office
  headcount:
    discoverOnly: true
`,
      'test.yaml',
    );
    const base = applySettings(DEFAULT_SCAN_SETTINGS, config);
    expect(base).toMatchObject({ targets: ['10.0.0.0/24'], ports: [22, 443], connectTimeoutMs: 800, dnsTimeoutMs: 2000 });
    const office = applySettings(base, config.profiles!.office!);
    expect(office).toMatchObject({ targets: ['192.168.1.0/24'], exclude: ['192.168.1.1'], ports: [22, 443], label: 'office', discoverOnly: false });
    expect(applySettings(base, config.profiles!.headcount!)).toMatchObject({ targets: ['10.0.0.0/24'], discoverOnly: true });
  });

  it('reports every problem as "path: message"', () => {
    try {
      parseConfig('ports: [0, 80]\ntimeouts: { connectMs: "fast" }\ndiscoverOnly: yes please\nprofiles: { office: { colour: red } }\n', 'bad.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const issues = (error as ConfigError).issues;
      expect(issues.some((i) => i.startsWith('ports.0: '))).toBe(true);
      expect(issues.some((i) => i.startsWith('timeouts.connectMs: '))).toBe(true);
      expect(issues.some((i) => i.startsWith('discoverOnly: '))).toBe(true);
      expect(issues.some((i) => i.startsWith('profiles.office: ') && i.includes('colour'))).toBe(true);
      expect((error as Error).message.startsWith('bad.yaml: ')).toBe(true);
    }
  });

  it('names the line of a YAML syntax error', () => {
    expect(() => parseConfig('targets: [10.0.0.1\nports: 3', 'broken.yaml')).toThrow(/^broken\.yaml: line \d+: /);
  });

  it('finds ./netcensus.yaml before the XDG one, and refuses a missing --config', async () => {
    const dir = tempDir();
    const xdg = join(dir, 'xdg');
    mkdirSync(join(xdg, 'netcensus'), { recursive: true });
    writeFileSync(join(xdg, 'netcensus', 'config.yaml'), 'label: from-xdg\n');
    const env = { XDG_CONFIG_HOME: xdg, HOME: dir };
    expect((await loadConfig({ cwd: dir, env })).config.label).toBe('from-xdg');
    writeFileSync(join(dir, 'netcensus.yaml'), 'label: from-cwd\n');
    expect((await loadConfig({ cwd: dir, env })).config.label).toBe('from-cwd');
    await expect(loadConfig({ cwd: dir, env, explicit: 'nope.yaml' })).rejects.toThrow(UsageError);
    expect(await loadConfig({ cwd: join(dir, 'xdg'), env: { HOME: join(dir, 'none') } })).toEqual({ path: null, config: {} });
  });
});
