import { z } from 'zod';
import { ROLES } from '../context.js';

const username = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9._@-]+$/, 'use letters, digits, ".", "_", "@" and "-"');
/** bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so refuse them. */
export const passwordField = z
  .string()
  .min(8, 'must be at least 8 characters')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, 'must be at most 72 bytes');

/** Optional text of a person's record: trimmed, empty means "not set" (null). */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullable()
    .transform((v) => (v ? v : null));
/** Lower-cased so "Ann@Example.org" and "ann@example.org" are one address (email is unique). */
const email = z
  .string()
  .trim()
  .max(255, 'must be at most 255 characters')
  .nullable()
  .transform((v) => (v ? v.toLowerCase() : null))
  .refine((v) => v === null || z.string().email().safeParse(v).success, 'must be an email address like ann@example.org');

/** VMI's profile fields, the same on create and update. */
const profile = {
  full_name: optionalText(255).optional(),
  email: email.optional(),
  designation: optionalText(100).optional(),
  department: optionalText(100).optional(),
  /** Makes the user choose a new password at their next login (every other route refuses until then). */
  must_change_password: z.boolean().optional(),
};

export const UserCreateSchema = z
  .object({ username, password: passwordField, role: z.enum(ROLES).default('viewer'), is_active: z.boolean().default(true), ...profile })
  .strict();
export const UserUpdateSchema = z
  .object({ username: username.optional(), password: passwordField.optional(), role: z.enum(ROLES).optional(), is_active: z.boolean().optional(), ...profile })
  .strict();
export const PasswordChangeSchema = z
  .object({ current_password: z.string().min(1, 'is required'), new_password: passwordField })
  .strict();
export const LoginSchema = z.object({ username: z.string().min(1, 'is required').max(64), password: z.string().min(1, 'is required').max(200) });

export type UserCreate = z.input<typeof UserCreateSchema>;
export type UserUpdate = z.input<typeof UserUpdateSchema>;
export type PasswordChange = z.input<typeof PasswordChangeSchema>;
