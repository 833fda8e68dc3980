/**
 * The devices file (YAML or JSON), validated with zod. Errors name the path as written in the
 * file (`devices[3].location.lat: ...`). A file is either `{ devices: [...] }` or a bare list.
 *
 * Rules beyond field types (DESIGN.md "Inventory and areas"):
 * - ids are unique, and so are the MQTT ids of wifi APs (an MQTT id defaults to the device id);
 * - fibre devices are polled over SNMP, so they need `snmp` and take no `mqttId`;
 * - wifi APs report over MQTT, so they take no `snmp`; their coverage `radiusM` defaults to 50;
 * - `area` is never typed: it is derived from `location` (unknown keys are errors).
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Device } from '../../core/device.js';
import { formatIssues } from './issues.js';

/** A device as written in the inventory file: everything but the derived `area`. */
export type DeviceInput = Omit<Device, 'area'>;

export const DEFAULT_RADIUS_M = 50;

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const id = z.string().regex(ID, 'letters, digits, and . _ : - only (it becomes an MQTT topic level and a tag value)');

const location = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

const port = z.number().int().min(1).max(65535).default(161);

const snmpV2 = z.strictObject({
  host: z.string().min(1),
  port,
  version: z.literal('2c'),
  community: z.string().min(1),
});

const snmpV3 = z
  .strictObject({
    host: z.string().min(1),
    port,
    version: z.literal('3'),
    user: z.string().min(1),
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']),
    authProtocol: z.enum(['sha', 'sha256', 'sha512', 'md5']).optional(),
    authKey: z.string().min(8).optional(),
    privProtocol: z.enum(['aes', 'aes256b', 'aes256r', 'des']).optional(),
    privKey: z.string().min(8).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.level !== 'noAuthNoPriv') {
      if (!v.authProtocol) ctx.addIssue({ code: 'custom', path: ['authProtocol'], message: `required for level ${v.level}` });
      if (!v.authKey) ctx.addIssue({ code: 'custom', path: ['authKey'], message: `required for level ${v.level}` });
    }
    if (v.level === 'authPriv') {
      if (!v.privProtocol) ctx.addIssue({ code: 'custom', path: ['privProtocol'], message: 'required for level authPriv' });
      if (!v.privKey) ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'required for level authPriv' });
    }
  });

// YAML reads `version: 3` as a number and `version: 2c` as a string: accept both spellings.
const snmp = z.preprocess(
  (v) => (v && typeof v === 'object' && 'version' in v && typeof v.version === 'number' ? { ...v, version: v.version === 2 ? '2c' : String(v.version) } : v),
  z.discriminatedUnion('version', [snmpV2, snmpV3]),
);

const subscriptions = z
  .strictObject({
    total: z.number().int().min(0),
    atLeast100Mbps: z.number().int().min(0).optional(),
    atLeast1Gbps: z.number().int().min(0).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.atLeast100Mbps !== undefined && v.atLeast100Mbps > v.total) {
      ctx.addIssue({ code: 'custom', path: ['atLeast100Mbps'], message: `cannot exceed total (${v.total})` });
    }
    const ceiling = v.atLeast100Mbps ?? v.total;
    if (v.atLeast1Gbps !== undefined && v.atLeast1Gbps > ceiling) {
      ctx.addIssue({ code: 'custom', path: ['atLeast1Gbps'], message: `cannot exceed ${v.atLeast100Mbps !== undefined ? 'atLeast100Mbps' : 'total'} (${ceiling})` });
    }
  });

export const deviceSchema = z
  .strictObject({
    id,
    tech: z.enum(['fibre', 'wifi']),
    site: z.string().min(1),
    location,
    snmp: snmp.optional(),
    mqttId: id.optional(),
    householdsPassed: z.number().int().min(0).optional(),
    accessTech: z.enum(['ftth', 'fttb', 'docsis31', 'other']).optional(),
    radiusM: z.number().positive().max(10_000).optional(),
    intervalS: z.number().positive().max(86_400).optional(),
    subscriptions: subscriptions.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.tech === 'fibre') {
      if (!d.snmp) ctx.addIssue({ code: 'custom', path: ['snmp'], message: 'required for a fibre device (it is polled over SNMP)' });
      if (d.mqttId !== undefined) ctx.addIssue({ code: 'custom', path: ['mqttId'], message: 'only wifi APs report over MQTT' });
      if (d.radiusM !== undefined) ctx.addIssue({ code: 'custom', path: ['radiusM'], message: 'only wifi APs have a coverage radius' });
    } else {
      if (d.snmp) ctx.addIssue({ code: 'custom', path: ['snmp'], message: 'wifi APs report over MQTT, not SNMP' });
      for (const key of ['householdsPassed', 'accessTech', 'subscriptions'] as const) {
        if (d[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'only fibre access nodes carry this' });
      }
    }
  })
  .transform((d): DeviceInput => (d.tech === 'wifi' && d.radiusM === undefined ? { ...d, radiusM: DEFAULT_RADIUS_M } : d));

export const inventorySchema = z
  .preprocess((v) => (Array.isArray(v) ? { devices: v } : v), z.strictObject({ devices: z.array(deviceSchema) }))
  .superRefine((inv, ctx) => {
    const ids = new Map<string, number>();
    const mqttIds = new Map<string, number>();
    inv.devices.forEach((d, i) => {
      const first = ids.get(d.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['devices', i, 'id'], message: `duplicate id "${d.id}" (first at devices[${first}])` });
        return; // its MQTT id (defaulting to the id) would only repeat the same complaint
      }
      ids.set(d.id, i);
      if (d.tech === 'wifi') {
        const m = d.mqttId ?? d.id;
        const firstM = mqttIds.get(m);
        if (firstM !== undefined) ctx.addIssue({ code: 'custom', path: ['devices', i, 'mqttId'], message: `duplicate MQTT id "${m}" (first at devices[${firstM}])` });
        else mqttIds.set(m, i);
      }
    });
  });

export interface InventoryFile {
  devices: DeviceInput[];
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Validates an already-parsed inventory document. */
export function parseInventory(raw: unknown): ParseResult<InventoryFile> {
  const r = inventorySchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: formatIssues(r.error) };
}

/** Parses the text of an inventory file: JSON when the name ends in .json, YAML otherwise. */
export function parseInventoryText(text: string, fileName: string): ParseResult<InventoryFile> {
  let raw: unknown;
  try {
    raw = fileName.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    return { ok: false, errors: [`not valid ${fileName.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`] };
  }
  return parseInventory(raw ?? { devices: [] });
}
