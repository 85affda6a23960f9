// Probes the machine netcensus runs on and builds its inventory document.
//
// Sends nothing on the network. Reads, all at once with a time limit each (default 4 s):
// systeminformation system, bios, chassis, cpu, mem, memLayout, diskLayout (blockDevices when it
// finds nothing, as in most VMs), networkInterfaces, osInfo, users; on Linux the interfaces come
// from /sys/class/net (every link, up or down, as `ip link` lists them; systeminformation lists only
// those with an address); the installed software from the platform's package database (software.ts).
//
// Caveats, reported in the document's `unavailable` list rather than guessed:
// - on Linux the system, board and chassis serials and the memory module table are readable by root
//   only (/sys/class/dmi/id/*_serial mode 0400, dmidecode): unprivileged runs say "needs root";
// - virtual machines and containers often have no SMBIOS tables at all;
// - systeminformation reports an unknown value as "" or "-": both are treated as absent.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { networkInterfaces as osNetworkInterfaces } from 'node:os';
import si from 'systeminformation';
import type { DiskKind } from '../../model/index.js';
import { DOCUMENT_FORMAT, DOCUMENT_VERSION, type InventoryDocumentInput } from './document.js';
import { collectSoftware } from './software.js';

export interface ProbeOptions {
  now: () => Date;
  /** Time limit for each systeminformation call, in ms. */
  timeoutMs?: number;
  /** Time limit for the package database, in ms (system_profiler on macOS is slow). */
  softwareTimeoutMs?: number;
  toolVersion: string;
  platform?: NodeJS.Platform;
  privileged?: boolean;
}

type Unavailable = { field: string; reason: string };

/** A value systeminformation gives for "unknown" ("", "-", "Default string" is left to identity). */
function known(s: string | null | undefined): string | undefined {
  const t = s?.trim();
  return t && t !== '-' && t !== 'Unknown' ? t : undefined;
}

async function timed<T>(name: string, call: () => Promise<T>, ms: number, unavailable: Unavailable[]): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      call(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => {
          unavailable.push({ field: name, reason: `systeminformation ${name}() did not answer in ${ms} ms` });
          resolve(null);
        }, ms);
      }),
    ]);
  } catch (error) {
    unavailable.push({ field: name, reason: `systeminformation ${name}() failed: ${(error as Error).message}` });
    return null;
  } finally {
    clearTimeout(timer);
  }
}

export async function probeLocalHost(options: ProbeOptions): Promise<InventoryDocumentInput> {
  const started = Date.now();
  const platform = options.platform ?? process.platform;
  const privileged = options.privileged ?? (typeof process.getuid === 'function' ? process.getuid() === 0 : undefined);
  const ms = options.timeoutMs ?? 4000;
  const unavailable: Unavailable[] = [];
  const needsRoot = platform === 'linux' && privileged === false;

  const [system, bios, chassis, cpu, mem, memLayout, diskLayout, blockDevices, nics, os, users, software] = await Promise.all([
    timed('system', () => si.system(), ms, unavailable),
    timed('bios', () => si.bios(), ms, unavailable),
    timed('chassis', () => si.chassis(), ms, unavailable),
    timed('cpu', () => si.cpu(), ms, unavailable),
    timed('mem', () => si.mem(), ms, unavailable),
    timed('memLayout', () => si.memLayout(), ms, unavailable),
    timed('diskLayout', () => si.diskLayout(), ms, unavailable),
    timed('blockDevices', () => si.blockDevices(), ms, unavailable),
    platform === 'linux' ? Promise.resolve(null) : timed('networkInterfaces', () => si.networkInterfaces(), ms, unavailable),
    timed('osInfo', () => si.osInfo(), ms, unavailable),
    timed('users', () => si.users(), ms, unavailable),
    collectSoftware(platform, options.softwareTimeoutMs ?? 60_000),
  ]);

  const doc: InventoryDocumentInput = {
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    collectedAt: options.now().toISOString(),
    collector: { tool: 'netcensus', version: options.toolVersion, ...(privileged !== undefined ? { privileged } : {}) },
    system: { source: 'systeminformation:system' },
    os: { source: 'systeminformation:osInfo', platform, name: platform, hostname: 'localhost' },
    unavailable,
  };

  // System: maker, model, serial, UUID, chassis.
  if (system) {
    const serial = known(system.serial);
    doc.system = {
      source: 'systeminformation:system',
      ...(known(system.manufacturer) ? { manufacturer: known(system.manufacturer) } : {}),
      ...(known(system.model) ? { model: known(system.model) } : {}),
      ...(serial ? { serial } : {}),
      ...(known(system.uuid) ? { uuid: known(system.uuid) } : {}),
      ...(known(system.sku) ? { sku: known(system.sku) } : {}),
      virtual: Boolean(system.virtual),
      ...(known(system.virtualHost) ? { virtualHost: known(system.virtualHost) } : {}),
      ...(chassis && known(chassis.type) ? { chassisType: known(chassis.type) } : {}),
    };
    if (!serial) {
      unavailable.push({
        field: 'system.serial',
        reason: needsRoot
          ? 'needs root: /sys/class/dmi/id/product_serial is readable by root only; run "sudo netcensus local"'
          : system.virtual
            ? 'not reported (virtual machine or container without an SMBIOS serial)'
            : 'not reported by the firmware',
      });
    }
    if (!known(system.uuid)) {
      unavailable.push({ field: 'system.uuid', reason: needsRoot ? 'needs root (dmidecode)' : 'not reported by the firmware' });
    }
  }

  if (bios) {
    const b = { vendor: known(bios.vendor), version: known(bios.version), releaseDate: known(bios.releaseDate) };
    if (b.vendor || b.version || b.releaseDate) {
      doc.bios = {
        source: 'systeminformation:bios',
        ...(b.vendor ? { vendor: b.vendor } : {}),
        ...(b.version ? { version: b.version } : {}),
        ...(b.releaseDate ? { releaseDate: b.releaseDate } : {}),
      };
    } else {
      unavailable.push({ field: 'bios', reason: needsRoot ? 'needs root (dmidecode)' : 'no SMBIOS BIOS information (virtual machine?)' });
    }
  }

  if (cpu) {
    const model = [known(cpu.manufacturer), known(cpu.brand)].filter(Boolean).join(' ');
    doc.cpu = {
      source: 'systeminformation:cpu',
      ...(known(cpu.manufacturer) ? { manufacturer: known(cpu.manufacturer) } : {}),
      model: model || 'unknown',
      cores: cpu.cores,
      physicalCores: cpu.physicalCores,
      ...(cpu.processors > 0 ? { sockets: cpu.processors } : {}),
      ...(cpu.speedMax > 0 || cpu.speed > 0 ? { speedGHz: cpu.speedMax > 0 ? cpu.speedMax : cpu.speed } : {}),
    };
  }

  if (mem) {
    // Without an SMBIOS memory table systeminformation invents one module of the total size; that
    // is not a module, so it is left out.
    const modules = (memLayout ?? []).filter((m) => m.size > 0 && (known(m.bank) || known(m.type) || known(m.partNum)));
    doc.memory = {
      source: 'systeminformation:mem',
      totalBytes: mem.total,
      modules: modules.map((m) => ({
        sizeBytes: m.size,
        ...(known(m.bank) ? { slot: known(m.bank) } : {}),
        ...(known(m.type) ? { type: known(m.type) } : {}),
        ...(m.clockSpeed ? { speedMHz: m.clockSpeed } : {}),
        ...(known(m.manufacturer) ? { manufacturer: known(m.manufacturer) } : {}),
        ...(known(m.partNum) ? { partNumber: known(m.partNum) } : {}),
        ...(known(m.serialNum) ? { serial: known(m.serialNum) } : {}),
      })),
    };
    if (modules.length === 0) {
      unavailable.push({
        field: 'memory.modules',
        reason: needsRoot ? 'needs root (dmidecode)' : 'no SMBIOS memory device table (virtual machine?)',
      });
    }
  }

  doc.disks = disksFrom(diskLayout ?? [], blockDevices ?? []);
  if (doc.disks.items.length === 0) unavailable.push({ field: 'disks', reason: 'no physical disk found' });

  const network = platform === 'linux' ? linuxInterfaces() : interfacesFrom(nics);
  if (network) doc.network = network;

  if (os) {
    const fqdn = known(os.fqdn);
    const hostname = known(os.hostname) ?? 'localhost';
    doc.os = {
      source: 'systeminformation:osInfo',
      platform: os.platform || platform,
      name: known(os.distro) ?? os.platform ?? platform,
      ...(known(os.release) ? { release: known(os.release) } : {}),
      ...(known(os.build) ? { build: known(os.build) } : {}),
      ...(known(os.codename) ? { codename: known(os.codename) } : {}),
      ...(known(os.kernel) ? { kernel: known(os.kernel) } : {}),
      ...(known(os.arch) ? { arch: known(os.arch) } : {}),
      hostname,
      ...(fqdn ? { fqdn } : {}),
      ...(fqdn && fqdn.includes('.') && fqdn.toLowerCase().startsWith(`${hostname.toLowerCase()}.`) ? { domain: fqdn.slice(hostname.length + 1) } : {}),
    };
  }

  if (users) doc.users = { source: 'systeminformation:users', loggedIn: new Set(users.map((u) => u.user)).size };

  if (software.ok) doc.software = { source: software.result.source, packages: software.result.packages };
  else unavailable.push({ field: 'software', reason: software.reason });

  doc.collector.durationMs = Date.now() - started;
  return doc;
}

function diskKind(name: string, type: string, removable: boolean, iface: string): DiskKind {
  if (removable || /usb/i.test(iface)) return 'removable';
  if (/^(vd|xvd)/.test(name) || /virtio|virtual/i.test(iface)) return 'virtual';
  if (/nvme/i.test(name) || /nvme/i.test(type) || /nvme/i.test(iface)) return 'nvme';
  if (/ssd/i.test(type)) return 'ssd';
  if (/^(hd|hdd)$/i.test(type)) return 'hdd';
  return 'unknown';
}

function disksFrom(
  layout: { device: string; type: string; name: string; size: number; serialNum: string; interfaceType: string }[],
  blocks: { name: string; type: string; size: number; physical: string; model: string; serial: string; removable: boolean; protocol: string; device?: string }[],
): NonNullable<InventoryDocumentInput['disks']> {
  if (layout.length > 0) {
    return {
      source: 'systeminformation:diskLayout',
      items: layout
        .filter((d) => d.size > 0)
        .map((d) => ({
          ...(known(d.device) ? { device: known(d.device) } : {}),
          ...(known(d.name) ? { model: known(d.name) } : {}),
          ...(known(d.serialNum) ? { serial: known(d.serialNum) } : {}),
          sizeBytes: d.size,
          kind: diskKind(d.device.replace(/^\/dev\//, ''), d.type, false, d.interfaceType),
          ...(known(d.interfaceType) ? { interface: known(d.interfaceType) } : {}),
        })),
    };
  }
  // Whole disks only: not partitions, RAM disks, loop devices or zram swap.
  return {
    source: 'systeminformation:blockDevices',
    items: blocks
      .filter((b) => b.type === 'disk' && b.size > 0 && !/^(zram|loop|ram)\d/.test(b.name))
      .map((b) => ({
        device: b.device ?? `/dev/${b.name}`,
        ...(known(b.model) ? { model: known(b.model) } : {}),
        ...(known(b.serial) ? { serial: known(b.serial) } : {}),
        sizeBytes: b.size,
        kind: diskKind(b.name, b.physical, b.removable, b.protocol),
        ...(known(b.protocol) ? { interface: known(b.protocol) } : /^vd/.test(b.name) ? { interface: 'virtio' } : {}),
      })),
  };
}

/** Addresses per interface name from Node (every address, where systeminformation keeps one). */
function addressesByName(): Map<string, { ipv4: string[]; ipv6: string[] }> {
  const out = new Map<string, { ipv4: string[]; ipv6: string[] }>();
  for (const [name, list] of Object.entries(osNetworkInterfaces())) {
    const entry = { ipv4: [] as string[], ipv6: [] as string[] };
    for (const a of list ?? []) (a.family === 'IPv4' ? entry.ipv4 : entry.ipv6).push(a.address);
    out.set(name, entry);
  }
  return out;
}

/** Every link in /sys/class/net but loopback, with its MAC, state, speed and whether it is virtual. */
function linuxInterfaces(): InventoryDocumentInput['network'] | null {
  const base = '/sys/class/net';
  if (!existsSync(base)) return null;
  const read = (name: string, file: string): string | undefined => {
    try {
      return readFileSync(`${base}/${name}/${file}`, 'utf8').trim();
    } catch {
      return undefined; // speed of a down link reads as EINVAL
    }
  };
  const addresses = addressesByName();
  const defaultIface = defaultRouteInterface();
  const interfaces = readdirSync(base)
    .sort()
    .filter((name) => read(name, 'type') !== '772') // ARPHRD_LOOPBACK
    .map((name) => {
      const speed = Number(read(name, 'speed'));
      const mac = read(name, 'address');
      const a = addresses.get(name) ?? { ipv4: [], ipv6: [] };
      return {
        name,
        ...(mac ? { mac } : {}),
        ipv4: a.ipv4,
        ipv6: a.ipv6,
        ...(Number.isFinite(speed) && speed > 0 ? { speedMbps: speed } : {}),
        default: name === defaultIface,
        virtual: !existsSync(`${base}/${name}/device`),
        up: read(name, 'operstate') === 'up',
      };
    });
  return { source: 'sysfs:/sys/class/net', interfaces };
}

/** The interface of the IPv4 default route, from /proc/net/route. */
function defaultRouteInterface(): string | null {
  try {
    for (const line of readFileSync('/proc/net/route', 'utf8').split('\n').slice(1)) {
      const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
      if (destination === '00000000' && mask === '00000000' && iface) return iface;
    }
  } catch {
    // no procfs: no default interface known
  }
  return null;
}

function interfacesFrom(
  nics: { iface: string; default: boolean; mac: string; internal: boolean; virtual: boolean; operstate: string; speed: number | null }[] | { iface: string } | null,
): InventoryDocumentInput['network'] | null {
  if (nics === null) return null;
  const list = (Array.isArray(nics) ? nics : [nics]) as { iface: string; default: boolean; mac: string; internal: boolean; virtual: boolean; operstate: string; speed: number | null }[];
  const addresses = addressesByName();
  return {
    source: 'systeminformation:networkInterfaces',
    interfaces: list
      .filter((n) => !n.internal)
      .map((n) => {
        const a = addresses.get(n.iface) ?? { ipv4: [], ipv6: [] };
        return {
          name: n.iface,
          ...(known(n.mac) ? { mac: known(n.mac) } : {}),
          ipv4: a.ipv4,
          ipv6: a.ipv6,
          ...(n.speed && n.speed > 0 ? { speedMbps: n.speed } : {}),
          default: n.default,
          virtual: n.virtual,
          up: n.operstate === 'up',
        };
      }),
  };
}
