// An Output (src/cli/output.ts) that keeps what a command writes to stdout, for tests that call a
// command's function in-process rather than through the CLI.
import type { Output } from '../../src/cli/output.js';

export function captured(): { output: Output; text: () => string } {
  let text = '';
  const output: Output = {
    stdoutIsTTY: false,
    stderrIsTTY: false,
    color: false,
    out: (t) => void (text += t),
    err: () => undefined,
    style: (_f, t) => t,
  };
  return { output, text: () => text };
}
