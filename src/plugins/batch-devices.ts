import { z } from 'zod';
import { FACT_FIELDS } from '../domain/devices/fields.js';
import { DEVICE_KINDS, normalizePowerState, PLATFORM_PATTERN } from '../domain/devices/kinds.js';
import { DiskSchema, IpSchema, MacSchema, SourceSchema, TagSchema } from '../services/devices/schemas.js';

/*
 * The batch's device record: what a device source (vCenter, Nutanix, Netdisco, LibreNMS, a push)
 * reports about one device. Connectors build these; the devices entity of the reconcile engine
 * validates them with `BatchDeviceSchema` (a bad record is an error at its `loc`, the others go
 * on) and merges them into the device's facts for `source`. As everywhere in a batch, a field left
 * out is unknown to the source (the stored fact is kept); null means "the source has no value".
 */

/** A whole number, also when it arrives as text (LibreNMS sends "4096"). */
const count = z.union([z.number(), z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number)]).pipe(z.number().int('must be a whole number').min(0, 'must not be negative').max(2_147_483_647));
const decimal = z.union([z.number(), z.string().trim().regex(/^\d+(\.\d+)?$/, 'must be a number').transform(Number)]).pipe(z.number().min(0, 'must not be negative').max(1e12));
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).transform((s) => (s === '' ? null : s));
const opt = <T extends z.ZodType>(s: T) => s.nullable().optional();
/** A text fact, as long as its column allows. */
const fact = (field: keyof typeof FACT_FIELDS) => opt(text(FACT_FIELDS[field].max));
/** UUIDs compare as one value whatever the case a platform prints them in. */
const uuid = (field: 'uuid' | 'bios_uuid') => opt(text(FACT_FIELDS[field].max).transform((u) => u?.toLowerCase() ?? null));

export const BatchDeviceNicSchema = z
  .object({
    mac: opt(MacSchema),
    /** Port group, VLAN or subnet name as the platform shows it. */
    network: opt(text(255)),
    vlan: opt(z.union([z.number().int().min(0).max(4095).transform(String), text(50)])),
    connected: opt(z.boolean()),
    ips: z.array(IpSchema).max(1000).optional(),
  })
  .strict();

export const BatchDeviceSchema = z
  .object({
    /** Where the record came from (`vcenter vm-42`, `data.devices[3]`): plan errors point here. */
    loc: z.string().max(500),
    /** The connector that reports it (`vcenter`, `librenms`): whose facts these are, and its priority. */
    source: SourceSchema,
    /** The source's own id (VM instance UUID, LibreNMS device_id): how the next run finds the device. */
    source_id: z.union([z.string(), z.number().transform(String)]).pipe(z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters')),
    /** The name the source gives it (VM name, sysName): a new device's name. */
    name: opt(text(255)),
    hostname: fact('hostname'),
    kind: opt(z.enum(DEVICE_KINDS, { error: `must be one of ${DEVICE_KINDS.join(', ')}` })),
    platform: opt(z.string().trim().toLowerCase().regex(PLATFORM_PATTERN, 'must be a lower-case name such as vmware, nutanix or physical')),
    serial: fact('serial'),
    uuid: uuid('uuid'),
    bios_uuid: uuid('bios_uuid'),
    model: fact('model'),
    vendor: fact('vendor'),
    os_type: fact('os_type'),
    os_family: fact('os_family'),
    os_version: fact('os_version'),
    firmware_version: fact('firmware_version'),
    power_state: opt(z.string().trim().min(1, 'is required').max(40).transform(normalizePowerState)),
    vcpus: opt(count),
    sockets: opt(count),
    cores_per_socket: opt(count),
    memory_mb: opt(count),
    disks: z.array(DiskSchema.extend({ size_gb: opt(decimal) })).max(1000).optional(),
    nics: z.array(BatchDeviceNicSchema).max(1000).optional(),
    /** MACs not tied to a NIC (LibreNMS ports, Netdisco nodes). */
    macs: z.array(MacSchema).max(1000).optional(),
    /** Addresses not tied to one NIC. */
    ips: z.array(IpSchema).max(1000).optional(),
    cluster: opt(text(255)),
    /** The host it runs on: its name, and/or the same source's id of it (an ESXi host's `host-12`). */
    hypervisor: opt(text(255)),
    hypervisor_source_id: opt(z.union([z.string(), z.number().transform(String)]).pipe(z.string().trim().max(255))),
    /** Seeds a new device's manual fields (people own them afterwards). */
    asset_tag: opt(text(100)),
    location: opt(text(100)),
    project: opt(text(128)),
    tags: z.array(TagSchema).max(100).optional(),
    /** The source's payload as received, kept with the facts (shown on the device page). */
    raw: z.unknown().optional(),
  })
  .strict();

/** A push body's (or a connector's) device list. */
export const BatchDevicesSchema = z.array(BatchDeviceSchema).max(100_000);

export type BatchDeviceInput = z.input<typeof BatchDeviceSchema>;
/** What connectors put in `Batch.devices` (validated again by the engine: it is the boundary). */
export type BatchDevice = BatchDeviceInput;
export type BatchDeviceNic = z.input<typeof BatchDeviceNicSchema>;
export type BatchDeviceDisk = NonNullable<BatchDeviceInput['disks']>[number];
