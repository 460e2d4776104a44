import { ROLES } from '../services/context.js';
import { CONNECTOR_USAGE } from './connector.js';
import { IMPORT_USAGE } from './import-export.js';
import { MIGRATE_USAGE } from './migrate-from-ipocket.js';

/** What `ipocket --help` prints: every command group's lines. */
export const USAGE = `Usage: ipocket <command>

Commands:
  serve                              migrate, create the first admin if none, start the server
  migrate                            bring the database schema up to date
  user list                          list users
  user create <name> [--role R]      create a user (R: ${ROLES.join('|')}; default viewer)
        [--password P | --password-stdin]   (a password is generated and printed when omitted)
        [--full-name N] [--email E] [--designation D] [--department D] [--inactive] [--must-change-password]
  user update <name> [--role R] [--full-name N] [--email E] [--designation D] [--department D]
        [--active | --inactive] [--must-change-password]   (--inactive ends their tokens and sessions)
  user passwd <name> [--password P | --password-stdin] [--must-change-password]
${CONNECTOR_USAGE}
${IMPORT_USAGE}
${MIGRATE_USAGE}

Configuration comes from the environment; see README.md.`;
