import type { Knex } from 'knex';
import { pluginCatalog } from '../../src/plugins/catalog.js';
import type { Actor } from '../../src/services/context.js';
import { createServices, type ServicesConfig } from '../../src/services/index.js';

export const EDITOR: Actor = { userId: null, username: 'tester', role: 'editor' };

/** The settings a default start uses (auto-host for BMCs on), with a fixed connector secret key. */
export const TEST_SERVICES_CONFIG: ServicesConfig = {
  autoHostForBmc: true,
  secretKey: 'test-secret-key-0123456789abcdef0123456789',
  tokenTtlSeconds: 3600,
  sessionMaxSeconds: 7200,
  plugins: pluginCatalog,
};

/** Every service bound to one database and actor, as a request handler would build them. */
export function servicesFor(db: Knex, actor: Actor = EDITOR, config: ServicesConfig = TEST_SERVICES_CONFIG) {
  return createServices({ db, actor }, config);
}
