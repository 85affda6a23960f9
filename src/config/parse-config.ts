// Parses and validates the text of a config file. Imported by load-config.ts only when a file exists,
// so that a run without one loads neither the YAML parser nor zod.
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../model/index.js';
import { configSchema, formatIssues, type ConfigFile } from './schema.js';

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
