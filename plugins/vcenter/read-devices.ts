import { z } from 'zod';
import { ConnectorError, tryJson } from '../../src/plugins/connector-http.js';
import type { BatchDevice } from '../../src/plugins/batch.js';
import { vcenterMessage, type VcenterSession } from './client.js';
import type { HostSummary, VmSummary } from './read-inventory.js';

/*
 * The device side of the vCenter connector: clusters (for placement), each VM's VM.Info
 * (`GET /api/vcenter/vm/{vm}`: CPU, memory, disks, NICs with MAC and network, guest OS), mapped to
 * the batch's device records. VMs become kind `vm`, ESXi hosts `hypervisor`.
 */

const Cluster = z.object({ cluster: z.string(), name: z.string() }).loose();
const HostRef = z.object({ host: z.string() }).loose();
const VmInfo = z
  .object({
    name: z.string(),
    guest_OS: z.string().nullish(),
    power_state: z.string().nullish(),
    identity: z.object({ instance_uuid: z.string().nullish(), bios_uuid: z.string().nullish() }).loose().nullish(),
    cpu: z.object({ count: z.number().int().nullish(), cores_per_socket: z.number().int().nullish() }).loose().nullish(),
    memory: z.object({ size_MiB: z.number().int().nullish() }).loose().nullish(),
    nics: z.record(z.string(), z.object({ mac_address: z.string().nullish(), state: z.string().nullish(), backing: z.object({ network: z.string().nullish(), network_name: z.string().nullish() }).loose().nullish() }).loose()).nullish(),
    disks: z.record(z.string(), z.object({ label: z.string().nullish(), capacity: z.number().nullish(), backing: z.object({ type: z.string().nullish() }).loose().nullish() }).loose()).nullish(),
  })
  .loose();
export type VmInfo = z.infer<typeof VmInfo>;

/** Host id → cluster name: one host list per cluster (`/api/vcenter/host?clusters=`). */
export async function hostClusters(session: VcenterSession): Promise<Map<string, string>> {
  const res = await session.get('api/vcenter/cluster');
  if (res.status !== 200) throw new ConnectorError(`Listing clusters failed (${vcenterMessage(res)}).`, res.status);
  const clusters = z.array(Cluster).safeParse(tryJson(res.body));
  if (!clusters.success) throw new ConnectorError('vCenter answered the cluster list in an unexpected shape.');
  const out = new Map<string, string>();
  for (const c of clusters.data) {
    const hosts = await session.get(`api/vcenter/host?clusters=${encodeURIComponent(c.cluster)}`);
    if (hosts.status !== 200) throw new ConnectorError(`Listing hosts of cluster ${c.name} failed (${vcenterMessage(hosts)}).`, hosts.status);
    const parsed = z.array(HostRef).safeParse(tryJson(hosts.body));
    if (!parsed.success) throw new ConnectorError('vCenter answered a host list in an unexpected shape.');
    for (const h of parsed.data) out.set(h.host, c.name);
  }
  return out;
}

/** One VM's VM.Info; null with a warning when it vanished meanwhile (404) or vCenter cannot say now (5xx). */
export async function readVmInfo(session: VcenterSession, vm: VmSummary, warn: (msg: string) => void): Promise<{ vm: VmSummary; info: VmInfo } | null> {
  const res = await session.get(`api/vcenter/vm/${encodeURIComponent(vm.vm)}`);
  if (res.status === 404 || res.status >= 500) {
    warn(`${vm.name} (${vm.vm}): ${res.status === 404 ? 'disappeared during the run' : vcenterMessage(res)}; its device facts are not updated`);
    return null;
  }
  if (res.status !== 200) throw new ConnectorError(`Reading ${vm.name} (${vm.vm}) failed (${vcenterMessage(res)}).`, res.status);
  const parsed = VmInfo.safeParse(tryJson(res.body));
  if (!parsed.success) throw new ConnectorError('vCenter answered a VM in an unexpected shape.');
  return { vm, info: parsed.data };
}

export interface DevicePlacement {
  /** `vcenter.example.com` (no port: the same vCenter behind another port is the same inventory): source ids are unique per vCenter, not across several. */
  origin: string;
  clusters: ReadonlyMap<string, string>;
  project?: string;
  tags: readonly string[];
}

/** An ESXi host as a hypervisor device; `ip`: its name when that is an address. */
export function hostDevice(h: HostSummary, p: DevicePlacement, ip: string | null): BatchDevice {
  return {
    loc: `host ${h.host}`,
    source: 'vcenter',
    source_id: `${p.origin}/${h.host}`,
    name: h.name,
    kind: 'hypervisor',
    platform: 'vmware',
    power_state: h.power_state ?? null,
    cluster: p.clusters.get(h.host) ?? null,
    ips: ip ? [ip] : undefined,
    project: p.project,
    tags: [...p.tags],
  };
}

const GIB = 1024 ** 3;

/**
 * A VM as a device: its NICs by MAC carry the guest addresses the IP side kept for it (`ips`
 * by lower-case MAC; loose ones when the guest names no MAC).
 */
export function vmDevice(vm: VmSummary, info: VmInfo, p: DevicePlacement, ips: ReadonlyMap<string, string[]> | undefined, host: string): BatchDevice {
  const nics = Object.values(info.nics ?? {}).map((n) => {
    const mac = n.mac_address?.toLowerCase() ?? null;
    return { mac, network: n.backing?.network_name ?? n.backing?.network ?? null, connected: n.state ? n.state === 'CONNECTED' : null, ips: (mac && ips?.get(mac)) || [] };
  });
  const onNics = new Set(nics.flatMap((n) => n.ips));
  const loose = [...(ips?.values() ?? [])].flat().filter((ip) => !onNics.has(ip));
  return {
    loc: `vm ${vm.vm}`,
    source: 'vcenter',
    source_id: `${p.origin}/${vm.vm}`,
    name: info.name,
    kind: 'vm',
    platform: 'vmware',
    uuid: info.identity?.instance_uuid ?? null,
    bios_uuid: info.identity?.bios_uuid ?? null,
    os_type: info.guest_OS ?? null,
    power_state: info.power_state ?? vm.power_state ?? null,
    vcpus: info.cpu?.count ?? null,
    cores_per_socket: info.cpu?.cores_per_socket ?? null,
    memory_mb: info.memory?.size_MiB ?? null,
    disks: Object.values(info.disks ?? {}).map((d) => ({ label: d.label ?? null, size_gb: d.capacity == null ? null : Math.round((d.capacity / GIB) * 100) / 100, backing: d.backing?.type ?? null })),
    nics,
    ips: loose.length > 0 ? loose : undefined,
    cluster: p.clusters.get(vm.host) ?? null,
    hypervisor: host,
    hypervisor_source_id: `${p.origin}/${vm.host}`,
    project: p.project,
    tags: [...p.tags],
  };
}
