import { describe, expect, it } from 'vitest';
import {
  addToIndex,
  buildAssetIndex,
  findSharedMacs,
  isIdentityHostname,
  isIdentityMac,
  isUsableEngineId,
  isUsableSerial,
  isUsableUuid,
  normalizeMac,
  resolveIdentity,
} from '../../src/inventory/identity.js';
import { asset, summary } from './fixtures.js';

const none = { claimed: new Set<number>(), sharedMacs: new Set<string>() };

describe('isUsableSerial', () => {
  it.each([
    '',
    '   ',
    '0000000000',
    '00000000-0000',
    'FFFFFFFF',
    'ffff',
    'AAAAAAAA',
    'XXXXXXXX',
    'xxxxxxxxxxxx',
    'To Be Filled By O.E.M.',
    'to be filled by o.e.m.',
    'TO BE FILLED BY OEM',
    'Default string',
    'System Serial Number',
    '0123456789',
    '123456789',
    '1234567890',
    'None',
    'N/A',
    'Not Specified',
    'Not Available',
    'Unknown',
    'UNKNOWN',
    'Serial Number',
    'S/N',
  ])('rejects %j', (s) => {
    expect(isUsableSerial(s)).toBe(false);
  });

  it('rejects null and undefined', () => {
    expect(isUsableSerial(null)).toBe(false);
    expect(isUsableSerial(undefined)).toBe(false);
  });

  it.each(['CN12345678', 'VMware-42 1a 2b 3c', 'FOC1234X0AB', 'SGH123ABCD', '20231001'])('accepts %j', (s) => {
    expect(isUsableSerial(s)).toBe(true);
  });
});

describe('isUsableUuid', () => {
  it('accepts a well-formed UUID in either case, braces or 32-hex form', () => {
    expect(isUsableUuid('4C4C4544-0042-3510-8052-B4C04F4D4E32')).toBe(true);
    expect(isUsableUuid('{4c4c4544-0042-3510-8052-b4c04f4d4e32}')).toBe(true);
    expect(isUsableUuid('4c4c4544004235108052b4c04f4d4e32')).toBe(true);
  });

  it.each([
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    '03000200-0400-0500-0006-000700080009',
    'not-a-uuid',
    '4c4c4544-0042-3510-8052',
    '',
  ])('rejects %j', (u) => {
    expect(isUsableUuid(u)).toBe(false);
  });
});

describe('isUsableEngineId', () => {
  it('rejects empty and all-zero ids, accepts real ones', () => {
    expect(isUsableEngineId('')).toBe(false);
    expect(isUsableEngineId('0x0000000000')).toBe(false);
    expect(isUsableEngineId('80:00:1f:88:80:5a:3b:6c:11')).toBe(true);
  });
});

describe('normalizeMac', () => {
  it.each([
    ['AA:BB:CC:DD:EE:FF', 'aa:bb:cc:dd:ee:ff'],
    ['aa-bb-cc-dd-ee-ff', 'aa:bb:cc:dd:ee:ff'],
    ['aabb.ccdd.eeff', 'aa:bb:cc:dd:ee:ff'],
    ['AABBCCDDEEFF', 'aa:bb:cc:dd:ee:ff'],
    ['0xaabbccddeeff', 'aa:bb:cc:dd:ee:ff'],
    ['0:1b:c:d:e:f', '00:1b:0c:0d:0e:0f'],
    ['aa:bb:cc:dd:ee:ff', 'aa:bb:cc:dd:ee:ff'],
    [' aa:bb:cc:dd:ee:ff', 'aa:bb:cc:dd:ee:ff'],
    ['aa:bb:cc:dd:ee:ff\n', 'aa:bb:cc:dd:ee:ff'],
  ])('%j -> %s', (input, want) => {
    expect(normalizeMac(input)).toBe(want);
  });

  it('returns null for non-MACs', () => {
    expect(normalizeMac('aa:bb:cc:dd:ee')).toBeNull();
    expect(normalizeMac('gg:bb:cc:dd:ee:ff')).toBeNull();
    expect(normalizeMac('')).toBeNull();
  });
});

describe('isIdentityMac', () => {
  it('accepts globally administered unicast MACs, including VMware VMs', () => {
    expect(isIdentityMac('00:1b:21:3a:4f:10')).toBe(true);
    expect(isIdentityMac('00:50:56:9a:01:02')).toBe(true);
    expect(isIdentityMac('00:0C:29:AB:CD:EF')).toBe(true);
  });

  it.each([
    ['locally administered (lab, Docker, random)', '02:00:00:00:00:01'],
    ['Docker', '02:42:ac:11:00:02'],
    ['randomised', 'da:a1:19:00:00:01'],
    ['multicast', '01:00:5e:00:00:fb'],
    ['broadcast', 'ff:ff:ff:ff:ff:ff'],
    ['all-zero', '00:00:00:00:00:00'],
    ['VRRP', '00:00:5e:00:01:0a'],
    ['VRRP IPv6', '00:00:5e:00:02:0a'],
    ['HSRP v1', '00:00:0c:07:ac:01'],
    ['HSRP v2', '00:00:0c:9f:f0:01'],
    ['HSRP IPv6', '00:05:73:a0:00:01'],
    ['GLBP', '00:07:b4:00:01:02'],
    ['garbage', 'not a mac'],
  ])('rejects %s', (_what, mac) => {
    expect(isIdentityMac(mac)).toBe(false);
  });
});

describe('isIdentityHostname', () => {
  it('rejects names that only spell out the address', () => {
    expect(isIdentityHostname('dhcp-10-0-0-5.corp.example', ['10.0.0.5'])).toBe(false);
    expect(isIdentityHostname('5.0.0.10.in-addr.arpa', ['10.0.0.5'])).toBe(false);
    expect(isIdentityHostname('10.0.0.5', ['10.0.0.5'])).toBe(false);
    expect(isIdentityHostname('localhost', [])).toBe(false);
    expect(isIdentityHostname('  ', [])).toBe(false);
  });

  it('accepts ordinary names, even with digits', () => {
    expect(isIdentityHostname('printer-2f.corp.example', ['10.0.0.5'])).toBe(true);
    expect(isIdentityHostname('host-10-0-0-50', ['10.0.0.5'])).toBe(true);
  });
});

describe('resolveIdentity', () => {
  it('matches a device that moved by its MAC', () => {
    const index = buildAssetIndex([asset(1, { address: '10.0.0.5', macs: ['00:1b:21:3a:4f:10'] })]);
    const r = resolveIdentity(summary({ address: '10.0.0.77', macs: ['00:1B:21:3A:4F:10'] }), index, none);
    expect(r.assetId).toBe(1);
    expect(r.evidence).toEqual([{ rule: 'mac', value: '00:1b:21:3a:4f:10', assetId: 1 }]);
    expect(r.conflicts).toEqual([]);
  });

  it('keeps identity across a NIC swap through the serial', () => {
    const index = buildAssetIndex([
      asset(4, { address: '10.0.0.9', vendor: 'HP', serial: 'CN123', macs: ['00:1b:21:00:00:01'] }),
    ]);
    const r = resolveIdentity(
      summary({ address: '10.0.0.9', vendor: 'HP', serial: 'cn123 ', macs: ['00:1b:21:00:00:99'] }),
      index,
      none,
    );
    expect(r.assetId).toBe(4);
    expect(r.evidence.map((e) => e.rule)).toEqual(['serial']);
  });

  it('matches a serial when one side has no vendor, but not when vendors conflict', () => {
    const index = buildAssetIndex([asset(1, { serial: 'ABC12345', vendor: null, address: '10.0.0.1' })]);
    expect(resolveIdentity(summary({ serial: 'ABC12345', vendor: 'Dell', address: '10.9.9.9' }), index, none).assetId).toBe(1);

    const index2 = buildAssetIndex([asset(1, { serial: 'ABC12345', vendor: 'HP Inc.', address: '10.0.0.1' })]);
    expect(resolveIdentity(summary({ serial: 'ABC12345', vendor: 'hp', address: '10.9.9.9' }), index2, none).assetId).toBe(1);
    expect(resolveIdentity(summary({ serial: 'ABC12345', vendor: 'Cisco', address: '10.9.9.9' }), index2, none).assetId).toBeNull();
  });

  it('does not merge two machines that share a placeholder serial', () => {
    const index = buildAssetIndex([
      asset(1, { address: '10.0.0.1', serial: 'To Be Filled By O.E.M.', macs: ['00:1b:21:00:00:01'], hostname: 'pc-a' }),
    ]);
    const r = resolveIdentity(
      summary({ address: '10.0.0.2', serial: 'To Be Filled By O.E.M.', macs: ['00:1b:21:00:00:02'], hostname: 'pc-b' }),
      index,
      none,
    );
    expect(r).toEqual({ assetId: null, evidence: [], conflicts: [] });
  });

  it('matches by SMBIOS UUID and by SNMP engine id, ignoring all-zero UUIDs', () => {
    const index = buildAssetIndex([
      asset(1, { smbiosUuid: '4c4c4544-0042-3510-8052-b4c04f4d4e32', address: '10.0.0.1' }),
      asset(2, { snmpEngineId: '80001f8880a1b2c3d4', address: '10.0.0.2' }),
      asset(3, { smbiosUuid: '00000000-0000-0000-0000-000000000000', address: '10.0.0.3' }),
    ]);
    expect(resolveIdentity(summary({ smbiosUuid: '4C4C4544-0042-3510-8052-B4C04F4D4E32', address: '10.1.1.1' }), index, none)).toMatchObject({
      assetId: 1,
      evidence: [{ rule: 'smbios-uuid' }],
    });
    expect(resolveIdentity(summary({ snmpEngineId: '0x80001F8880A1B2C3D4', address: '10.1.1.2' }), index, none)).toMatchObject({
      assetId: 2,
      evidence: [{ rule: 'snmp-engine-id' }],
    });
    expect(resolveIdentity(summary({ smbiosUuid: '00000000-0000-0000-0000-000000000000', address: '10.1.1.3' }), index, none).assetId).toBeNull();
  });

  describe('conflicts: same MAC, different serial', () => {
    const index = buildAssetIndex([
      asset(3, { address: '10.0.0.3', vendor: 'HP', serial: 'CN123', macs: ['00:1b:21:00:00:03'] }),
      asset(7, { address: '10.0.0.7', vendor: 'HP', serial: 'CN777', macs: ['00:1b:21:00:00:07'], hostname: 'printer-7' }),
    ]);

    it('resolves to the asset holding the serial and notes the MAC that pointed elsewhere', () => {
      const r = resolveIdentity(
        summary({ address: '10.0.0.7', vendor: 'HP', serial: 'CN123', macs: ['00:1b:21:00:00:07'] }),
        index,
        none,
      );
      expect(r.assetId).toBe(3);
      expect(r.evidence).toEqual([{ rule: 'serial', value: 'HP/CN123', assetId: 3 }]);
      expect(r.conflicts).toHaveLength(1);
      expect(r.conflicts[0]).toMatchObject({ rule: 'mac', value: '00:1b:21:00:00:07', assetId: 7 });
      expect(r.conflicts[0]?.note).toContain('mac 00:1b:21:00:00:07 belongs to asset 7');
      expect(r.conflicts[0]?.note).toContain('serial HP/CN123 matched asset 3');
    });

    it('makes a new asset when the serial is new, instead of following MAC or hostname', () => {
      // A replacement printer that took the old one's NIC settings and name.
      const r = resolveIdentity(
        summary({ address: '10.0.0.7', vendor: 'HP', serial: 'CN999', macs: ['00:1b:21:00:00:07'], hostname: 'printer-7' }),
        index,
        none,
      );
      expect(r.assetId).toBeNull();
      expect(r.evidence).toEqual([]);
      expect(r.conflicts.map((c) => [c.rule, c.assetId])).toEqual([
        ['mac', 7],
        ['hostname', 7],
      ]);
      expect(r.conflicts[0]?.note).toContain('CN777');
      expect(r.conflicts[0]?.note).toContain('CN999');
    });

    it('still follows the MAC when the known asset has no usable serial', () => {
      const idx = buildAssetIndex([asset(5, { macs: ['00:1b:21:00:00:05'], serial: 'Default string', address: '10.0.0.5' })]);
      const r = resolveIdentity(summary({ serial: 'SN-REAL-1', macs: ['00:1b:21:00:00:05'], address: '10.0.0.5' }), idx, none);
      expect(r.assetId).toBe(5);
      expect(r.conflicts).toEqual([]);
    });
  });

  it('ignores MACs shared behind many addresses', () => {
    const firewall = '00:1b:21:ff:ff:01';
    const index = buildAssetIndex([asset(1, { address: '10.0.0.1', macs: [firewall], hostname: 'fw' })]);
    const rec = summary({ address: '10.0.0.50', macs: [firewall], type: 'server' });
    expect(resolveIdentity(rec, index, none).assetId).toBe(1);
    const r = resolveIdentity(rec, index, { claimed: new Set(), sharedMacs: new Set([firewall]) });
    expect(r.assetId).toBeNull();
    expect(r.conflicts).toEqual([]);
  });

  describe('address alone', () => {
    it('matches when nothing else is known on either side and the types agree', () => {
      const index = buildAssetIndex([asset(1, { address: '10.0.0.8', type: 'printer' })]);
      const r = resolveIdentity(summary({ address: '10.0.0.8', type: 'printer' }), index, none);
      expect(r).toEqual({ assetId: 1, evidence: [{ rule: 'address', value: '10.0.0.8', assetId: 1 }], conflicts: [] });
    });

    it('matches when both types are unknown, but not when only one is', () => {
      const index = buildAssetIndex([asset(1, { address: '10.0.0.8' })]);
      expect(resolveIdentity(summary({ address: '10.0.0.8' }), index, none).assetId).toBe(1);
      expect(resolveIdentity(summary({ address: '10.0.0.8', type: 'printer' }), index, none).assetId).toBeNull();
    });

    it('does not match when the types differ', () => {
      const index = buildAssetIndex([asset(1, { address: '10.0.0.8', type: 'workstation' })]);
      expect(resolveIdentity(summary({ address: '10.0.0.8', type: 'printer' }), index, none).assetId).toBeNull();
    });

    it('does not match when the record knows anything identifying', () => {
      const index = buildAssetIndex([asset(1, { address: '10.0.0.8' })]);
      expect(resolveIdentity(summary({ address: '10.0.0.8', macs: ['00:1b:21:00:00:08'] }), index, none).assetId).toBeNull();
      expect(resolveIdentity(summary({ address: '10.0.0.8', hostname: 'laptop-4' }), index, none).assetId).toBeNull();
      expect(resolveIdentity(summary({ address: '10.0.0.8', serial: 'ZX81ABC' }), index, none).assetId).toBeNull();
    });

    it('does not match when the known asset had anything identifying', () => {
      const index = buildAssetIndex([asset(1, { address: '10.0.0.8', macs: ['00:1b:21:00:00:08'] })]);
      expect(resolveIdentity(summary({ address: '10.0.0.8' }), index, none).assetId).toBeNull();
    });

    it('treats a locally administered MAC and an address-shaped PTR name as nothing identifying', () => {
      const index = buildAssetIndex([asset(1, { address: '10.0.0.8', macs: ['02:00:00:00:00:08'] })]);
      const r = resolveIdentity(summary({ address: '10.0.0.8', hostname: 'host-10-0-0-8.isp.example' }), index, none);
      expect(r.assetId).toBe(1);
    });
  });

  describe('hostname', () => {
    const index = buildAssetIndex([asset(2, { address: '10.0.0.2', hostname: 'NAS01.corp.example', vendor: 'Synology', type: 'nas' })]);

    it('matches case-insensitively when vendor and type do not conflict', () => {
      expect(resolveIdentity(summary({ address: '10.0.0.99', hostname: 'nas01.CORP.example.' }), index, none)).toMatchObject({
        assetId: 2,
        evidence: [{ rule: 'hostname', value: 'nas01.corp.example' }],
      });
      expect(resolveIdentity(summary({ address: '10.0.0.99', hostname: 'nas01.corp.example', vendor: 'Synology', type: 'nas' }), index, none).assetId).toBe(2);
    });

    it('does not match when the vendor or the type conflicts', () => {
      expect(resolveIdentity(summary({ address: '10.0.0.99', hostname: 'nas01.corp.example', vendor: 'QNAP' }), index, none).assetId).toBeNull();
      expect(resolveIdentity(summary({ address: '10.0.0.99', hostname: 'nas01.corp.example', type: 'printer' }), index, none).assetId).toBeNull();
    });
  });

  describe('claimed assets', () => {
    it('refuses a weak match to an asset another record already claimed, with a note', () => {
      const index = buildAssetIndex([asset(2, { address: '10.0.0.2', hostname: 'web01' })]);
      const r = resolveIdentity(summary({ address: '10.0.0.3', hostname: 'web01' }), index, {
        claimed: new Set([2]),
        sharedMacs: new Set(),
      });
      expect(r.assetId).toBeNull();
      expect(r.conflicts).toHaveLength(1);
      expect(r.conflicts[0]).toMatchObject({ rule: 'hostname', assetId: 2 });
      expect(r.conflicts[0]?.note).toContain('already matched');
    });

    it('refuses an address-only match to a claimed asset', () => {
      const index = buildAssetIndex([asset(2, { address: '10.0.0.2' })]);
      const r = resolveIdentity(summary({ address: '10.0.0.2' }), index, { claimed: new Set([2]), sharedMacs: new Set() });
      expect(r.assetId).toBeNull();
    });

    it('still allows a strong match to a claimed asset', () => {
      const index = buildAssetIndex([asset(2, { address: '10.0.0.2', macs: ['00:1b:21:00:00:02'], hostname: 'web01' })]);
      const r = resolveIdentity(summary({ address: '10.0.0.3', macs: ['00:1b:21:00:00:02'], hostname: 'web01' }), index, {
        claimed: new Set([2]),
        sharedMacs: new Set(),
      });
      expect(r.assetId).toBe(2);
      expect(r.evidence.map((e) => e.rule)).toEqual(['mac', 'hostname']);
    });
  });

  it('lists every rule that agrees, strongest first, and notes weaker rules that pointed elsewhere', () => {
    const index = buildAssetIndex([
      asset(1, { address: '10.0.0.1', vendor: 'Cisco', serial: 'FOC123', snmpEngineId: '800000090300aabbccddee01', macs: ['00:1b:21:00:00:01'], hostname: 'core1' }),
      asset(9, { address: '10.0.0.9', hostname: 'core2' }),
    ]);
    const r = resolveIdentity(
      summary({
        address: '10.0.0.1',
        vendor: 'Cisco',
        serial: 'FOC123',
        snmpEngineId: '800000090300AABBCCDDEE01',
        macs: ['00:1b:21:00:00:01'],
        hostname: 'core2',
      }),
      index,
      none,
    );
    expect(r.assetId).toBe(1);
    expect(r.evidence.map((e) => e.rule)).toEqual(['serial', 'snmp-engine-id', 'mac']);
    expect(r.conflicts).toEqual([
      { rule: 'hostname', value: 'core2', assetId: 9, note: 'hostname core2 belongs to asset 9, but serial Cisco/FOC123 matched asset 1' },
    ]);
  });

  it('breaks a tie within one rule by the support of other rules', () => {
    // One MAC left on two assets by history; the hostname says which one this is.
    const mac = '00:1b:21:00:00:aa';
    const index = buildAssetIndex([
      asset(1, { address: '10.0.0.1', macs: [mac], hostname: 'alpha' }),
      asset(2, { address: '10.0.0.2', macs: [mac], hostname: 'beta' }),
    ]);
    expect(resolveIdentity(summary({ address: '10.0.0.5', macs: [mac], hostname: 'alpha' }), index, none).assetId).toBe(1);
    expect(resolveIdentity(summary({ address: '10.0.0.5', macs: [mac], hostname: 'beta' }), index, none).assetId).toBe(2);
  });

  it('without other support, gives a contested MAC to the newest asset and notes the other', () => {
    const mac = '00:1b:21:00:00:aa';
    const index = buildAssetIndex([
      asset(4, { address: '10.0.0.4', macs: [mac] }),
      asset(2, { address: '10.0.0.2', macs: [mac] }),
    ]);
    const r = resolveIdentity(summary({ address: '10.0.0.5', macs: [mac] }), index, none);
    expect(r.assetId).toBe(4);
    expect(r.conflicts).toEqual([
      { rule: 'mac', value: mac, assetId: 2, note: `mac ${mac} belongs to asset 2, but mac ${mac} matched asset 4` },
    ]);
  });

  it('sees assets added or updated during a scan through addToIndex', () => {
    const index = buildAssetIndex([asset(1, { address: '10.0.0.1' })]);
    expect(resolveIdentity(summary({ address: '10.0.0.1' }), index, none).assetId).toBe(1);

    // Asset 1 is seen again at another address: its old address no longer leads to it.
    addToIndex(index, asset(1, { address: '10.0.0.50' }));
    expect(resolveIdentity(summary({ address: '10.0.0.1' }), index, none).assetId).toBeNull();
    expect(resolveIdentity(summary({ address: '10.0.0.50' }), index, none).assetId).toBe(1);

    addToIndex(index, asset(2, { address: '10.0.0.60', macs: ['00:1b:21:00:00:60'] }));
    expect(resolveIdentity(summary({ address: '10.0.0.61', macs: ['00:1b:21:00:00:60'] }), index, none).assetId).toBe(2);
  });
});

describe('findSharedMacs', () => {
  it('finds MACs on at least minRecords records', () => {
    const fw = '00:1b:21:ff:ff:01';
    const shared = findSharedMacs(
      [
        summary({ address: '10.0.0.1', macs: [fw] }),
        summary({ address: '10.0.0.2', macs: [fw.toUpperCase()] }),
        summary({ address: '10.0.0.3', macs: [fw, '00:1b:21:00:00:03'] }),
        summary({ address: '10.0.0.4', macs: ['00:1b:21:00:00:03'] }),
      ],
      3,
    );
    expect([...shared]).toEqual([fw]);
  });
});
