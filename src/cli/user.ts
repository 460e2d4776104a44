import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { ROLES, SYSTEM_ACTOR, type Role } from '../services/context.js';
import { createServices, type ServicesConfig } from '../services/index.js';
import type { UserUpdate } from '../services/schemas/users.js';
import { USAGE } from './usage.js';

export interface UserFlags {
  role?: string;
  password?: string;
  'password-stdin'?: boolean;
  'full-name'?: string;
  email?: string;
  designation?: string;
  department?: string;
  active?: boolean;
  inactive?: boolean;
  'must-change-password'?: boolean;
}

/** The profile and flags given on the command line (only those given: an update changes nothing else). */
function profileOf(values: UserFlags): Omit<UserUpdate, 'username' | 'password' | 'role'> {
  const out: Omit<UserUpdate, 'username' | 'password' | 'role'> = {};
  if (values['full-name'] !== undefined) out.full_name = values['full-name'];
  if (values.email !== undefined) out.email = values.email;
  if (values.designation !== undefined) out.designation = values.designation;
  if (values.department !== undefined) out.department = values.department;
  if (values.active) out.is_active = true;
  if (values.inactive) out.is_active = false;
  if (values['must-change-password']) out.must_change_password = true;
  return out;
}

/** `ipocket user list|create|update|passwd`. Input is validated by the service's zod schemas, as over the API. */
export async function userCommand(db: Knex, config: ServicesConfig, sub: string | undefined, name: string | undefined, values: UserFlags): Promise<number> {
  const { users } = createServices({ db, actor: SYSTEM_ACTOR }, config);
  if (sub === 'list') {
    const list = await users.list();
    console.table(
      list.map((u) => ({ id: u.id, username: u.username, role: u.role, active: u.is_active, name: u.full_name ?? '', email: u.email ?? '', department: u.department ?? '', 'must change password': u.must_change_password, 'last login': u.last_login_at ?? '', created: u.created_at })),
    );
    return 0;
  }
  if ((sub !== 'create' && sub !== 'passwd' && sub !== 'update') || !name) {
    console.error(USAGE);
    return 2;
  }
  if (values.active && values.inactive) {
    console.error('--active and --inactive exclude each other');
    return 2;
  }
  if (values.role && !(ROLES as readonly string[]).includes(values.role)) {
    console.error(`--role must be one of ${ROLES.join(', ')}`);
    return 2;
  }
  if (sub === 'update') {
    const user = (await users.list()).find((u) => u.username === name);
    if (!user) {
      console.error(`No user "${name}". See: ipocket user list`);
      return 1;
    }
    const patch: UserUpdate = { ...profileOf(values), ...(values.role ? { role: values.role as Role } : {}) };
    if (Object.keys(patch).length === 0) {
      console.error('Nothing to change: give --role, --full-name, --email, --designation, --department, --active, --inactive or --must-change-password.');
      return 2;
    }
    const after = await users.update(user.id, patch);
    console.log(`Updated "${after.username}"${after.is_active ? '' : ' (inactive: their API tokens and panel sessions were ended)'}.`);
    return 0;
  }
  let password = values['password-stdin'] ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : values.password;
  const generated = !password;
  password ??= randomBytes(12).toString('base64url');
  if (sub === 'create') {
    const user = await users.create({ username: name, password, role: (values.role as Role | undefined) ?? 'viewer', ...profileOf(values) });
    console.log(`Created ${user.role} "${user.username}"${user.must_change_password ? '; they choose a new password at the first login' : ''}.`);
  } else {
    const user = (await users.list()).find((u) => u.username === name);
    if (!user) {
      console.error(`No user "${name}". See: ipocket user list`);
      return 1;
    }
    const after = await users.update(user.id, { password, ...(values['must-change-password'] ? { must_change_password: true } : {}) });
    console.log(`Password of "${name}" changed; their API tokens were revoked${after.must_change_password ? '; they choose a new one at the next login' : ''}.`);
  }
  if (generated) console.log(`Password (shown once): ${password}`);
  return 0;
}
