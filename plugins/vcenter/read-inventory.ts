import { z } from 'zod';
import { ConnectorError, tryJson, type HttpResponse } from '../../src/plugins/connector-http.js';
import type { PluginContext } from '../../src/plugins/define-plugin.js';
import { errorType, vcenterMessage, type VcenterSession } from './client.js';

const HostSummary = z.object({ host: z.string(), name: z.string(), connection_state: z.string().optional(), power_state: z.string().optional() });
const VmSummary = z.object({ vm: z.string(), name: z.string(), power_state: z.string().optional() });
const Identity = z.object({ host_name: z.string().nullish(), ip_address: z.string().nullish() }).loose();
const Interfaces = z.array(
  z
    .object({
      nic: z.string().nullish(),
      mac_address: z.string().nullish(),
      ip: z.object({ ip_addresses: z.array(z.object({ ip_address: z.string(), prefix_length: z.number().nullish(), state: z.string().nullish() }).loose()).nullish() }).loose().nullish(),
    })
    .loose(),
);

export type HostSummary = z.infer<typeof HostSummary>;
export type VmSummary = z.infer<typeof VmSummary> & { hostName: string; host: string };

export interface VmGuest {
  vm: VmSummary;
  /** Every guest address, as reported (not yet validated). */
  addresses: string[];
  guestHostName: string | null;
  /** The guest's addresses per lower-case MAC (a device's NICs carry them). */
  byMac?: Map<string, string[]>;
}

const POWER_STATES = ['POWERED_ON', 'POWERED_OFF', 'SUSPENDED'] as const;

function parseOr<T>(schema: z.ZodType<T>, res: HttpResponse, what: string): T {
  const parsed = schema.safeParse(tryJson(res.body));
  if (!parsed.success) throw new ConnectorError(`vCenter answered ${what} in an unexpected shape.`);
  return parsed.data;
}

const isCapped = (res: HttpResponse): boolean => res.status >= 400 && (errorType(res) === 'UNABLE_TO_ALLOCATE_RESOURCE' || res.status === 507);

/** `GET /api/vcenter/host` (at most 2,500 hosts per answer). */
export async function listHosts(session: VcenterSession): Promise<HostSummary[]> {
  const res = await session.get('api/vcenter/host');
  if (isCapped(res)) throw new ConnectorError(`vCenter has more hosts than one answer may hold (${vcenterMessage(res)}).`);
  if (res.status !== 200) throw new ConnectorError(`Listing hosts failed (${vcenterMessage(res)}).`, res.status);
  return parseOr(z.array(HostSummary), res, 'the host list');
}

/**
 * Every VM with the host it runs on. VMs are listed per host (`?hosts=`), which also names the
 * host for the notes and keeps each answer under the 4,000-VM cap; a host that still exceeds it
 * is listed again per power state.
 */
export async function listVms(session: VcenterSession, hosts: HostSummary[], ctx: PluginContext): Promise<VmSummary[]> {
  const out: VmSummary[] = [];
  for (const [i, h] of hosts.entries()) {
    const path = `api/vcenter/vm?hosts=${encodeURIComponent(h.host)}`;
    const res = await session.get(path);
    if (isCapped(res)) {
      ctx.log('info', `Host ${h.name} has more than 4,000 VMs: listing them per power state`);
      for (const state of POWER_STATES) {
        const part = await session.get(`${path}&power_states=${state}`);
        if (isCapped(part)) throw new ConnectorError(`Host ${h.name} has more than 4,000 ${state} VMs; vCenter cannot list them (${vcenterMessage(part)}).`);
        if (part.status !== 200) throw new ConnectorError(`Listing VMs of ${h.name} failed (${vcenterMessage(part)}).`, part.status);
        for (const vm of parseOr(z.array(VmSummary), part, 'the VM list')) out.push(summary(vm, h));
      }
    } else if (res.status !== 200) {
      throw new ConnectorError(`Listing VMs of ${h.name} failed (${vcenterMessage(res)}).`, res.status);
    } else {
      for (const vm of parseOr(z.array(VmSummary), res, 'the VM list')) out.push(summary(vm, h));
    }
    ctx.progress({ phase: 'list', done: i + 1, total: hosts.length });
  }
  return out;
}

/**
 * A VM summary as an object literal: spreading zod's output gave every one of 50k VMs its own
 * hidden class (about 200 bytes each, kept for the whole run); a literal shares one.
 */
function summary(vm: z.infer<typeof VmSummary>, h: HostSummary): VmSummary {
  return { vm: vm.vm, name: vm.name, power_state: vm.power_state, hostName: h.name, host: h.host };
}

/**
 * A VM's guest addresses: `guest/networking/interfaces` (every IPv4/IPv6), and the guest identity
 * only when the interfaces list none (its `ip_address` is the primary one). null, with a warning,
 * when VMware Tools is not running (503 `service_unavailable`) or the VM vanished meanwhile (404).
 * Interfaces first: one request per VM in the common case, which halves a 50k-VM run.
 */
export async function readGuest(session: VcenterSession, vm: VmSummary, warn: (msg: string) => void): Promise<VmGuest | null> {
  const base = `api/vcenter/vm/${encodeURIComponent(vm.vm)}/guest`;
  const nicsRes = await session.get(`${base}/networking/interfaces`);
  if (nicsRes.status !== 200) return skip(nicsRes, vm, warn);
  const addresses: string[] = [];
  const byMac = new Map<string, string[]>();
  for (const nic of parseOr(Interfaces, nicsRes, 'guest interfaces')) {
    const mine = (nic.ip?.ip_addresses ?? []).map((a) => a.ip_address);
    addresses.push(...mine);
    if (nic.mac_address && mine.length > 0) byMac.set(nic.mac_address.toLowerCase(), mine);
  }
  if (addresses.length > 0) return { vm, addresses, guestHostName: null, byMac };
  const identityRes = await session.get(`${base}/identity`);
  if (identityRes.status !== 200) return skip(identityRes, vm, warn);
  const identity = parseOr(Identity, identityRes, 'a guest identity');
  if (identity.ip_address) addresses.push(identity.ip_address);
  return { vm, addresses, guestHostName: identity.host_name ?? null };
}

function skip(res: HttpResponse, vm: VmSummary, warn: (msg: string) => void): null {
  if (res.status === 503) warn(`VMware Tools is not running in ${vm.name} (${vm.vm}); skipped`);
  else if (res.status === 404) warn(`${vm.name} (${vm.vm}) disappeared during the run; skipped`);
  else if (res.status >= 500 || res.status === 400) warn(`${vm.name} (${vm.vm}): ${vcenterMessage(res)}; skipped`);
  else throw new ConnectorError(`Reading ${vm.name} (${vm.vm}) failed (${vcenterMessage(res)}).`, res.status);
  return null;
}
