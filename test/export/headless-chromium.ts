// Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands
// on fd 3, answers on fd 4, each message JSON ended by a NUL), so no port is opened and no client
// library or browser download is needed: Debian's `chromium` package is enough.
//
// `openPage` loads a URL, waits for its load event and a settled frame, and returns what the page
// did: console messages, uncaught exceptions, log entries (CSP violations land there) and every
// network request it made, plus a way to evaluate expressions and take a screenshot.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export interface PageRun {
  console: { type: string; text: string }[];
  exceptions: string[];
  log: { level: string; text: string; url?: string }[];
  requests: string[];
  evaluate(expression: string): Promise<unknown>;
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openPage(url: string, options: { width?: number; height?: number; timeoutMs?: number } = {}): Promise<PageRun> {
  const profile = mkdtempSync(join(tmpdir(), 'netcensus-chromium-'));
  const child: ChildProcess = spawn(
    'chromium',
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-pipe', `--window-size=${options.width ?? 1280},${options.height ?? 1600}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let nextId = 1;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const listeners: ((m: Message) => void)[] = [];
  let buffer = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as Message;
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined && pending.has(message.id)) {
        const p = pending.get(message.id)!;
        pending.delete(message.id);
        if (message.error) p.reject(new Error(`${message.error.message}`));
        else p.resolve(message);
      } else for (const l of listeners) l(message);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  const timeout = options.timeoutMs ?? 30_000;
  const withTimeout = <T>(p: Promise<T>, what: string): Promise<T> =>
    Promise.race([
      p,
      new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`chromium: ${what} timed out\n${stderr}`)), timeout).unref()),
    ]);

  const run: PageRun = {
    console: [],
    exceptions: [],
    log: [],
    requests: [],
    evaluate: async () => undefined,
    screenshot: async () => Buffer.alloc(0),
    close: async () => {
      await send('Browser.close').catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(profile, { recursive: true, force: true });
    },
  };
  try {
    const { targetId } = await withTimeout(send('Target.createTarget', { url: 'about:blank' }), 'createTarget');
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    let loaded: () => void = () => undefined;
    const loadFired = new Promise<void>((resolve) => (loaded = resolve));
    listeners.push((m) => {
      if (m.sessionId !== sessionId || !m.params) return;
      const p = m.params as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      switch (m.method) {
        case 'Runtime.consoleAPICalled':
          run.console.push({ type: p.type, text: (p.args ?? []).map((a: { value?: unknown; description?: string }) => String(a.value ?? a.description ?? '')).join(' ') });
          break;
        case 'Runtime.exceptionThrown':
          run.exceptions.push(p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text ?? 'exception');
          break;
        case 'Log.entryAdded':
          run.log.push({ level: p.entry.level, text: p.entry.text, url: p.entry.url });
          break;
        case 'Network.requestWillBeSent':
          run.requests.push(p.request.url);
          break;
        case 'Page.loadEventFired':
          loaded();
          break;
      }
    });
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await send(`${domain}.enable`, {}, sessionId);
    await send('Page.navigate', { url }, sessionId);
    await withTimeout(loadFired, `loading ${url}`);
    // Let late work (layout, any deferred request) happen before judging the page.
    await send('Runtime.evaluate', { expression: 'new Promise((r) => requestAnimationFrame(() => setTimeout(r, 300)))', awaitPromise: true }, sessionId);
    run.evaluate = async (expression) => {
      const r = (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as { result?: { value?: unknown } };
      return r.result?.value;
    };
    run.screenshot = async () => {
      const r = (await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, sessionId)) as { data: string };
      return Buffer.from(r.data, 'base64');
    };
    return run;
  } catch (error) {
    await run.close();
    throw error;
  }
}
