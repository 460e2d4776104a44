import { z } from 'zod';
import { FACT_FIELD_NAMES, type FactField } from '../domain/devices/fields.js';
import { ValidationError } from '../domain/errors.js';
import { MAX_TAGS_PER_LIST } from '../domain/tags.js';
import { inTransaction, type ServiceContext } from './context.js';
import { DevicesService } from './devices/index.js';
import { DevicePatchSchema, FACT_VALUE_SCHEMAS, TagSchema, type DevicePatch } from './devices/schemas.js';
import type { DeviceDetail } from './devices/wire.js';
import { ProjectsService } from './projects.js';
import { parseInput } from './validate.js';

/**
 * `overrides` of an edit: fact field → the operator's value, or null to clear it. Each value is
 * checked with the field's own fact schema, so a bad one is a 422 at `overrides.<field>`.
 */
export const OverridesSchema = z
  .record(z.string(), z.unknown())
  .superRefine((o, ctx) => {
    for (const [field, value] of Object.entries(o)) {
      if (!(FACT_FIELD_NAMES as string[]).includes(field)) ctx.addIssue({ code: 'custom', path: [field], message: `is not a fact field (one of ${FACT_FIELD_NAMES.join(', ')})` });
      else if (value !== null) {
        const r = FACT_VALUE_SCHEMAS[field as FactField].safeParse(value);
        if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: [field, ...issue.path.map(String)], message: issue.message });
      }
    }
  });

/** One edit of a device: manual fields, overrides to set (a value) or clear (null), a project by name. */
export const DeviceEditSchema = DevicePatchSchema.extend({
  overrides: OverridesSchema.optional(),
  /** A project named rather than referenced (VMI's `project_name`): found, or created. */
  project_name: z.string().trim().max(255).nullable().optional(),
}).strict();
export type DeviceEdit = z.input<typeof DeviceEditSchema>;

/** Tags to add and to remove (VMI's tag button, the panel's bulk bar), without sending the whole list. */
export const TagChangeSchema = z
  .object({ add: z.array(TagSchema).max(MAX_TAGS_PER_LIST).optional(), remove: z.array(TagSchema).max(MAX_TAGS_PER_LIST).optional() })
  .strict()
  .refine((t) => (t.add?.length ?? 0) + (t.remove?.length ?? 0) > 0, { message: 'name tags to add or remove', path: ['add'] });
export type TagChange = z.input<typeof TagChangeSchema>;

/** The same edit for many devices (the panel's bulk bar); a device's name is its own, never bulk-set. */
export const BulkEditSchema = z
  .object({
    ids: z.array(z.number().int().positive().max(2_147_483_647)).min(1, 'select at least one device').max(1000),
    edit: DeviceEditSchema.omit({ name: true }).optional(),
    tags: TagChangeSchema.optional(),
  })
  .strict()
  .refine((b) => b.edit !== undefined || b.tags !== undefined, { message: 'send edit or tags', path: ['edit'] });
export type BulkEdit = z.input<typeof BulkEditSchema>;

/**
 * Edits that touch a device in several ways at once (the REST PATCH with overrides, VMI's manual
 * form, LAIM's PUT): one transaction, so an edit lands whole or not at all. The rules stay in
 * DevicesService; this only runs its steps on one transaction.
 */
export class DeviceEditsService {
  constructor(private readonly ctx: ServiceContext) {}

  async edit(id: number, input: DeviceEdit): Promise<DeviceDetail> {
    const e = parseInput(DeviceEditSchema, input);
    if (e.project_name !== undefined && e.project_id !== undefined) {
      throw new ValidationError([{ loc: ['body', 'project_name'], msg: 'send project_id or project_name, not both', type: 'value_error' }]);
    }
    return inTransaction(this.ctx.db, async (trx) => {
      const ctx = { ...this.ctx, db: trx };
      const devices = new DevicesService(ctx);
      const { overrides, project_name, ...manual } = e;
      const patch: DevicePatch = manual;
      if (project_name !== undefined) patch.project_id = project_name === null || project_name === '' ? null : await projectIdByName(ctx, project_name);
      let device = Object.keys(patch).length > 0 ? await devices.patch(id, patch) : await devices.get(id);
      for (const [field, value] of Object.entries(overrides ?? {})) {
        const current = device.overrides.find((o) => o.field === field);
        if (value === null) {
          if (current) device = await devices.clearOverride(id, field);
        } else device = await devices.setOverride(id, field, value);
      }
      return device;
    });
  }

  /** Adds and removes tags in one step (the rest of the device's tags stay). */
  async changeTags(id: number, input: TagChange): Promise<DeviceDetail> {
    const t = parseInput(TagChangeSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const devices = new DevicesService({ ...this.ctx, db: trx });
      const current = await devices.get(id);
      const next = new Set(current.tags);
      for (const tag of t.add ?? []) next.add(tag);
      for (const tag of t.remove ?? []) next.delete(tag);
      return devices.patch(id, { tags: [...next] });
    });
  }

  /** One edit applied to every listed device, all or nothing (a missing id is a 404 and nothing changes). */
  async bulk(input: BulkEdit): Promise<{ updated: number }> {
    const b = parseInput(BulkEditSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const edits = new DeviceEditsService({ ...this.ctx, db: trx });
      // Id order: two bulk edits of overlapping sets lock their rows in the same order.
      for (const id of [...new Set(b.ids)].sort((x, y) => x - y)) {
        if (b.edit) await edits.edit(id, b.edit);
        if (b.tags) await edits.changeTags(id, b.tags);
      }
      return { updated: new Set(b.ids).size };
    });
  }
}

/** The id of the project with this name, created (with its audit entry) when there is none. */
async function projectIdByName(ctx: ServiceContext, name: string): Promise<number> {
  const projects = new ProjectsService(ctx);
  const found = await projects.findByName(name);
  return (found ?? (await projects.create({ name }))).id;
}
