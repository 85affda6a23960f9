// Everything the CLI writes goes through here: data to stdout, logs and progress to stderr.
// Colour only on a TTY and never when NO_COLOR is set.
import { styleText } from 'node:util';

export interface Output {
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly color: boolean;
  out(text: string): void;
  err(text: string): void;
  style(format: 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan', text: string): string;
}

export function processOutput(env: NodeJS.ProcessEnv = process.env): Output {
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  const stderrIsTTY = Boolean(process.stderr.isTTY);
  const color = stdoutIsTTY && !env.NO_COLOR && env.TERM !== 'dumb';
  return {
    stdoutIsTTY,
    stderrIsTTY,
    color,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    style: (format, text) => (color ? styleText(format, text) : text),
  };
}
