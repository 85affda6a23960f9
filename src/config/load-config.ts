// Finds, reads and validates the config file: --config, else ./netcensus.yaml, else
// $XDG_CONFIG_HOME/netcensus/config.yaml. A missing default file is fine; a missing --config is not.
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, UsageError } from '../model/index.js';
import { configSchema, formatIssues, type ConfigFile } from './schema.js';

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

export function loadConfig(loc: ConfigLocation): LoadedConfig {
  if (loc.explicit) {
    const path = resolve(loc.cwd, loc.explicit);
    if (!existsSync(path)) throw new UsageError(`config file ${path} does not exist; fix --config`);
    return { path, config: parseConfig(readText(path), path) };
  }
  for (const path of defaultConfigPaths(loc)) {
    if (existsSync(path)) return { path, config: parseConfig(readText(path), path) };
  }
  return { path: null, config: {} };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Parses YAML text and validates it; every problem is reported, as "path: message". */
export function parseConfig(text: string, origin: string): ConfigFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      origin,
      doc.errors.map((e) => `line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`),
    );
  }
  const data = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) throw new ConfigError(origin, formatIssues(parsed.error));
  return parsed.data;
}
