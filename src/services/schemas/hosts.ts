import { z } from 'zod';

const id = z.number().int().positive();
const name = z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters');
const notes = z.string().max(10_000).nullable();

export const HostCreateSchema = z
  .object({
    name,
    notes: notes.optional(),
    vendor_id: id.nullable().optional(),
    /** Assign every IP linked to the host to this project. */
    project_id: id.nullable().optional(),
    os_ip: z.string().trim().max(100).nullable().optional(),
    bmc_ip: z.string().trim().max(100).nullable().optional(),
  })
  .strict();
export type HostCreate = z.input<typeof HostCreateSchema>;

export const HostUpdateSchema = HostCreateSchema.partial().strict();
export type HostUpdate = z.input<typeof HostUpdateSchema>;

export const HostListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  vendor_id: z.coerce.number().int().positive().optional(),
  /** Column to order by; a leading "-" sorts descending. */
  sort: z.enum(['name', '-name', 'vendor', '-vendor']).default('name'),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type HostListQuery = z.input<typeof HostListQuerySchema>;
