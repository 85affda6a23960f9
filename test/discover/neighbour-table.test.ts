// Reading the kernel's neighbour table: the lines `ip -4 neigh show` prints. The real table is read
// by the lab test (test/lab/discovery.test.ts), which sweeps through it.
import { describe, expect, it } from 'vitest';
import { parseArpCacheEntries, parseIpNeighLine, parseProcNetArp } from '../../src/scan/discover/arp/neighbour-table.js';

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

  it('reads complete entries of /proc/net/arp, and the table size that chooses it over ip', () => {
    const arp = [
      'IP address       HW type     Flags       HW address            Mask     Device',
      '10.77.1.20       0x1         0x2         3C:52:82:77:00:13     *        itlab0',
      '10.77.1.21       0x1         0x0         00:00:00:00:00:00     *        itlab0',
      '192.168.1.1      0x1         0x6         00:11:22:33:44:55     *        eth0',
      '',
    ].join('\n');
    expect(parseProcNetArp(arp)).toEqual([
      { address: '10.77.1.20', mac: '3c:52:82:77:00:13', device: 'itlab0' },
      { address: '192.168.1.1', mac: '00:11:22:33:44:55', device: 'eth0' },
    ]);
    const stat = [
      'entries  allocs   destroys hash_grows lookups  hits     res_failed',
      '00000102 00836a8d 00d34e1b 0000000d   257f9be5 22acf81a 0091c2ad',
      '00000102 0084008c 00341bfc 00000001   255575c0 228287f5 0090b585',
    ].join('\n');
    expect(parseArpCacheEntries(stat)).toBe(258);
    expect(parseArpCacheEntries('')).toBeNull();
    expect(parseArpCacheEntries('something else\n1 2 3')).toBeNull();
  });
});
