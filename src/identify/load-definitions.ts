// The product lines scans use: the built-in ones, and the user's (validated by ./parse-definitions.ts)
// in front of them.
import type { ProductLine } from './vendor-definition.js';
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
