import { asArray, asRecord, toCount, toFlag, toNumber, toText, uniqueAddresses } from '../../src/domain/coerce.js';
import { normalizePowerState } from '../../src/domain/devices/kinds.js';
import { normalizeMac } from '../../src/domain/devices/mac.js';
import { tryParseAddress } from '../../src/domain/ip/address.js';
import type { BatchDevice, BatchDeviceDisk, BatchDeviceNic } from '../../src/plugins/batch.js';

/** What every device of one run shares: the options' project and tags. */
export interface NutanixMapOptions {
  project?: string;
  tags: readonly string[];
  /** Keep each entity's JSON with its facts (shown on the device page); off for big benches. */
  keepRaw: boolean;
}

const MIB_PER_GIB = 1024;

/** Gigabytes with two decimals, from MiB or bytes (Prism gives one or the other, as numbers or strings). */
function diskGb(resources: Record<string, unknown>): number | null {
  const mib = toNumber(resources.disk_size_mib);
  if (mib !== null) return Math.round((mib / MIB_PER_GIB) * 100) / 100;
  const bytes = toNumber(resources.disk_size_bytes);
  return bytes === null ? null : Math.round((bytes / 2 ** 30) * 100) / 100;
}

/** Disks of a VM: CD-ROM drives are not storage and are left out. */
function mapDisks(list: unknown): BatchDeviceDisk[] {
  const out: BatchDeviceDisk[] = [];
  for (const d of asArray(list)) {
    const disk = asRecord(d);
    const props = asRecord(disk.device_properties);
    const type = toText(props.device_type)?.toUpperCase() ?? 'DISK';
    if (type !== 'DISK') continue;
    const address = asRecord(props.disk_address);
    const adapter = toText(address.adapter_type);
    const index = toCount(address.device_index);
    const container = asRecord(asRecord(disk.storage_config).storage_container_reference);
    out.push({
      label: adapter ? `${adapter}.${index ?? 0}` : toText(disk.uuid),
      size_gb: diskGb(disk),
      storage: toText(container.name),
      backing: toText(asRecord(disk.data_source_reference).kind),
    });
  }
  return out;
}

function mapNics(list: unknown): BatchDeviceNic[] {
  return asArray(list).map((n) => {
    const nic = asRecord(n);
    const subnet = asRecord(nic.subnet_reference);
    return {
      mac: normalizeMac(toText(nic.mac_address) ?? ''),
      network: toText(subnet.name) ?? toText(subnet.uuid),
      vlan: toText(nic.vlan_id) ?? toText(asRecord(nic.vlan_reference).name),
      connected: toFlag(nic.is_connected),
      ips: uniqueAddresses(asArray(nic.ip_endpoint_list).map((e) => asRecord(e).ip)),
    };
  });
}

/** `linux:64:CentOS Linux-7.3.1611` or `Linux:Ubuntu 22.04` (NGT's guest_os_version) → family and name (the first and last parts). */
function guestOs(resources: Record<string, unknown>): { os_type: string | null; os_family: string | null } {
  const version = toText(asRecord(asRecord(resources.guest_tools).nutanix_guest_tools).guest_os_version);
  if (!version) return { os_type: null, os_family: null };
  const parts = version.split(':');
  return { os_type: toText(parts.length > 1 ? parts[parts.length - 1] : version), os_family: parts.length > 1 ? toText(parts[0], 64) : null };
}

/** The parts of a v3 entity every mapping reads: `metadata.uuid`, `status`, `status.resources`. */
function parts(entity: unknown) {
  const e = asRecord(entity);
  const status = asRecord(e.status);
  return { e, status, resources: asRecord(status.resources), uuid: toText(asRecord(e.metadata).uuid, 64) };
}

/**
 * One entity of `POST /api/nutanix/v3/vms/list` → a VM device. The VM's UUID is its source id
 * (stable across renames and moves); facts come from `status` (what the cluster runs), not `spec`
 * (what was asked for, which may not be applied yet).
 */
export function mapVm(entity: unknown, loc: string, opts: NutanixMapOptions): BatchDevice | null {
  const { e, status, resources, uuid } = parts(entity);
  if (!uuid) return null;
  const sockets = toCount(resources.num_sockets);
  const perSocket = toCount(resources.num_vcpus_per_socket);
  const nics = mapNics(resources.nic_list);
  const power = toText(resources.power_state);
  const name = toText(status.name) ?? toText(asRecord(e.spec).name);
  return {
    loc,
    source: 'nutanix',
    source_id: uuid,
    name: name ?? uuid,
    kind: 'vm',
    platform: 'nutanix',
    uuid,
    power_state: power ? normalizePowerState(power) : null,
    vcpus: sockets !== null && perSocket !== null ? sockets * perSocket : sockets,
    sockets,
    cores_per_socket: perSocket,
    memory_mb: toCount(resources.memory_size_mib),
    ...guestOs(resources),
    disks: mapDisks(resources.disk_list),
    nics,
    cluster: toText(asRecord(status.cluster_reference).name),
    hypervisor: toText(asRecord(resources.host_reference).name),
    hypervisor_source_id: toText(asRecord(resources.host_reference).uuid),
    project: opts.project ?? null,
    tags: [...opts.tags],
    ...(opts.keepRaw ? { raw: entity } : {}),
  };
}

/**
 * One entity of `POST /api/nutanix/v3/hosts/list` → a hypervisor device, with its hypervisor
 * address as a NIC address (an OS address of the host) so the host's IP is in the inventory too.
 */
export function mapHost(entity: unknown, loc: string, opts: NutanixMapOptions): BatchDevice | null {
  const { status, resources, uuid } = parts(entity);
  if (!uuid) return null;
  const hypervisor = asRecord(resources.hypervisor);
  const ip = tryParseAddress(toText(hypervisor.ip) ?? '')?.address;
  const sockets = toCount(resources.num_cpu_sockets);
  const cores = toCount(resources.num_cpu_cores);
  const block = asRecord(resources.block);
  return {
    loc,
    source: 'nutanix',
    source_id: uuid,
    name: toText(status.name) ?? ip ?? uuid,
    kind: 'hypervisor',
    platform: 'nutanix',
    uuid,
    serial: toText(resources.serial_number) ?? toText(block.block_serial_number),
    model: toText(block.block_model) ?? toText(resources.cpu_model),
    vendor: 'Nutanix',
    os_type: toText(hypervisor.hypervisor_full_name),
    os_family: toText(hypervisor.hypervisor_full_name)?.split(/\s+/)[0] ?? null,
    vcpus: cores,
    sockets,
    cores_per_socket: sockets && cores !== null ? Math.round(cores / sockets) : null,
    memory_mb: toCount(resources.memory_capacity_mib),
    cluster: toText(asRecord(status.cluster_reference).name),
    ips: ip ? [ip] : [],
    project: opts.project ?? null,
    tags: [...opts.tags],
    ...(opts.keepRaw ? { raw: entity } : {}),
  };
}
