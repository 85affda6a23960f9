// The portable inventory document: what `netcensus local --out FILE.json` writes and `netcensus
// import` reads. Versioned (`format` + `version`); a reader refuses a newer major version rather
// than guess. Every section names its source ("systeminformation:system", "dpkg-query"), so that the
// facts it becomes say where each value came from, whichever tool wrote the document.
//
// Unknown keys are ignored (a newer netcensus may add fields within version 1); a wrong type, a
// missing required field or an oversized value makes the whole document invalid, with every problem
// named by its path ("software.packages[3].name: expected string, received number").
import { z } from 'zod';
import { DISK_KINDS, type SoftwarePackage } from '../../model/index.js';

export const DOCUMENT_FORMAT = 'netcensus-inventory';
export const DOCUMENT_VERSION = 1;
/** Bigger files are refused before parsing: a real machine's document is well under 10 MB. */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

const text = z.string().max(1024);
const optText = text.optional();
const source = z.string().min(1).max(200);
const count = z.number().int().min(0);
const bytes = z.number().int().min(0).max(2 ** 60);
const isoDateTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: 'expected an ISO 8601 date-time such as 2025-03-01T08:30:00Z',
});

const systemSchema = z.object({
  source,
  manufacturer: optText,
  model: optText,
  serial: optText,
  uuid: optText,
  sku: optText,
  virtual: z.boolean().optional(),
  virtualHost: optText,
  chassisType: optText,
});

const biosSchema = z.object({ source, vendor: optText, version: optText, releaseDate: optText });

const cpuSchema = z.object({
  source,
  manufacturer: optText,
  model: text,
  cores: count.optional(),
  physicalCores: count.optional(),
  sockets: count.optional(),
  speedGHz: z.number().min(0).max(100).optional(),
});

const memorySchema = z.object({
  source,
  totalBytes: bytes,
  modules: z
    .array(
      z.object({
        sizeBytes: bytes,
        slot: optText,
        type: optText,
        speedMHz: count.optional(),
        manufacturer: optText,
        partNumber: optText,
        serial: optText,
      }),
    )
    .max(1024),
});

const disksSchema = z.object({
  source,
  items: z
    .array(
      z.object({
        device: optText,
        model: optText,
        serial: optText,
        sizeBytes: bytes,
        kind: z.enum(DISK_KINDS),
        interface: optText,
      }),
    )
    .max(1024),
});

const networkSchema = z.object({
  source,
  interfaces: z
    .array(
      z.object({
        name: text,
        mac: optText,
        ipv4: z.array(text).max(256).default([]),
        ipv6: z.array(text).max(256).default([]),
        speedMbps: z.number().min(0).optional(),
        default: z.boolean().optional(),
        virtual: z.boolean().optional(),
        up: z.boolean().optional(),
      }),
    )
    .max(4096),
});

const osSchema = z.object({
  source,
  platform: z.string().min(1).max(64),
  name: z.string().min(1).max(1024),
  release: optText,
  build: optText,
  codename: optText,
  kernel: optText,
  arch: optText,
  hostname: z.string().min(1).max(255),
  fqdn: z.string().max(255).optional(),
  domain: z.string().max(255).optional(),
});

/**
 * The package list is most of a document (hundreds to thousands of entries) and most of the time
 * spent validating it with generic schemas, so it is checked by one plain loop with the same rules
 * and messages; entries are rebuilt with the known keys only.
 */
const PACKAGE_TEXT_KEYS = ['version', 'publisher', 'arch'] as const;
const packagesSchema = z
  .array(z.unknown())
  .max(200_000)
  .transform((list, ctx): SoftwarePackage[] => {
    const out: SoftwarePackage[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const p = list[i] as Record<string, unknown> | null;
      if (typeof p !== 'object' || p === null || Array.isArray(p)) {
        ctx.issues.push({ code: 'custom', input: p, path: [i], message: `expected object, received ${received(p)}` });
        continue;
      }
      const name = p.name;
      if (typeof name !== 'string' || name.length === 0 || name.length > 1024) {
        ctx.issues.push({ code: 'custom', input: name, path: [i, 'name'], message: typeof name === 'string' ? 'expected 1 to 1024 characters' : `expected string, received ${received(name)}` });
        continue;
      }
      if (hasKnownKeysOnly(p)) {
        // Already the entry it would be rebuilt as (same keys, same order, all valid): kept as is.
        out[i] = p as unknown as SoftwarePackage;
        continue;
      }
      const entry: SoftwarePackage = { name };
      for (const key of PACKAGE_TEXT_KEYS) {
        const v = p[key];
        if (v === undefined) continue;
        if (typeof v !== 'string' || v.length > 1024) {
          ctx.issues.push({ code: 'custom', input: v, path: [i, key], message: typeof v === 'string' ? 'expected at most 1024 characters' : `expected string, received ${received(v)}` });
        } else entry[key] = v;
      }
      out[i] = entry;
    }
    return out;
  });

/** Keys of a package entry in the order the loop above rebuilds it. */
const PACKAGE_KEYS = ['name', ...PACKAGE_TEXT_KEYS] as const;

/**
 * True if a package entry (whose name is valid) has only known keys, in PACKAGE_KEYS order, each a
 * string of at most 1024 characters: rebuilding it would give an equal object, keys in the same order.
 */
function hasKnownKeysOnly(p: Record<string, unknown>): boolean {
  let at = 1;
  let first = true;
  for (const key in p) {
    if (first) {
      if (key !== 'name') return false;
      first = false;
      continue;
    }
    while (at < PACKAGE_KEYS.length && PACKAGE_KEYS[at] !== key) at++;
    if (at === PACKAGE_KEYS.length) return false;
    at++;
    const v = p[key];
    if (typeof v !== 'string' || v.length > 1024) return false;
  }
  return !first;
}

function received(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

const softwareSchema = z.object({ source, packages: packagesSchema });

export const inventoryDocumentSchema = z.object({
  format: z.literal(DOCUMENT_FORMAT),
  version: z.literal(DOCUMENT_VERSION),
  collectedAt: isoDateTime,
  collector: z.object({
    tool: z.string().min(1).max(200),
    version: z.string().max(100),
    privileged: z.boolean().optional(),
    durationMs: z.number().min(0).optional(),
  }),
  system: systemSchema,
  bios: biosSchema.optional(),
  cpu: cpuSchema.optional(),
  memory: memorySchema.optional(),
  disks: disksSchema.optional(),
  network: networkSchema.optional(),
  os: osSchema,
  users: z.object({ source, loggedIn: count }).optional(),
  software: softwareSchema.optional(),
  unavailable: z.array(z.object({ field: z.string().min(1).max(200), reason: z.string().max(1024) })).max(256).default([]),
});

export type InventoryDocument = z.infer<typeof inventoryDocumentSchema>;
/** What a writer builds (defaults not yet applied). */
export type InventoryDocumentInput = z.input<typeof inventoryDocumentSchema>;

export type ParsedDocument = { ok: true; document: InventoryDocument } | { ok: false; issues: string[] };

/**
 * Parses and validates a document's text. Never throws: a bad document comes back as problems,
 * each "path: message", the format and version checked first so that a file that is not an
 * inventory document at all gets one clear line instead of forty.
 */
export function parseDocument(textContent: string): ParsedDocument {
  let data: unknown;
  try {
    data = JSON.parse(textContent.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, issues: [`not JSON: ${(error as Error).message}`] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, issues: ['not an inventory document: expected a JSON object'] };
  }
  const head = data as { format?: unknown; version?: unknown };
  if (head.format !== DOCUMENT_FORMAT) {
    return { ok: false, issues: [`format: expected "${DOCUMENT_FORMAT}", found ${JSON.stringify(head.format) ?? 'nothing'} (not a netcensus inventory document)`] };
  }
  if (typeof head.version === 'number' && head.version > DOCUMENT_VERSION) {
    return { ok: false, issues: [`version: document version ${head.version} is newer than this netcensus reads (${DOCUMENT_VERSION}); upgrade netcensus`] };
  }
  const result = inventoryDocumentSchema.safeParse(data);
  if (result.success) return { ok: true, document: result.data };
  return { ok: false, issues: result.error.issues.slice(0, 20).map((i) => `${formatPath(i.path)}: ${i.message}`) };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(document)';
}
