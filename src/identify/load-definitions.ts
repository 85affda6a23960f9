// Validates definition files (built-in and the user's) and compiles their regexes once. Pure: the
// caller reads user files from disk and passes their text.
import { parse as parseYaml } from 'yaml';
import { definitionFileSchema, type ProductLine } from './vendor-definition.js';
import { BUILT_IN_DEFINITION_FILES } from './vendors/index.js';

/** A product line with where it came from ("cisco.json"). */
export interface LoadedProductLine extends ProductLine {
  file: string;
}

export class DefinitionError extends Error {
  override name = 'DefinitionError';
  constructor(
    readonly file: string,
    readonly issues: string[],
  ) {
    super(`${file}: ${issues.join('; ')}`);
  }
}

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

let builtIns: LoadedProductLine[] | null = null;

/**
 * The built-in product lines. They are not validated at run time (that took 40 ms of every scan's
 * start): the tests check that the schema accepts every built-in file and returns it unchanged, so
 * what ships is what the schema would have given.
 */
export function builtInDefinitions(): LoadedProductLine[] {
  builtIns ??= Object.entries(BUILT_IN_DEFINITION_FILES).flatMap(([file, data]) => (data as ProductLine[]).map((line) => ({ ...line, file })));
  return builtIns;
}

/** User lines first, so that a user's file can override a built-in line with the same id. */
export function combineDefinitions(user: LoadedProductLine[]): LoadedProductLine[] {
  const ids = new Set(user.map((l) => l.id));
  return [...user, ...builtInDefinitions().filter((l) => !ids.has(l.id))];
}
