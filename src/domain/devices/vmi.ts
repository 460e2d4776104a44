import { z } from 'zod';

/**
 * VMI (the VM inventory of seed 003) on the one device model: its wire names, its manual-edit
 * body (owners, project, overrides as `override_x` + `manual_x` pairs, manual IPs) and the
 * translation to device fields and overrides. `/api/vms…` take and answer these names.
 */

/** VMI's overridable facts: its flag/value pair → the device field the override is kept on. */
export const VMI_OVERRIDES = {
  power_state: { flag: 'override_power_state', value: 'manual_power_state', field: 'power_state', max: 20 },
  cluster: { flag: 'override_cluster', value: 'manual_cluster_name', field: 'cluster', max: 255 },
  hostname: { flag: 'override_hostname', value: 'manual_hostname', field: 'hostname', max: 255 },
  os_type: { flag: 'override_os_type', value: 'manual_os_type', field: 'os_type', max: 100 },
} as const;
export type VmiOverridable = keyof typeof VMI_OVERRIDES;

const id = z.number().int().positive().max(2_147_483_647);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));

const ManualIpSchema = z
  .object({
    ip_address: z.string().trim().min(1, 'is required').max(50),
    is_primary: z.boolean().optional(),
    label: optionalText(255),
  })
  .strict();

/** PUT /api/vms/:id/manual: what VMI's edit dialog sends (every key optional; absent keys stay). */
export const VmiManualSchema = z
  .object({
    business_owner_id: id.nullable().optional(),
    technical_owner_id: id.nullable().optional(),
    project_name: optionalText(255),
    environment: optionalText(50),
    notes: z.string().max(10_000, 'must be at most 10000 characters').nullable().optional(),
    override_power_state: z.boolean().optional(),
    manual_power_state: optionalText(20),
    override_cluster: z.boolean().optional(),
    manual_cluster_name: optionalText(255),
    override_hostname: z.boolean().optional(),
    manual_hostname: optionalText(255),
    override_os_type: z.boolean().optional(),
    manual_os_type: optionalText(100),
    /** Manually added addresses: replace the VM's manual IPs; they are kept across syncs. */
    manual_ips: z.array(ManualIpSchema).max(100).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    for (const o of Object.values(VMI_OVERRIDES)) {
      if (body[o.flag] === true && !body[o.value]) ctx.addIssue({ code: 'custom', path: [o.value], message: `is required when ${o.flag} is true` });
    }
  });
export type VmiManual = z.output<typeof VmiManualSchema>;

/** POST /api/vms/:id/tags: `tag_value` adds one tag; `tags` sets the VM's whole list. */
export const VmiTagsSchema = z
  .object({
    tag_value: z.string().trim().min(1, 'must not be empty').max(255).optional(),
    tags: z.array(z.string().trim().min(1, 'must not be empty').max(255)).max(200).optional(),
  })
  .strict()
  .refine((b) => (b.tag_value === undefined) !== (b.tags === undefined), { message: 'send either tag_value or tags', path: ['tag_value'] });
export type VmiTags = z.output<typeof VmiTagsSchema>;

/** GET /api/vms: VMI's filter bar (name, IP, UUID, owner, network, OS type and family, …) and its pager. */
export const VmiListQuerySchema = z
  .object({
    search: z.string().trim().max(200).optional(),
    name: z.string().trim().max(255).optional(),
    ip: z.string().trim().max(100).optional(),
    uuid: z.string().trim().max(64).optional(),
    /** An owner's id: VMs whose business or technical owner it is. */
    owner: z.coerce.number().int().positive().max(2_147_483_647).optional(),
    network: z.string().trim().max(255).optional(),
    os_type: z.string().trim().max(255).optional(),
    os_family: z.string().trim().max(50).optional(),
    platform: z.string().trim().toLowerCase().max(32).optional(),
    power_state: z.string().trim().max(20).optional(),
    page: z.coerce.number().int().min(1).default(1),
    per_page: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict()
  .refine((q) => [q.search, q.name, q.ip, q.uuid].filter((v) => v !== undefined && v !== '').length <= 1, { message: 'send one of search, name, ip and uuid', path: ['search'] });
export type VmiListQuery = z.output<typeof VmiListQuerySchema>;

/**
 * A VMI manual edit in device terms: plain manual fields (the project still by name: the
 * service resolves it), overrides to set and to clear, and the manual IPs (device wire shape).
 */
export interface VmiDeviceEdit {
  manual: {
    business_owner_id?: number | null;
    technical_owner_id?: number | null;
    environment?: string | null;
    notes?: string | null;
    manual_ips?: { ip_address: string; is_primary: boolean; label: string | null }[];
  };
  project_name?: string | null;
  setOverrides: Partial<Record<(typeof VMI_OVERRIDES)[VmiOverridable]['field'], string>>;
  clearOverrides: (typeof VMI_OVERRIDES)[VmiOverridable]['field'][];
}

/**
 * VMI's manual body → device edit. `override_x: true` with `manual_x` sets the override,
 * `override_x: false` clears it (the fact shows again); a `manual_x` alone updates a set override.
 */
export function vmiManualToDevice(body: VmiManual): VmiDeviceEdit {
  const manual: VmiDeviceEdit['manual'] = {};
  if (body.business_owner_id !== undefined) manual.business_owner_id = body.business_owner_id;
  if (body.technical_owner_id !== undefined) manual.technical_owner_id = body.technical_owner_id;
  if (body.environment !== undefined) manual.environment = body.environment;
  if (body.notes !== undefined) manual.notes = body.notes;
  if (body.manual_ips) manual.manual_ips = body.manual_ips.map((ip) => ({ ip_address: ip.ip_address, is_primary: ip.is_primary ?? false, label: ip.label ?? null }));
  const edit: VmiDeviceEdit = { manual, setOverrides: {}, clearOverrides: [] };
  if (body.project_name !== undefined) edit.project_name = body.project_name;
  for (const o of Object.values(VMI_OVERRIDES)) {
    const flag = body[o.flag];
    const value = body[o.value];
    if (flag === false) edit.clearOverrides.push(o.field);
    else if (value) edit.setOverrides[o.field] = value;
  }
  return edit;
}
