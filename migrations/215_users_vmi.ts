import type { Knex } from 'knex';

/**
 * Users as VMI keeps them: a person's name, email (unique when set: several NULLs are allowed by
 * a unique index on both databases), designation and department; when they last logged in; and
 * whether they must choose a new password before doing anything else (the generated first admin,
 * a superuser's reset). The audit log gains the client's address and user agent, written for
 * logins, logouts and failed logins (never a password).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('full_name', 255);
    t.string('email', 255);
    t.string('designation', 100);
    t.string('department', 100);
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.string('last_login_at', 19);
  });
  await knex.schema.alterTable('users', (t) => {
    t.unique(['email'], { indexName: 'users_email_unique' });
  });
  await knex.schema.alterTable('audit_log', (t) => {
    t.string('client_address', 64);
    t.string('user_agent', 512);
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
