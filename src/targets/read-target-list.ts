// Targets from a file given as `@path`: the one piece of I/O in targets/, kept apart from the
// parsing so that the parsing stays testable on plain strings.

import { readFile } from 'node:fs/promises';
import { UsageError } from '../model/errors.js';
import { parseTargetSpec } from './parse-target.js';

/**
 * Split the contents of a target file into specs, validating each. One or more targets per line,
 * separated by whitespace or commas; `#` starts a comment (whole-line or trailing); blank lines are
 * ignored. A bad entry throws a UsageError prefixed with `origin:line`.
 */
export function parseTargetList(text: string, origin: string): string[] {
  const specs: string[] = [];
  // A byte order mark from Windows editors would otherwise stick to the first target.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    const hash = line.indexOf('#');
    const content = hash === -1 ? line : line.slice(0, hash);
    for (const token of content.split(/[\s,]+/)) {
      if (token === '') continue;
      try {
        parseTargetSpec(token);
      } catch (err) {
        if (err instanceof UsageError) throw new UsageError(`${origin}:${index + 1}: ${err.message}`);
        throw err;
      }
      specs.push(token);
    }
  });
  return specs;
}

/** Read a target file and return its specs (see parseTargetList). */
export async function readTargetFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read target file ${JSON.stringify(path)} (${describeReadError(err)}); check the path after "@"`,
    );
  }
  return parseTargetList(text, path);
}

function describeReadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return code ?? (err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
}
