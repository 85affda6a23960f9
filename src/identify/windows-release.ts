// Code hook "windows-release": Windows agents report only the kernel build in sysDescr
// ("Windows Version 6.3 (Build 17763 Multiprocessor Free)"); the release a person knows
// ("Windows Server 2019 (1809)") is a lookup of that build, by edition (server or workstation,
// from sysObjectID: ...311.1.1.3.1.1 workstation, .2 server, .3 domain controller).

const SERVER: Record<number, string> = {
  3790: 'Windows Server 2003',
  6002: 'Windows Server 2008',
  7601: 'Windows Server 2008 R2',
  9200: 'Windows Server 2012',
  9600: 'Windows Server 2012 R2',
  14393: 'Windows Server 2016 (1607)',
  17763: 'Windows Server 2019 (1809)',
  20348: 'Windows Server 2022 (21H2)',
  26100: 'Windows Server 2025 (24H2)',
};

const WORKSTATION: Record<number, string> = {
  7601: 'Windows 7 SP1',
  9200: 'Windows 8',
  9600: 'Windows 8.1',
  10240: 'Windows 10 (1507)',
  14393: 'Windows 10 (1607)',
  17763: 'Windows 10 (1809)',
  19041: 'Windows 10 (2004)',
  19044: 'Windows 10 (21H2)',
  19045: 'Windows 10 (22H2)',
  22000: 'Windows 11 (21H2)',
  22621: 'Windows 11 (22H2)',
  22631: 'Windows 11 (23H2)',
  26100: 'Windows 11 (24H2)',
};

export function windowsRelease(sysDescr: string, sysObjectID: string): string | null {
  const build = /Build (\d+)/.exec(sysDescr)?.[1];
  if (!build) return null;
  const workstation = sysObjectID === '1.3.6.1.4.1.311.1.1.3.1.1';
  const name = (workstation ? WORKSTATION : SERVER)[Number(build)];
  return name ?? `Windows (build ${build})`;
}
