import { z } from 'zod';
import { normalizeHexColor } from '../../domain/colors.js';
import { normalizeTagName } from '../../domain/tags.js';

/** A #rrggbb colour; "#ABC" and "abc" are accepted and normalised. */
export const colorField = z
  .string()
  .transform((v, ctx) => {
    const c = normalizeHexColor(v);
    if (!c) {
      ctx.addIssue({ code: 'custom', message: 'must be a hex colour like #1e40af' });
      return z.NEVER;
    }
    return c;
  });

const name = z.string().trim().min(1, 'is required').max(128, 'must be at most 128 characters');
const optionalText = z.string().trim().max(10_000).nullable().optional();

export const ProjectCreateSchema = z.object({ name, description: optionalText, color: colorField.optional() }).strict();
export const ProjectUpdateSchema = z.object({ name: name.optional(), description: optionalText, color: colorField.optional() }).strict();
export type ProjectCreate = z.input<typeof ProjectCreateSchema>;
export type ProjectUpdate = z.input<typeof ProjectUpdateSchema>;

export const VendorCreateSchema = z.object({ name }).strict();
export const VendorUpdateSchema = z.object({ name: name.optional() }).strict();
export type VendorCreate = z.input<typeof VendorCreateSchema>;
export type VendorUpdate = z.input<typeof VendorUpdateSchema>;

export const tagNameField = z.string().transform((v, ctx) => {
  const n = normalizeTagName(v);
  if (!n) {
    ctx.addIssue({ code: 'custom', message: 'tag names use only letters, digits, "-" and "_"' });
    return z.NEVER;
  }
  return n;
});
export const TagCreateSchema = z.object({ name: tagNameField, color: colorField.optional() }).strict();
export const TagUpdateSchema = z.object({ name: tagNameField.optional(), color: colorField.optional() }).strict();
export type TagCreate = z.input<typeof TagCreateSchema>;
export type TagUpdate = z.input<typeof TagUpdateSchema>;
