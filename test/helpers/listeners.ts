// TCP listeners on chosen loopback addresses: the "devices" of the integration tests.
import { createServer, type Server } from 'node:net';

export interface Listener {
  address: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(address: string, port: number): Promise<Listener> {
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  return { address, port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port from a range unlikely to be in use, different per test file. */
export function pickPort(seed: number): number {
  return 20000 + ((seed * 7919 + process.pid) % 30000);
}
