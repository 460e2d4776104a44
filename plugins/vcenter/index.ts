import { z } from 'zod';
import { formatTimestamp } from '../../src/domain/time.js';
import { declareComplete, DeviceList, emptyBatch, type Batch } from '../../src/plugins/batch.js';
import { connectorClient } from '../../src/plugins/connector-http.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { archiveMissingOption, optionFlag, optionList, secret } from '../../src/plugins/options.js';
import { VcenterSession } from './client.js';
import { InventoryMapper } from './map-inventory.js';
import { hostClusters, hostDevice, readVmInfo, vmDevice, type DevicePlacement } from './read-devices.js';
import { listHosts, listVms, readGuest, type HostSummary, type VmGuest, type VmSummary } from './read-inventory.js';

export const VcenterOptions = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('vCenter base URL, e.g. https://vcenter.example.com'),
  username: z.string().min(1).describe('vCenter user (e.g. readonly@vsphere.local)'),
  password: secret(z.string().min(1).describe('Password')),
  tls_verify: optionFlag.default(true).describe('Verify the TLS certificate (off accepts self-signed)'),
  timeout: z.coerce.number().positive().max(600).default(30).describe('Seconds to wait for each vCenter answer'),
  project: z.string().trim().min(1).max(128).optional().describe('Project for new IPs (existing ones keep theirs unless unassigned)'),
  tags: optionList.default(['vcenter']).describe('Tags merged into every IP found (ESXi hosts also get esxi)'),
  concurrency: z.coerce.number().int().min(1).max(64).default(8).describe('Guest queries in flight'),
  include_loopback: optionFlag.default(false).describe('Also import 127.0.0.0/8 and ::1'),
  include_link_local: optionFlag.default(false).describe('Also import 169.254.0.0/16 and fe80::/10'),
  mark_last_seen: optionFlag.default(false).describe('Record the run time as last seen'),
  devices: optionFlag.default(false).describe('Also record every VM (kind vm: power, CPU, memory, disks, NICs, guest OS, host and cluster) and ESXi host (kind hypervisor) as a device'),
  archive_missing_after_days: archiveMissingOption,
});

/** VMware vCenter (vSphere Automation REST, 7.0+): ESXi hosts and VM guest addresses. */
export const vcenterPlugin = definePlugin({
  name: 'vcenter',
  title: 'VMware vCenter',
  description: 'ESXi hosts become Hosts with an OS IP tagged esxi; every guest IPv4/IPv6 of a VM becomes a VM asset (needs VMware Tools).',
  kind: 'connector',
  options: VcenterOptions,
  schedule: { cron: '0 * * * *', mode: 'dry_run' },
  async collect(_input, options, ctx) {
    const { http, base, origin } = connectorClient(options, ctx, 'VMware vCenter', options.concurrency);
    const session = new VcenterSession(http, options.username, options.password);
    const batch = emptyBatch(origin);
    // vCenter is the truth for what a VM is: type overwritten; tags merge; notes only fill empty ones.
    batch.policy = { asset: { type: 'overwrite', notes: 'fill', project: 'fill', tags: 'merge' }, host: { notes: 'fill', vendor: 'keep' } };
    if (options.project) batch.projects.push({ loc: 'options.project', name: options.project });
    try {
      ctx.progress({ phase: 'login', done: 0 });
      await session.login();
      ctx.log('info', `Logged in to ${origin} as ${options.username}`);
      const hosts = await listHosts(session);
      const vms = await listVms(session, hosts, ctx);
      const isOn = (v: VmSummary): boolean => v.power_state === undefined || v.power_state === 'POWERED_ON';
      const on = vms.reduce((n, v) => n + (isOn(v) ? 1 : 0), 0);
      ctx.log('info', `${hosts.length} ESXi host(s), ${vms.length} VM(s) (${vms.length - on} not powered on, ${options.devices ? 'read as devices only' : 'not queried'})`);
      const lastSeen = options.mark_last_seen ? formatTimestamp(ctx.now) : undefined;
      const mapper = new InventoryMapper(batch, { project: options.project, tags: options.tags, includeLoopback: options.include_loopback, includeLinkLocal: options.include_link_local, lastSeen, devices: options.devices });
      mapper.addHosts(hosts);
      const warnGuest = (message: string): void => void batch.issues.push({ level: 'warning', location: 'guest', message });
      const warnVm = (message: string): void => void batch.issues.push({ level: 'warning', location: 'vm', message });
      const placement: DevicePlacement | null = options.devices ? { origin: base.hostname, clusters: await hostClusters(session), project: options.project, tags: options.tags } : null;
      const devices = placement ? addHostDevices(batch, hosts, placement) : null;
      // One pass: a VM's guest addresses and its VM.Info are asked side by side and mapped at once,
      // so no guest waits for a second sweep (nor is kept until then) to become a device.
      const queried: (VmSummary | undefined)[] = placement ? vms : vms.filter(isOn);
      await readGuests(queried, options.concurrency, ctx, async (vm) => {
        const [guest, info] = await Promise.all([isOn(vm) ? readGuest(session, vm, warnGuest) : null, placement ? readVmInfo(session, vm, warnVm) : null]);
        return { vm, guest, info };
      }, ({ vm, guest, info }) => {
        const ips = guest ? mapper.addGuest(guest) : [];
        if (devices && placement && info) devices.push(vmDevice(vm, info.info, placement, keptByMac(guest, ips), vm.hostName));
      });
      if (placement) declareComplete(batch, options.archive_missing_after_days);
      if (session.relogins > 0) ctx.log('warn', `The vCenter session expired during the run; logged in again ${session.relogins} time(s)`);
    } finally {
      await session.logout();
      http.close();
    }
    return batch;
  },
});

/** ESXi hosts as hypervisor devices (their OS address when the IP side kept one); the list the VMs join. */
function addHostDevices(batch: Batch, hosts: readonly HostSummary[], p: DevicePlacement): DeviceList {
  const devices = new DeviceList();
  batch.devices = devices;
  const hostIps = new Map(batch.ip_assets.map((a) => [a.loc, a.ip_address]));
  for (const h of hosts) devices.push(hostDevice(h, p, hostIps.get(`host ${h.host}`) ?? null));
  return devices;
}

/** The guest addresses the IP side kept for a VM, by lower-case MAC ('' for those no NIC names): what its device's NICs carry. */
function keptByMac(g: VmGuest | null, kept: readonly string[]): Map<string, string[]> | undefined {
  if (!g || kept.length === 0) return undefined;
  const ips = new Set(kept);
  const byMac = new Map<string, string[]>();
  const placed = new Set<string>();
  for (const [mac, list] of g.byMac ?? []) {
    const mine = list.filter((ip) => ips.has(ip) && !placed.has(ip));
    mine.forEach((ip) => placed.add(ip));
    if (mine.length > 0) byMac.set(mac, mine);
  }
  const loose = [...ips].filter((ip) => !placed.has(ip));
  if (loose.length > 0) byMac.set('', loose);
  return byMac;
}

/**
 * Reads guests with a bounded number of requests in flight; the first hard failure stops the
 * rest. Each guest is handed to `use` in VM order as soon as every earlier one is in (answers
 * arrive out of order), then dropped, along with its VM summary.
 */
async function readGuests<T>(vms: (VmSummary | undefined)[], concurrency: number, ctx: { progress: (p: { phase: string; done: number; total?: number }) => void; signal: AbortSignal }, read: (vm: VmSummary) => Promise<T | null>, use: (g: T) => void): Promise<void> {
  const total = vms.length;
  const results: (T | null | undefined)[] = new Array<T | null | undefined>(total).fill(undefined);
  let next = 0;
  let used = 0;
  let done = 0;
  let failed: unknown = null;
  const drain = (): void => {
    while (used < total && results[used] !== undefined) {
      const g = results[used];
      results[used] = undefined;
      vms[used] = undefined;
      used++;
      if (g) use(g);
    }
  };
  const worker = async (): Promise<void> => {
    while (failed === null && next < total) {
      const i = next++;
      try {
        results[i] = await read(vms[i]!);
      } catch (err) {
        failed ??= err;
        return;
      }
      drain();
      if (++done % 500 === 0) ctx.progress({ phase: 'guests', done, total });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, total)) }, worker));
  if (failed !== null) throw failed;
  ctx.progress({ phase: 'guests', done, total });
}
