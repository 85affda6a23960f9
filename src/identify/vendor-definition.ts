// The schema of a vendor definition file: a list of product lines, each saying how to recognise it
// (sysObjectID prefix first, sysDescr substring next, regex last, each with an `except`; or an OID
// that only that product answers) and where model, serial, firmware and OS come from (an ordered
// list: the first non-empty value wins). Built-in files live in ./vendors; users add their own in
// the config folder (vendors/*.yaml|json) without rebuilding. Anything cleverer is a named hook.
import { z } from 'zod';
import { DEVICE_TYPES } from '../model/index.js';

const numericOid = z.string().regex(/^\d+(\.\d+)*$/, 'a numeric OID such as 1.3.6.1.4.1.9.1');
const oidPrefix = z.string().regex(/^\d+(\.\d+)*\.?$/, 'a numeric OID prefix such as 1.3.6.1.4.1.9.');
const regex = z.string().refine((r) => {
  try {
    new RegExp(r, 'i');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const ENTITY_FIELDS = ['model', 'serial', 'descr', 'name', 'softwareRev', 'firmwareRev', 'hardwareRev', 'manufacturer'] as const;
export const HOOKS = ['windows-release'] as const;

/** One place a value can come from, optionally narrowed by a regex (group "value", else the match). */
const extractSchema = z
  .object({
    /** A scalar: numeric OID, or sysDescr / sysName / sysObjectID. */
    oid: z.union([numericOid, z.enum(['sysDescr', 'sysName', 'sysObjectID'])]).optional(),
    /** Several scalars joined with a space (each may be missing). */
    join: z.array(numericOid).min(2).optional(),
    /** A column or subtree: its first non-empty value. */
    walk: numericOid.optional(),
    /** A field of the chassis in ENTITY-MIB (the first chassis entity with that field set). */
    entity: z.enum(ENTITY_FIELDS).optional(),
    /** hrDeviceDescr of the first printer device (HOST-RESOURCES-MIB). */
    hrPrinter: z.literal(true).optional(),
    /** A named code hook, for what data cannot say. */
    hook: z.enum(HOOKS).optional(),
    regex: regex.optional(),
    /** Builds the value from the regex's named groups: "{name} {value}". */
    format: z.string().optional(),
    /** The MIB name of the OID, shown by --explain ("JUNIPER-MIB::jnxBoxSerialNo.0"). */
    name: z.string().optional(),
  })
  .strict()
  .refine((e) => [e.oid, e.join, e.walk, e.entity, e.hrPrinter, e.hook].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of oid, join, walk, entity, hrPrinter, hook',
  });
export type Extract = z.infer<typeof extractSchema>;

const matchSchema = z
  .object({
    sysObjectID: z.array(oidPrefix).optional(),
    sysDescr: z.array(z.string().min(1)).optional(),
    sysDescrRegex: z.array(regex).optional(),
  })
  .strict();

const detectSchema = matchSchema
  .extend({
    /** Detected when any of these OIDs has a value (a vendor MIB only that product answers). */
    oidPresent: z.array(numericOid).optional(),
    /** Probe oidPresent only on agents with these sysObjectID prefixes (default: every agent). */
    probeOn: z.array(oidPrefix).optional(),
    except: matchSchema.optional(),
  })
  .strict();

const typeRuleSchema = z
  .object({
    type: z.enum(DEVICE_TYPES),
    /** Regex on the extracted model. */
    model: regex.optional(),
    sysDescr: regex.optional(),
    sysObjectID: z.array(oidPrefix).optional(),
  })
  .strict();

export const productLineSchema = z
  .object({
    /** Unique id, shown in explanations ("cisco-ios"). */
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, _ . -'),
    /** Hardware maker; omitted for software platforms whose maker the agent does not say. */
    vendor: z.string().min(1).optional(),
    /** A generic platform (net-snmp on Linux): loses to any specific product line. */
    generic: z.boolean().optional(),
    detect: detectSchema,
    type: z.enum(DEVICE_TYPES).optional(),
    /** First matching rule wins over `type`. */
    types: z.array(typeRuleSchema).optional(),
    model: z.array(extractSchema).optional(),
    serial: z.array(extractSchema).optional(),
    firmware: z.array(extractSchema).optional(),
    os: z.array(extractSchema).optional(),
  })
  .strict();

export const definitionFileSchema = z.array(productLineSchema).min(1);

export type ProductLine = z.infer<typeof productLineSchema>;
