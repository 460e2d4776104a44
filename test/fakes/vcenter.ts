/**
 * A fake vCenter (vSphere Automation REST API, /api, 7.0+) following the documented shapes and
 * failure modes: Basic login → bare JSON string token; `vmware-api-session-id`; 401 with the
 * vSphere error body; 503 guest identity when VMware Tools is not running; the 4,000-VM and
 * 2,500-host list caps (`unable_to_allocate_resource`); sessions that expire mid-run.
 * Listens on 127.0.0.1 only (optionally https with a throwaway self-signed certificate).
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback, selfSigned, sendJson } from './http-server.js';

export type PowerState = 'POWERED_ON' | 'POWERED_OFF' | 'SUSPENDED';

export interface FakeHost {
  host: string;
  name: string;
  /** Cluster id (`domain-c7`): listed by `GET /api/vcenter/cluster`, filtered by `/host?clusters=`. */
  cluster?: string;
  connection_state?: 'CONNECTED' | 'DISCONNECTED' | 'NOT_RESPONDING';
  power_state?: 'POWERED_ON' | 'POWERED_OFF' | 'STANDBY';
}

export interface FakeVm {
  vm: string;
  name: string;
  /** Host id (`host-10`). */
  host: string;
  power_state: PowerState;
  /** VMware Tools running? When false, guest calls answer 503. */
  tools: boolean;
  ips: string[];
  /** false: Tools run but report no interfaces (`[]`), so only the identity names the address. */
  nics?: boolean;
  /** The identity service answers 503 even though Tools run (it is separately unavailable). */
  identityDown?: boolean;
  /** `GET /api/vcenter/vm/{vm}` facts; defaults below (one NIC whose MAC derives from the VM id). */
  guest_OS?: string;
  cpu?: number;
  memory_mib?: number;
  mac?: string;
  network?: string;
  disks_gib?: number[];
}

export interface FakeCluster {
  cluster: string;
  name: string;
}

/** A VM's MAC when none is given: 00:50:56 (VMware's OUI) and three bytes of the VM id's digits. */
export function fakeMac(vm: FakeVm): string {
  if (vm.mac) return vm.mac;
  const n = Number(vm.vm.replace(/\D/g, '')) & 0xffffff;
  return ['00', '50', '56', ((n >> 16) & 255).toString(16).padStart(2, '0'), ((n >> 8) & 255).toString(16).padStart(2, '0'), (n & 255).toString(16).padStart(2, '0')].join(':');
}

/** The documented shape of `GET /api/vcenter/vm/{vm}` (VM.Info), trimmed to what a client reads. */
function vmInfo(vm: FakeVm) {
  const disks = Object.fromEntries((vm.disks_gib ?? [40]).map((gib, i) => [String(2000 + i), { label: `Hard disk ${i + 1}`, type: 'SCSI', capacity: gib * 1024 ** 3, backing: { type: 'VMDK_FILE', vmdk_file: `[datastore1] ${vm.name}/${vm.name}_${i}.vmdk` } }]));
  return {
    name: vm.name,
    identity: { name: vm.name, instance_uuid: `5003${vm.vm.replace(/\D/g, '').padStart(4, '0')}-0000-0000-0000-000000000000`, bios_uuid: `4203${vm.vm.replace(/\D/g, '').padStart(4, '0')}-0000-0000-0000-000000000000` },
    guest_OS: vm.guest_OS ?? 'UBUNTU_64',
    power_state: vm.power_state,
    hardware: { version: 'VMX_19', upgrade_policy: 'NEVER', upgrade_status: 'NONE' },
    cpu: { count: vm.cpu ?? 2, cores_per_socket: 1, hot_add_enabled: false, hot_remove_enabled: false },
    memory: { size_MiB: vm.memory_mib ?? 4096, hot_add_enabled: false },
    nics: { '4000': { label: 'Network adapter 1', type: 'VMXNET3', mac_type: 'ASSIGNED', mac_address: fakeMac(vm), backing: { type: 'DISTRIBUTED_PORTGROUP', network: 'dvportgroup-21', network_name: vm.network ?? 'VM Network' }, state: 'CONNECTED', start_connected: true } },
    disks,
    boot: { type: 'BIOS' },
  };
}

export interface FakeVcenterOptions {
  username?: string;
  password?: string;
  clusters?: FakeCluster[];
  hosts: FakeHost[];
  vms: FakeVm[];
  vmListCap?: number;
  hostListCap?: number;
  /** Each session dies after this many authenticated requests (a session expiring mid-run). */
  sessionRequestLimit?: number;
  /** Serve https with a self-signed certificate. */
  https?: boolean;
}

export interface FakeVcenterStats {
  logins: number;
  failedLogins: number;
  logouts: number;
  /** 401s answered for an unknown or expired session. */
  unauthenticated: number;
  /** Query strings of every VM list call. */
  vmLists: string[];
  guestCalls: number;
  /** `GET /api/vcenter/vm/{vm}` calls. */
  infoCalls: number;
}

export interface FakeVcenter {
  url: string;
  stats: FakeVcenterStats;
  /** Sessions still open. */
  openSessions(): number;
  close(): Promise<void>;
}

const err = (type: string, id: string, message: string) => ({ error_type: type, messages: [{ id, default_message: message, args: [] }] });
const UNAUTHENTICATED = err('UNAUTHENTICATED', 'vapi.method.authentication.required', 'This method requires authentication.');

export async function startFakeVcenter(o: FakeVcenterOptions): Promise<FakeVcenter> {
  const user = o.username ?? 'administrator@vsphere.local';
  const password = o.password ?? 'VMware1!';
  const vmCap = o.vmListCap ?? 4000;
  const hostCap = o.hostListCap ?? 2500;
  const sessions = new Map<string, number>();
  const stats: FakeVcenterStats = { logins: 0, failedLogins: 0, logouts: 0, unauthenticated: 0, vmLists: [], guestCalls: 0, infoCalls: 0 };
  const vmById = new Map(o.vms.map((v) => [v.vm, v]));

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const p = url.pathname;
    if (p === '/api/session' && req.method === 'POST') {
      const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        stats.failedLogins++;
        return sendJson(res, 401, err('UNAUTHENTICATED', 'com.vmware.vapi.endpoint.method.authentication.required', 'Authentication required.'));
      }
      stats.logins++;
      const token = randomBytes(16).toString('hex');
      sessions.set(token, 0);
      return sendJson(res, 201, token);
    }
    const token = String(req.headers['vmware-api-session-id'] ?? '');
    const used = sessions.get(token);
    if (used === undefined || (o.sessionRequestLimit !== undefined && used >= o.sessionRequestLimit)) {
      sessions.delete(token);
      stats.unauthenticated++;
      return sendJson(res, 401, UNAUTHENTICATED);
    }
    sessions.set(token, used + 1);
    if (p === '/api/session' && req.method === 'DELETE') {
      sessions.delete(token);
      stats.logouts++;
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'GET') return sendJson(res, 405, err('OPERATION_NOT_FOUND', 'vapi.method.not.found', 'Method not allowed.'));
    if (p === '/api/vcenter/cluster') return sendJson(res, 200, (o.clusters ?? []).map((c) => ({ cluster: c.cluster, name: c.name, ha_enabled: true, drs_enabled: true })));
    if (p === '/api/vcenter/host' && url.searchParams.has('clusters')) {
      const clusters = url.searchParams.getAll('clusters').flatMap((c) => c.split(','));
      return sendJson(res, 200, o.hosts.filter((h) => h.cluster && clusters.includes(h.cluster)).map((h) => ({ host: h.host, name: h.name, connection_state: h.connection_state ?? 'CONNECTED', power_state: h.power_state ?? 'POWERED_ON' })));
    }
    const info = /^\/api\/vcenter\/vm\/([^/]+)$/.exec(p);
    if (info) {
      stats.infoCalls++;
      const vm = vmById.get(decodeURIComponent(info[1]!));
      if (!vm) return sendJson(res, 404, err('NOT_FOUND', 'com.vmware.api.vcenter.vm.not_found', `Virtual machine with identifier '${info[1]}' does not exist.`));
      return sendJson(res, 200, vmInfo(vm));
    }
    if (p === '/api/vcenter/host') {
      if (o.hosts.length > hostCap) return sendJson(res, 507, err('UNABLE_TO_ALLOCATE_RESOURCE', 'com.vmware.api.vcenter.host.max_limit', `Too many hosts (more than ${hostCap}); add a filter.`));
      return sendJson(res, 200, o.hosts.map((h) => ({ host: h.host, name: h.name, connection_state: h.connection_state ?? 'CONNECTED', power_state: h.power_state ?? 'POWERED_ON' })));
    }
    if (p === '/api/vcenter/vm') {
      stats.vmLists.push(url.search);
      const hosts = url.searchParams.getAll('hosts').flatMap((s) => s.split(','));
      const states = url.searchParams.getAll('power_states').flatMap((s) => s.split(','));
      const names = url.searchParams.getAll('names').flatMap((s) => s.split(','));
      const list = o.vms.filter((v) => (hosts.length === 0 || hosts.includes(v.host)) && (states.length === 0 || states.includes(v.power_state)) && (names.length === 0 || names.includes(v.name)));
      if (list.length > vmCap) return sendJson(res, 500, err('UNABLE_TO_ALLOCATE_RESOURCE', 'com.vmware.api.vcenter.vm.max_limit', `Too many virtual machines (more than ${vmCap}); add a filter.`));
      return sendJson(res, 200, list.map((v) => ({ vm: v.vm, name: v.name, power_state: v.power_state, cpu_count: 2, memory_size_MiB: 4096 })));
    }
    const guest = /^\/api\/vcenter\/vm\/([^/]+)\/guest\/(identity|networking\/interfaces)$/.exec(p);
    if (guest) {
      stats.guestCalls++;
      const vm = vmById.get(decodeURIComponent(guest[1]!));
      if (!vm) return sendJson(res, 404, err('NOT_FOUND', 'com.vmware.api.vcenter.vm.not_found', `Virtual machine with identifier '${guest[1]}' does not exist.`));
      if (!vm.tools || vm.power_state !== 'POWERED_ON') return sendJson(res, 503, err('SERVICE_UNAVAILABLE', 'com.vmware.api.vcenter.vm.guest.tools_not_running', 'VMware Tools is not running in the guest.'));
      if (guest[2] === 'identity') {
        if (vm.identityDown) return sendJson(res, 503, err('SERVICE_UNAVAILABLE', 'com.vmware.api.vcenter.vm.guest.identity.unavailable', 'Guest identity information is not available.'));
        return sendJson(res, 200, { name: 'UBUNTU_64', family: 'LINUX', full_name: { id: 'vmsg.guestos.ubuntu64Guest.label', default_message: 'Ubuntu Linux (64-bit)', args: [] }, host_name: vm.name, ip_address: vm.ips[0] ?? null });
      }
      if (vm.nics === false) return sendJson(res, 200, []);
      return sendJson(res, 200, [
        {
          nic: '4000',
          mac_address: fakeMac(vm),
          ip: { ip_addresses: vm.ips.map((ip) => ({ ip_address: ip, prefix_length: ip.includes(':') ? 64 : 24, origin: 'DHCP', state: 'PREFERRED' })), dhcp: { ipv4_enabled: true, ipv6_enabled: false } },
          dns: { ip_addresses: [], search_domains: [] },
          dns_values: { host_name: vm.name, domain_name: 'lab' },
        },
      ]);
    }
    sendJson(res, 404, err('NOT_FOUND', 'vapi.method.not.found', `No handler for ${p}.`));
  };

  const srv = await listenLoopback((req, res) => handler(req, res), o.https ? createHttpsServer(selfSigned('fake-vcenter.local')) : undefined);
  return { url: srv.url, stats, openSessions: () => sessions.size, close: srv.close };
}

/**
 * A generated inventory: `hosts` ESXi hosts named by documentation addresses, VMs spread over them,
 * each with an IPv4 guest address and, every `ipv6Every`-th VM, an IPv6 one too.
 */
export function generateInventory(hostCount: number, vmCount: number, ipv6Every = 1): { hosts: FakeHost[]; vms: FakeVm[] } {
  const hosts: FakeHost[] = Array.from({ length: hostCount }, (_, i) => ({ host: `host-${10 + i}`, name: `198.51.100.${1 + i}` }));
  const vms: FakeVm[] = Array.from({ length: vmCount }, (_, i) => ({
    vm: `vm-${1000 + i}`,
    name: `vm${i}`,
    host: hosts[i % hostCount]!.host,
    power_state: 'POWERED_ON',
    tools: true,
    ips: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, ...(i % ipv6Every === 0 ? [`2001:db8:${(i >> 16).toString(16)}::${(i & 0xffff).toString(16)}`] : [])],
  }));
  return { hosts, vms };
}
