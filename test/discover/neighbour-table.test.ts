// Reading the kernel's neighbour table: the lines `ip -4 neigh show` prints. The real table is read
// by the lab test (test/lab/discovery.test.ts), which sweeps through it.
import { describe, expect, it } from 'vitest';
import { parseIpNeighLine } from '../../src/scan/discover/arp/neighbour-table.js';

describe('the neighbour table', () => {
  it('takes the address and MAC of resolved entries, whatever flags come between', () => {
    expect(parseIpNeighLine('10.77.0.29 lladdr 3C:52:82:77:00:13 REACHABLE ', 'itlab0')).toEqual({ address: '10.77.0.29', mac: '3c:52:82:77:00:13', device: 'itlab0' });
    expect(parseIpNeighLine('192.168.1.1 dev eth0 lladdr 00:11:22:33:44:55 router STALE', 'x')).toEqual({ address: '192.168.1.1', mac: '00:11:22:33:44:55', device: 'eth0' });
    expect(parseIpNeighLine('10.0.0.9 lladdr 02:00:00:00:00:09 extern_learn PERMANENT', 'br0')?.mac).toBe('02:00:00:00:00:09');
  });

  it('skips entries with no MAC, and anything that is not an entry', () => {
    for (const line of ['10.77.0.30  INCOMPLETE', '10.77.0.31 FAILED', '', 'lladdr 00:11:22:33:44:55', '10.0.0.1 lladdr zz:11:22:33:44:55 REACHABLE', 'fe80::1 lladdr 00:11:22:33:44:55 REACHABLE']) {
      expect(parseIpNeighLine(line, 'eth0'), line).toBeNull();
    }
  });
});
