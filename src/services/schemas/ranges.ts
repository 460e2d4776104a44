import { z } from 'zod';

const name = z.string().trim().min(1, 'is required').max(128, 'must be at most 128 characters');

export const RangeCreateSchema = z
  .object({ name, cidr: z.string().trim().min(1, 'is required').max(60), notes: z.string().max(10_000).nullable().optional() })
  .strict();
export const RangeUpdateSchema = RangeCreateSchema.partial().strict();
export type RangeCreate = z.input<typeof RangeCreateSchema>;
export type RangeUpdate = z.input<typeof RangeUpdateSchema>;
