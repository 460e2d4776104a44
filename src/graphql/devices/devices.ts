import type { DeviceSummary } from '../../services/devices/wire.js';
import type { DeviceListQuery } from '../../services/devices/schemas.js';
import { builder, level, restQuery } from '../builder.js';
import { ProjectRef } from '../catalog/types.js';

const ArchivedDevices = builder.enumType('ArchivedDevices', { values: { EXCLUDE: { value: 'exclude' }, ONLY: { value: 'only' }, INCLUDE: { value: 'include' } } as const });

const DeviceRef = builder.objectRef<DeviceSummary>('Device').implement({
  description: 'A device (server, VM, laptop, switch, …) with its effective facts: what people set wins over what sources report.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind'),
    platform: t.exposeString('platform', { nullable: true }),
    hostname: t.exposeString('hostname', { nullable: true }),
    serial: t.exposeString('serial', { nullable: true }),
    assetTag: t.exposeString('asset_tag', { nullable: true }),
    model: t.exposeString('model', { nullable: true }),
    vendor: t.exposeString('vendor', { nullable: true }),
    uuid: t.exposeString('uuid', { nullable: true }),
    osType: t.exposeString('os_type', { nullable: true }),
    osFamily: t.exposeString('os_family', { nullable: true }),
    osVersion: t.exposeString('os_version', { nullable: true }),
    powerState: t.exposeString('power_state', { nullable: true }),
    vcpus: t.exposeInt('vcpus', { nullable: true }),
    memoryMb: t.exposeInt('memory_mb', { nullable: true }),
    diskTotalGb: t.exposeFloat('disk_total_gb', { nullable: true }),
    cluster: t.exposeString('cluster', { nullable: true }),
    hypervisor: t.exposeString('hypervisor', { nullable: true }),
    hypervisorDeviceId: t.exposeID('hypervisor_device_id', { nullable: true }),
    roomLocation: t.exposeString('room_location', { nullable: true }),
    subLocation: t.exposeString('sub_location', { nullable: true }),
    environment: t.exposeString('environment', { nullable: true }),
    projectId: t.exposeID('project_id', { nullable: true }),
    project: t.field({ type: ProjectRef, nullable: true, resolve: (d, _a, ctx) => (d.project_id === null ? null : ctx.loaders.project.load(d.project_id)) }),
    businessOwnerId: t.exposeID('business_owner_id', { nullable: true }),
    technicalOwnerId: t.exposeID('technical_owner_id', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    archived: t.exposeBoolean('archived'),
    tags: t.exposeStringList('tags'),
    macs: t.exposeStringList('macs'),
    sources: t.exposeStringList('sources'),
    firstSeenAt: t.expose('first_seen_at', { type: 'DateTime', nullable: true }),
    lastSeenAt: t.expose('last_seen_at', { type: 'DateTime', nullable: true }),
    missingSince: t.expose('missing_since', { type: 'DateTime', nullable: true, description: 'Since when every source that reported it no longer does; null while any still does' }),
    archiveAt: t.expose('archive_at', { type: 'DateTime', nullable: true, description: 'When the archive policy archives it; null: never' }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
  }),
});

const DevicePageRef = builder.objectRef<{ items: DeviceSummary[]; total: number; total_exact: boolean }>('DevicePage').implement({
  fields: (t) => ({ items: t.expose('items', { type: [DeviceRef] }), total: t.exposeInt('total'), totalExact: t.exposeBoolean('total_exact') }),
});

builder.queryFields((t) => ({
  devices: t.field({
    type: DevicePageRef,
    description: "Devices, one page, with the devices service's filters (the device list's).",
    extensions: level('read'),
    args: {
      q: t.arg.string({ description: 'Name, hostname, serial, asset tag, UUID (contains), MAC and IP (exact).' }),
      kind: t.arg.stringList(),
      platform: t.arg.stringList(),
      powerState: t.arg.stringList(),
      osType: t.arg.string(),
      osFamily: t.arg.string(),
      ownerId: t.arg.id(),
      projectId: t.arg.id(),
      environment: t.arg.string(),
      roomLocation: t.arg.string(),
      network: t.arg.string(),
      tag: t.arg.string(),
      source: t.arg.string(),
      mac: t.arg.string(),
      serial: t.arg.string(),
      cluster: t.arg.string(),
      hypervisorDeviceId: t.arg.id(),
      notSeenDays: t.arg.int(),
      archived: t.arg({ type: ArchivedDevices }),
      sort: t.arg.string({ description: 'A column (name, kind, platform, last_seen_at, …); a leading "-" sorts descending.' }),
      limit: t.arg.int(),
      offset: t.arg.int(),
    },
    resolve: (_r, a, ctx) => ctx.services.devices.list(restQuery(a) as DeviceListQuery),
  }),
}));
