// HTTP banner: the status, `Server` header and `<title>` of a host's front page. Sends: one
// `GET / HTTP/1.0` per port (raw socket, at most 64 KB read, short timeout). A redirect is recorded
// (its Location), never followed, so no request leaves the host. On a port that may be TLS (443),
// TLS is tried first with certificate checks off (we only read a title, we send nothing secret),
// then plain HTTP, which is what the lab's 443 speaks and what some appliances do too.
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { HttpAnswer } from '../../model/index.js';

const MAX_BYTES = 64 * 1024;

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request; null on any failure (refused, timeout, TLS failure, not HTTP). Never throws. */
export function httpGet(address: string, port: number, path: string, tls: boolean, timeoutMs: number, signal: AbortSignal): Promise<RawHttpResponse | null> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(null);
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const socket: Socket = tls
      ? connectTls({ host: address, port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] })
      : connectTcp({ host: address, port });
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      socket.destroy();
      resolve(parseResponse(Buffer.concat(chunks).toString('utf8')));
    };
    const fail = (): void => {
      chunks.length = 0;
      finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    signal.addEventListener('abort', finish, { once: true });
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      socket.write(`GET ${path} HTTP/1.0\r\nHost: ${address}${port === (tls ? 443 : 80) ? '' : `:${port}`}\r\nUser-Agent: netcensus\r\nAccept: */*\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      bytes += d.length;
      if (bytes >= MAX_BYTES) finish();
    });
    socket.once('end', finish);
    socket.once('close', finish);
    socket.once('error', () => (bytes > 0 ? finish() : fail()));
  });
}

export function parseResponse(text: string): RawHttpResponse | null {
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})[^\r\n]*\r?\n/.exec(text);
  if (!m) return null;
  const headEnd = text.search(/\r?\n\r?\n/);
  const head = headEnd >= 0 ? text.slice(m[0].length, headEnd) : text.slice(m[0].length);
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim();
  }
  const body = headEnd >= 0 ? text.slice(headEnd).replace(/^\r?\n\r?\n/, '') : '';
  return { status: Number(m[1]), headers, body };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function htmlTitle(body: string): string | undefined {
  const m = /<title[^>]*>([\s\S]{0,2000}?)<\/title>/i.exec(body);
  if (!m) return undefined;
  const title = m[1]!
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) =>
      e[0] === '#' ? String.fromCodePoint(Number(e[1] === 'x' || e[1] === 'X' ? '0' + e.slice(1) : e.slice(1)) || 32) : (ENTITIES[e.toLowerCase()] ?? all),
    )
    .replace(/\s+/g, ' ')
    .trim();
  return title === '' ? undefined : title.slice(0, 200);
}

/** The banner of one port: TLS first when `tryTls`, then plain. */
export async function probeHttp(address: string, port: number, tryTls: boolean, timeoutMs: number, signal: AbortSignal): Promise<HttpAnswer | null> {
  for (const tls of tryTls ? [true, false] : [false]) {
    const r = await httpGet(address, port, '/', tls, timeoutMs, signal);
    if (!r) continue;
    const title = htmlTitle(r.body);
    const server = r.headers.server?.slice(0, 200);
    const location = r.status >= 300 && r.status < 400 ? r.headers.location?.slice(0, 300) : undefined;
    return { port, tls, status: r.status, ...(title ? { title } : {}), ...(server ? { server } : {}), ...(location ? { location } : {}) };
  }
  return null;
}
