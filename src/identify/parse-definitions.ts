// Validates definition files against the schema (./vendor-definition.ts) and parses the user's.
// Pure: the caller reads user files from disk and passes their text. Imported only when there are
// user files (and by the tests), so that a scan without them loads neither zod nor the YAML parser.
import { parse as parseYaml } from 'yaml';
import { DefinitionError, type LoadedProductLine } from './load-definitions.js';
import { definitionFileSchema } from './vendor-definition.js';

export function validateDefinitionFile(data: unknown, file: string): LoadedProductLine[] {
  const parsed = definitionFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new DefinitionError(
      file,
      parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`),
    );
  }
  return parsed.data.map((line) => ({ ...line, file }));
}

/** Parses a user's definition file (YAML or JSON text). */
export function parseDefinitionFile(text: string, file: string): LoadedProductLine[] {
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new DefinitionError(file, [(error as Error).message.split('\n')[0] ?? 'does not parse']);
  }
  return validateDefinitionFile(data, file);
}
