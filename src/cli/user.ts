import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { ROLES, SYSTEM_ACTOR, type Role } from '../services/context.js';
import { createServices, type ServicesConfig } from '../services/index.js';
import { USAGE } from './usage.js';

export interface UserFlags {
  role?: string;
  password?: string;
  'password-stdin'?: boolean;
}

/** `ipocket user list|create|passwd`. */
export async function userCommand(db: Knex, config: ServicesConfig, sub: string | undefined, name: string | undefined, values: UserFlags): Promise<number> {
  const { users } = createServices({ db, actor: SYSTEM_ACTOR }, config);
  if (sub === 'list') {
    const list = await users.list();
    console.table(list.map((u) => ({ id: u.id, username: u.username, role: u.role, active: u.is_active, created: u.created_at })));
    return 0;
  }
  if ((sub !== 'create' && sub !== 'passwd') || !name) {
    console.error(USAGE);
    return 2;
  }
  let password = values['password-stdin'] ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : values.password;
  const generated = !password;
  password ??= randomBytes(12).toString('base64url');
  if (sub === 'create') {
    if (values.role && !(ROLES as readonly string[]).includes(values.role)) {
      console.error(`--role must be one of ${ROLES.join(', ')}`);
      return 2;
    }
    const user = await users.create({ username: name, password, role: (values.role as Role | undefined) ?? 'viewer' });
    console.log(`Created ${user.role} "${user.username}".`);
  } else {
    const user = (await users.list()).find((u) => u.username === name);
    if (!user) {
      console.error(`No user "${name}". See: ipocket user list`);
      return 1;
    }
    await users.update(user.id, { password });
    console.log(`Password of "${name}" changed; their API tokens were revoked.`);
  }
  if (generated) console.log(`Password (shown once): ${password}`);
  return 0;
}
