import { z } from 'zod';
import { DiskSchema, FACT_VALUE_SCHEMAS, IpSchema, MacSchema, SourceSchema, TagSchema } from '../services/devices/schemas.js';

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
    hostname: FACT_VALUE_SCHEMAS.hostname.nullable().optional(),
    kind: FACT_VALUE_SCHEMAS.kind.nullable().optional(),
    platform: FACT_VALUE_SCHEMAS.platform.nullable().optional(),
    serial: FACT_VALUE_SCHEMAS.serial.nullable().optional(),
    uuid: FACT_VALUE_SCHEMAS.uuid.nullable().optional(),
    bios_uuid: FACT_VALUE_SCHEMAS.bios_uuid.nullable().optional(),
    model: FACT_VALUE_SCHEMAS.model.nullable().optional(),
    vendor: FACT_VALUE_SCHEMAS.vendor.nullable().optional(),
    os_type: FACT_VALUE_SCHEMAS.os_type.nullable().optional(),
    os_family: FACT_VALUE_SCHEMAS.os_family.nullable().optional(),
    os_version: FACT_VALUE_SCHEMAS.os_version.nullable().optional(),
    firmware_version: FACT_VALUE_SCHEMAS.firmware_version.nullable().optional(),
    power_state: FACT_VALUE_SCHEMAS.power_state.nullable().optional(),
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
