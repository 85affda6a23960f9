// One UDP question to one host, collecting its answers for a short while. The socket is connected
// to the host, so the kernel hands us only that host's datagrams, and an ICMP port-unreachable ends
// the wait at once (ECONNREFUSED) instead of after the timeout.
import { createSocket } from 'node:dgram';

export interface UdpExchange {
  answers: Buffer[];
  /** 'ok' with answers, 'refused' (port unreachable), 'timeout' (silence), 'error'. */
  status: 'ok' | 'refused' | 'timeout' | 'error';
}

/**
 * Sends each datagram from `send` (called again with the answers so far for follow-up questions),
 * and waits up to `timeoutMs` in all. `done` ends the wait early once the answers suffice.
 */
export function udpExchange(
  address: string,
  port: number,
  first: Buffer,
  timeoutMs: number,
  signal: AbortSignal,
  onAnswer: (answer: Buffer, send: (datagram: Buffer) => void) => boolean,
): Promise<UdpExchange> {
  return new Promise((resolve) => {
    const answers: Buffer[] = [];
    const socket = createSocket('udp4');
    let settled = false;
    const finish = (status: UdpExchange['status']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve({ answers, status: answers.length > 0 ? 'ok' : status });
    };
    const onAbort = (): void => finish('timeout');
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    const send = (datagram: Buffer): void => {
      socket.send(datagram, (error) => {
        if (error) finish((error as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'refused' : 'error');
      });
    };
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNREFUSED' ? 'refused' : 'error'));
    socket.on('message', (msg) => {
      if (settled || answers.length >= 32) return;
      answers.push(msg);
      if (onAnswer(msg, send)) finish('ok');
    });
    socket.connect(port, address, () => send(first));
  });
}
