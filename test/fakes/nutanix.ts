/**
 * A fake Nutanix Prism Central (v3 REST, the shapes in reference/data-sources.md): Basic auth on
 * every call and no session; `POST /api/nutanix/v3/vms/list` and `/hosts/list` paged by
 * offset/length up to `total_matches`, with the server silently capping a page (500 by default),
 * so a client must page by what it received, not by what it asked; `GET /vms/{uuid}`; Prism's
 * error envelope (`state: "ERROR"`, `message_list`). Listens on 127.0.0.1 only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerFault, expectedBasic, macOf, noFaults, type Faults } from './faults.js';
import { listenLoopback, sendJson } from './http-server.js';

export interface NutanixNic {
  mac: string;
  subnet: string;
  ips: string[];
  connected?: boolean;
}

export interface NutanixVm {
  uuid: string;
  name: string;
  power: 'ON' | 'OFF';
  sockets: number;
  vcpusPerSocket: number;
  memoryMib: number;
  diskMib: number[];
  host: { uuid: string; name: string };
  cluster: { uuid: string; name: string };
  guestOs?: string;
  nics: NutanixNic[];
  categories?: Record<string, string>;
}

export interface NutanixHost {
  uuid: string;
  name: string;
  serial: string;
  model: string;
  hypervisorIp: string;
  cluster: { uuid: string; name: string };
}

export interface FakeNutanixOptions {
  username?: string;
  password?: string;
  vms: NutanixVm[];
  hosts?: NutanixHost[];
  /** Most entities one list answer holds, whatever `length` asked (Prism caps at 500). */
  pageCap?: number;
}

export interface FakeNutanix {
  url: string;
  faults: Faults;
  /** Every list call's requested offset/length, and how many it returned. */
  lists: { kind: string; offset: number; length: number; returned: number }[];
  requests: number;
  /** The inventory served; tests may change it between runs. */
  vms: NutanixVm[];
  close(): Promise<void>;
}

const prismError = (code: number, message: string, reason = 'ERROR') => ({ api_version: '3.1', code, state: 'ERROR', message_list: [{ reason, message }] });
const ref = (kind: string, r: { uuid: string; name: string }) => ({ kind, uuid: r.uuid, name: r.name });

/** A VM as `vms/list` and `vms/{uuid}` answer it. */
export function vmEntity(v: NutanixVm) {
  const resources = {
    power_state: v.power,
    num_sockets: v.sockets,
    num_vcpus_per_socket: v.vcpusPerSocket,
    memory_size_mib: v.memoryMib,
    host_reference: ref('host', v.host),
    disk_list: v.diskMib.map((mib, i) => ({ uuid: `${v.uuid.slice(0, 24)}${String(i).padStart(12, '0')}`, disk_size_mib: mib, device_properties: { device_type: 'DISK', disk_address: { adapter_type: 'SCSI', device_index: i } } })),
    nic_list: v.nics.map((n, i) => ({
      uuid: `${v.uuid.slice(0, 24)}${String(100 + i).padStart(12, '0')}`,
      mac_address: n.mac,
      is_connected: n.connected ?? true,
      nic_type: 'NORMAL_NIC',
      subnet_reference: ref('subnet', { uuid: `subnet-${n.subnet}`, name: n.subnet }),
      ip_endpoint_list: n.ips.map((ip) => ({ ip, type: 'ASSIGNED' })),
    })),
    guest_tools: v.guestOs ? { nutanix_guest_tools: { state: 'ENABLED', guest_os_version: v.guestOs, is_reachable: true } } : undefined,
  };
  return {
    metadata: { uuid: v.uuid, kind: 'vm', categories: v.categories ?? {}, spec_version: 3 },
    spec: { name: v.name, resources: { num_sockets: v.sockets, memory_size_mib: v.memoryMib } },
    status: { name: v.name, state: 'COMPLETE', cluster_reference: ref('cluster', v.cluster), resources },
  };
}

function hostEntity(h: NutanixHost) {
  return {
    metadata: { uuid: h.uuid, kind: 'host' },
    status: {
      name: h.name,
      state: 'COMPLETE',
      cluster_reference: ref('cluster', h.cluster),
      resources: { serial_number: h.serial, block: { block_model: h.model, block_serial_number: h.serial }, hypervisor: { hypervisor_full_name: 'Nutanix 20220304.342', ip: h.hypervisorIp }, host_type: 'HYPER_CONVERGED' },
    },
  };
}

export async function startFakeNutanix(o: FakeNutanixOptions): Promise<FakeNutanix> {
  const basic = expectedBasic(o.username ?? 'admin', o.password ?? 'Nutanix/4u');
  const cap = o.pageCap ?? 500;
  const fake: Omit<FakeNutanix, 'url' | 'close'> = { faults: noFaults(), lists: [], requests: 0, vms: o.vms };
  const hosts = o.hosts ?? [];

  const list = (res: ServerResponse, kind: 'vm' | 'host', body: string): void => {
    let req: { kind?: unknown; offset?: unknown; length?: unknown };
    try {
      req = JSON.parse(body || '{}') as typeof req;
    } catch {
      return sendJson(res, 400, prismError(400, 'Request could not be processed. Malformed JSON.', 'INVALID_REQUEST'));
    }
    if (req.kind !== kind) return sendJson(res, 422, prismError(422, `Request could not be processed. kind must be "${kind}".`, 'INVALID_REQUEST'));
    const offset = req.offset === undefined ? 0 : Number(req.offset);
    const length = req.length === undefined ? 20 : Number(req.length);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(length) || length < 1) return sendJson(res, 422, prismError(422, 'offset must be ≥ 0 and length ≥ 1.', 'INVALID_REQUEST'));
    const all = kind === 'vm' ? fake.vms : hosts;
    const page = all.slice(offset, offset + Math.min(length, cap));
    fake.lists.push({ kind, offset, length, returned: page.length });
    sendJson(res, 200, {
      api_version: '3.1',
      metadata: { kind, total_matches: all.length, offset, length: page.length },
      entities: page.map((e) => (kind === 'vm' ? vmEntity(e as NutanixVm) : hostEntity(e as NutanixHost))),
    });
  };

  const handler = async (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> => {
    fake.requests++;
    if (await answerFault(fake.faults, res, { unauthorized: null, rateLimited: prismError(429, 'Too many requests.', 'RATE_LIMITED'), unavailable: prismError(503, 'Service unavailable.', 'SERVICE_UNAVAILABLE') })) return;
    if (fake.faults.unauthorized || req.headers.authorization !== basic) {
      res.setHeader('www-authenticate', 'Basic realm="Intent Gateway Login Required"');
      return sendJson(res, 401, prismError(401, 'Authentication required.', 'AUTHENTICATION_REQUIRED'));
    }
    const p = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'POST' && p === '/api/nutanix/v3/vms/list') return list(res, 'vm', body);
    if (req.method === 'POST' && p === '/api/nutanix/v3/hosts/list') return list(res, 'host', body);
    const one = /^\/api\/nutanix\/v3\/vms\/([^/]+)$/.exec(p);
    if (req.method === 'GET' && one) {
      const vm = fake.vms.find((v) => v.uuid === one[1]);
      return vm ? sendJson(res, 200, { api_version: '3.1', ...vmEntity(vm) }) : sendJson(res, 404, prismError(404, `VM ${one[1]} does not exist.`, 'ENTITY_NOT_FOUND'));
    }
    sendJson(res, 404, prismError(404, `No route for ${req.method} ${p}.`, 'ENTITY_NOT_FOUND'));
  };

  const srv = await listenLoopback(handler);
  return Object.assign(fake, { url: srv.url, close: srv.close });
}

const uuidOf = (n: number, tag: number): string => {
  const hex = ((n * 2654435761) >>> 0).toString(16).padStart(8, '0');
  return `${hex}-${tag.toString(16).padStart(4, '0')}-4${(n & 0xfff).toString(16).padStart(3, '0')}-8000-${n.toString(16).padStart(12, '0')}`;
};

/**
 * `vmCount` VMs over `hostCount` AHV hosts in one cluster, deterministic: VM i has MAC
 * 50:6b:8d (Nutanix' OUI) + i and address 10.20.x.y; every 10th is powered off, every 7th has
 * two NICs (the second IPv6). Same input, same inventory, so benches compare runs.
 */
export function generateNutanix(vmCount: number, hostCount = Math.max(1, Math.ceil(vmCount / 50))): { vms: NutanixVm[]; hosts: NutanixHost[] } {
  const cluster = { uuid: uuidOf(1, 0xc1), name: 'ntnx-cluster-01' };
  const hosts: NutanixHost[] = Array.from({ length: hostCount }, (_, i) => ({ uuid: uuidOf(i, 0x40), name: `ahv-${String(i + 1).padStart(3, '0')}`, serial: `NX${(100000 + i).toString()}`, model: 'NX-3060-G7', hypervisorIp: `10.19.${(i >> 8) & 255}.${i & 255}`, cluster }));
  const vms: NutanixVm[] = Array.from({ length: vmCount }, (_, i) => {
    const host = hosts[i % hostCount]!;
    const nics: NutanixNic[] = [{ mac: macOf(i, [0x50, 0x6b, 0x8d]), subnet: `vlan${100 + (i % 8)}`, ips: [`10.20.${(i >> 8) & 255}.${i & 255}`] }];
    if (i % 7 === 0) nics.push({ mac: macOf(i, [0x50, 0x6b, 0x8e]), subnet: 'vlan200', ips: [`2001:db8:20::${i.toString(16)}`] });
    return {
      uuid: uuidOf(i, 0x56),
      name: `ntnx-vm-${String(i).padStart(5, '0')}`,
      power: i % 10 === 9 ? 'OFF' : 'ON',
      sockets: 1 + (i % 2),
      vcpusPerSocket: 2,
      memoryMib: 2048 * (1 + (i % 4)),
      diskMib: [40960, ...(i % 3 === 0 ? [102400] : [])],
      host: { uuid: host.uuid, name: host.name },
      cluster,
      guestOs: i % 5 === 0 ? 'Windows:Microsoft Windows Server 2022' : 'Linux:Ubuntu 22.04',
      nics,
    };
  });
  return { vms, hosts };
}

/**
 * Makes the first `count` VMs also ones the fake vCenter reports (test/fakes/vcenter.ts
 * generateInventory: VM i is named vm<i> with address 10.<i>>16>.<i>>8>.<i&255>): one VM that
 * both platforms list, so the two sources merge into one device.
 */
export function shareWithVcenter(vms: NutanixVm[], count: number): void {
  for (const [i, vm] of vms.slice(0, count).entries()) {
    vm.name = `vm${i}`;
    vm.nics[0]!.ips = [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`];
  }
}
