// Finds, reads and validates the config file: --config, else ./netcensus.yaml, else
// $XDG_CONFIG_HOME/netcensus/config.yaml. A missing default file is fine; a missing --config is not.
// The parser and the schema (./parse-config.ts: yaml and zod) are imported only when there is a file.
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../model/index.js';
import type { ConfigFile } from './settings.js';

export interface LoadedConfig {
  /** The file it came from, or null when none exists. */
  path: string | null;
  config: ConfigFile;
}

export interface ConfigLocation {
  explicit?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function defaultConfigPaths(loc: ConfigLocation): string[] {
  const xdg = loc.env.XDG_CONFIG_HOME || (loc.env.HOME ? join(loc.env.HOME, '.config') : null);
  return [join(loc.cwd, 'netcensus.yaml'), ...(xdg ? [join(xdg, 'netcensus', 'config.yaml')] : [])];
}

export async function loadConfig(loc: ConfigLocation): Promise<LoadedConfig> {
  if (loc.explicit) {
    const path = resolve(loc.cwd, loc.explicit);
    if (!existsSync(path)) throw new UsageError(`config file ${path} does not exist; fix --config`);
    return { path, config: await parseFile(path) };
  }
  for (const path of defaultConfigPaths(loc)) {
    if (existsSync(path)) return { path, config: await parseFile(path) };
  }
  return { path: null, config: {} };
}

async function parseFile(path: string): Promise<ConfigFile> {
  const text = readText(path);
  const { parseConfig } = await import('./parse-config.js');
  return parseConfig(text, path);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
