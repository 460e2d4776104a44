import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { AppConfig } from './config.js';
import { openDatabase } from './db/connection.js';
import { migrateLatest } from './db/migrate.js';
import { SYSTEM_ACTOR } from './services/context.js';
import { UsersService } from './services/users.js';

export interface FirstAdmin {
  username: string;
  /** Set only when ipocket generated the password; print it once. */
  generatedPassword?: string;
}

/** Opens the database and brings its schema up to date. */
export async function openAndMigrate(config: AppConfig): Promise<Knex> {
  const db = openDatabase(config.database);
  await migrateLatest(db);
  return db;
}

/** On an empty users table, creates the first superuser from the environment or a generated password. */
export async function ensureFirstAdmin(db: Knex, config: AppConfig): Promise<FirstAdmin | null> {
  const users = new UsersService({ db, actor: SYSTEM_ACTOR });
  if ((await users.count()) > 0) return null;
  const password = config.admin.password ?? randomBytes(12).toString('base64url');
  // A generated password was printed to a log: its owner must replace it at the first login.
  // One chosen through IPOCKET_ADMIN_PASSWORD is the operator's own and is kept.
  await users.create({ username: config.admin.username, password, role: 'superuser', must_change_password: !config.admin.password });
  return { username: config.admin.username, generatedPassword: config.admin.password ? undefined : password };
}

/**
 * What `serve` prints after creating the first superuser. A superuser manages users and, by design,
 * cannot write inventory: without saying so a new operator finds no Add button anywhere.
 */
export function firstStartMessage(admin: FirstAdmin, url: string): string {
  return [
    '',
    `Created the first superuser "${admin.username}".`,
    admin.generatedPassword ? `  Password (shown once; you choose a new one at the first login): ${admin.generatedPassword}` : '  Password: the value of IPOCKET_ADMIN_PASSWORD.',
    `  Log in at ${url}/ui`,
    '',
    'A superuser manages users but does not edit inventory (IPs, hosts, ranges, imports).',
    'Create an editor account for that, then log in as it:',
    '  npm run ipocket -- user create alice --role editor',
    '',
  ].join('\n');
}
