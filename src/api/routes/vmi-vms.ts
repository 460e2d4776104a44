import type { Request } from 'express';
import { z } from 'zod';
import { normalizePowerState } from '../../domain/devices/kinds.js';
import { VMI_OVERRIDES, VmiListQuerySchema, VmiManualSchema, VmiTagsSchema, vmiManualToDevice } from '../../domain/devices/vmi.js';
import { NotFoundError } from '../../domain/errors.js';
import type { DeviceDetail } from '../../services/devices/wire.js';
import type { Services } from '../../services/index.js';
import { parseInput } from '../../services/validate.js';
import { idParam } from '../http.js';
import type { ApiContext, RouteSpec } from '../route-table.js';

/** A device as VMI shows a VM: vm + vm_fact + vm_manual in one record, with its own field names. */
export function vmiVm(d: DeviceDetail): Record<string, unknown> {
  const override = (field: string) => d.overrides.find((o) => o.field === field);
  const flags: Record<string, unknown> = {};
  for (const o of Object.values(VMI_OVERRIDES)) {
    flags[o.flag] = override(o.field) !== undefined;
    flags[o.value] = override(o.field)?.value ?? null;
  }
  const owner = (o: DeviceDetail['business_owner']) => (o ? { id: o.id, full_name: o.full_name, email: o.email } : null);
  return {
    id: d.id,
    platform: d.platform,
    vm_uuid: d.uuid,
    vm_name: d.name,
    bios_uuid: d.bios_uuid,
    is_deleted: d.archived,
    deleted_at: d.archived_at,
    deleted_by: d.archived_by,
    delete_reason: d.archive_reason,
    first_seen_at: d.first_seen_at,
    last_seen_at: d.last_seen_at,
    power_state: d.power_state,
    hypervisor_type: d.platform,
    cluster_name: d.cluster,
    host_identifier: d.hypervisor,
    hostname: d.hostname,
    os_type: d.os_type,
    os_family: d.os_family,
    total_vcpus: d.vcpus,
    num_sockets: d.sockets,
    cores_per_socket: d.cores_per_socket,
    memory_mb: d.memory_mb,
    total_disks: d.disk_count ?? d.disks.length,
    total_disk_gb: d.disk_total_gb,
    total_nics: d.nic_count ?? d.nics.length,
    disks: d.disks.map((k) => ({ disk_label: k.label, size_gb: k.size_gb, storage_name: k.storage, backing_type: k.backing })),
    nics: d.nics.map((n) => ({ mac_address: n.mac, network_name: n.network_name, vlan_mode: n.vlan, is_connected: n.connected, ip_addresses: n.ips })),
    ip_addresses: [...new Set(d.ips.map((i) => i.ip_address))],
    manual_ips: d.ips.filter((i) => i.source === 'manual').map((i) => ({ ip_address: i.ip_address, is_primary: i.is_primary, label: i.label })),
    tags: d.tags,
    business_owner: owner(d.business_owner),
    technical_owner: owner(d.technical_owner),
    business_owner_id: d.business_owner_id,
    technical_owner_id: d.technical_owner_id,
    project_name: d.project_name,
    environment: d.environment,
    notes: d.notes,
    ...flags,
    custom_fields: d.custom_fields,
  };
}

/** The VM behind a VMI id: 404 for any device that is not a VM. */
async function vmDevice(s: Services, id: number): Promise<DeviceDetail> {
  const d = await s.devices.get(id);
  if (d.kind !== 'vm') throw new NotFoundError('VM', id);
  return d;
}

const svc = (req: Request, ctx: ApiContext): Services => ctx.services(req);
const idParams = z.object({ id: z.string() });

/** VMI's own VM routes (seed 003) on the device services, with VMI's field names. */
export const vmiRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/vms',
    access: 'read',
    tag: 'vmi',
    summary:
      'VMI: VMs ({items, total, page, per_page, pages}), by name. One of search / name / ip / uuid (text, exact IP); owner (an owner id, business or technical), network, os_type, os_family, platform, power_state filter; page/per_page.',
    query: VmiListQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(VmiListQuerySchema, req.query, 'query');
      const s = svc(req, ctx);
      const page = await s.devices.list({
        kind: ['vm'],
        q: q.search ?? q.name ?? q.ip ?? q.uuid,
        owner_id: q.owner,
        network: q.network,
        os_type: q.os_type,
        os_family: q.os_family,
        platform: q.platform ? [q.platform] : undefined,
        power_state: q.power_state ? [normalizePowerState(q.power_state)] : undefined,
        limit: q.per_page,
        offset: (q.page - 1) * q.per_page,
      });
      // The page's devices read set-based: the same few statements for a page of 5 or of 200.
      const items = (await s.devices.getMany(page.items.map((d) => d.id))).map(vmiVm);
      res.setHeader('X-Total-Count', String(page.total));
      res.json({ items, total: page.total, page: q.page, per_page: q.per_page, pages: Math.ceil(page.total / q.per_page) });
    },
  },
  {
    method: 'put',
    path: '/api/vms/:id/manual',
    access: 'editor',
    tag: 'vmi',
    summary:
      'VMI: updates a VM\'s manual details in one transaction: business/technical owner ids, project_name (found or created), environment, notes, manual_ips (kept across syncs), and overrides as override_x + manual_x pairs (power_state, cluster, hostname, os_type; override_x false clears).',
    params: idParams,
    body: VmiManualSchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const id = idParam(req);
      const s = svc(req, ctx);
      const edit = vmiManualToDevice(parseInput(VmiManualSchema, req.body));
      await vmDevice(s, id);
      const overrides: Record<string, string | null> = { ...edit.setOverrides };
      for (const field of edit.clearOverrides) overrides[field] = null;
      const d = await s.devices.edit(id, { ...edit.manual, ...(edit.project_name !== undefined ? { project_name: edit.project_name } : {}), overrides });
      res.json(vmiVm(d));
    },
  },
  {
    method: 'post',
    path: '/api/vms/:id/tags',
    access: 'editor',
    tag: 'vmi',
    summary: 'VMI: tags a VM: {tag_value} adds one tag, {tags: [...]} sets the whole list. Answers the VM.',
    params: idParams,
    body: VmiTagsSchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const id = idParam(req);
      const s = svc(req, ctx);
      const body = parseInput(VmiTagsSchema, req.body);
      await vmDevice(s, id);
      const d = body.tags ? await s.devices.edit(id, { tags: body.tags }) : await s.devices.changeTags(id, { add: [body.tag_value!] });
      res.json(vmiVm(d));
    },
  },
];
