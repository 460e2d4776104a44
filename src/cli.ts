#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { ensureFirstAdmin, firstStartMessage, openAndMigrate } from './bootstrap.js';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { AppError, ValidationError } from './domain/errors.js';
import { openDatabase } from './db/connection.js';
import { migrateLatest } from './db/migrate.js';
import { schedulePlannerStats } from './db/maintenance.js';
import { exportCommand, importCommand, IMPORT_USAGE } from './plugins/cli-commands.js';
import { RunInterruptedError } from './plugins/errors.js';
import { buildApp, listen } from './server.js';
import { ConnectorScheduler } from './scheduler.js';
import { CONNECTOR_USAGE, connectorCommand, schedulerEnabled } from './cli-connector.js';
import { MIGRATE_USAGE, migrateFromIpocketCommand } from './cli-migrate.js';
import { ROLES, SYSTEM_ACTOR, type Role } from './services/context.js';
import { reapStaleRuns } from './services/run-liveness.js';
import { gracefulShutdown } from './shutdown.js';
import { UsersService } from './services/users.js';

const USAGE = `Usage: ipocket <command>

Commands:
  serve                              migrate, create the first admin if none, start the server
  migrate                            bring the database schema up to date
  user list                          list users
  user create <name> [--role R]      create a user (R: ${ROLES.join('|')}; default viewer)
        [--password P | --password-stdin]   (a password is generated and printed when omitted)
  user passwd <name> [--password P | --password-stdin]
${CONNECTOR_USAGE}
${IMPORT_USAGE}
${MIGRATE_USAGE}

Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  // Connector options are free-form flags (--url, --query…): parsed by the connector command itself.
  if (argv[0] === 'connector') {
    const config = loadConfig();
    return withDb(config, withRunLifecycle((db, signal) => connectorCommand(db, config.secretKey, argv.slice(1), signal)));
  }
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
      option: { type: 'string', multiple: true, short: 'o' },
      out: { type: 'string' },
      'include-archived': { type: 'boolean' },
      type: { type: 'string' },
      project: { type: 'string' },
      host: { type: 'string' },
    },
  });
  const [command, sub, name] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const db = openDatabase(config.database);
      try {
        const applied = await migrateLatest(db);
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
      } finally {
        await db.destroy();
      }
      return 0;
    }
    case 'user':
      return withDb(config, (db) => userCommand(db, sub, name, values));
    case 'import':
      return withDb(config, withRunLifecycle((db, signal) => importCommand(db, { plugin: sub, files: positionals.slice(2), dryRun: values['dry-run'] ?? false, options: values.option ?? [], signal })));
    case 'export':
      return withDb(config, (db) => exportCommand(db, { name: sub, out: values.out, includeArchived: values['include-archived'] ?? false, type: values.type, project: values.project, host: values.host }));
    case 'migrate-from-ipocket':
      return withDb(config, (db) => migrateFromIpocketCommand(db, { file: sub, dryRun: values['dry-run'] ?? false, force: values.force ?? false }));
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

async function serve(config: AppConfig): Promise<number> {
  const started = Date.now();
  const db = await openAndMigrate(config);
  await reportReaped(db);
  const admin = await ensureFirstAdmin(db, config);
  const app = await buildApp({ config, db });
  const server = await listen(app, config);
  schedulePlannerStats(db);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const where = config.database.client === 'sqlite' ? `SQLite ${config.database.filename}` : 'PostgreSQL';
  console.log(`ipocket listening on ${url} (${where}) in ${Date.now() - started} ms`);
  // Saved connector schedules; every instance runs one, the database decides who runs a due job.
  const scheduler = schedulerEnabled() ? new ConnectorScheduler({ db, secretKey: config.secretKey }) : null;
  await scheduler?.start();
  if (admin) console.log(firstStartMessage(admin, url));
  // Runs of other instances that died meanwhile (their heartbeat goes stale).
  const reaper = setInterval(() => void reportReaped(db).catch(() => undefined), 60_000);
  reaper.unref();
  const stop = gracefulShutdown({ server, db, scheduler, graceMs: config.shutdownGraceSeconds * 1000, timers: [reaper] });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise(() => undefined);
}

/** Marks runs whose process is gone (a crash, kill -9, a stopped instance) as interrupted, and says so. */
async function reportReaped(db: Knex): Promise<void> {
  const ids = await reapStaleRuns(db);
  if (ids.length > 0) console.log(`Marked ${ids.length} run(s) interrupted whose process had stopped: #${ids.join(', #')}`);
}

/**
 * For commands that run an importer or connector: stale runs are reaped first, and SIGTERM/SIGINT
 * interrupt the run (its apply rolls back, the run is marked interrupted, the exit code is 1)
 * instead of killing the process with the run left "running".
 */
function withRunLifecycle(fn: (db: Knex, signal: AbortSignal) => Promise<number>): (db: Knex) => Promise<number> {
  return async (db) => {
    await reportReaped(db);
    const abort = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
      console.error(`\n${signal}: interrupting the run (an apply rolls back)…`);
      abort.abort(new RunInterruptedError(`Interrupted: the command received ${signal} before the run finished; nothing was written.`));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const code = await fn(db, abort.signal);
      return abort.signal.aborted ? 1 : code;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
}

async function withDb(config: AppConfig, fn: (db: Knex) => Promise<number>): Promise<number> {
  const db = await openAndMigrate(config);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function userCommand(db: Knex, sub: string | undefined, name: string | undefined, values: { role?: string; password?: string; 'password-stdin'?: boolean }): Promise<number> {
  const users = new UsersService({ db, actor: SYSTEM_ACTOR });
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

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else if (err instanceof ValidationError) console.error(`Invalid input: ${err.issues.map((i) => `${i.loc.slice(1).join('.')} ${i.msg}`).join('; ')}`);
    else if (err instanceof AppError) console.error(err.message);
    else if (err instanceof Error && 'code' in err && (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') console.error(`${err.message}\n\n${USAGE}`);
    else console.error(err);
    process.exitCode = 1;
  },
);
