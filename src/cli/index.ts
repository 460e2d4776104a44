#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrateLatest } from '../db/migrate.js';
import { AppError, ValidationError } from '../domain/errors.js';
import { connectorCommand } from './connector.js';
import { exportCommand, importCommand } from './import-export.js';
import { withDb, withRunLifecycle } from './lifecycle.js';
import { migrateFromIpocketCommand } from './migrate-from-ipocket.js';
import { serve } from './serve.js';
import { USAGE } from './usage.js';
import { userCommand } from './user.js';
import { servicesConfig } from '../plugins/catalog.js';

/** The `ipocket` command: one function per command group, in the files beside this one. */
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
      // ipocket user create|update: VMI's profile fields and flags.
      'full-name': { type: 'string' },
      email: { type: 'string' },
      designation: { type: 'string' },
      department: { type: 'string' },
      active: { type: 'boolean' },
      inactive: { type: 'boolean' },
      'must-change-password': { type: 'boolean' },
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
      return withDb(config, (db) => userCommand(db, servicesConfig(config), sub, name, values));
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
