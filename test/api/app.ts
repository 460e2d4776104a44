/** Builds the real app on a fresh test database, with one logged-in user per role. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { Knex } from 'knex';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server.js';
import { SYSTEM_ACTOR, type Role } from '../../src/services/context.js';
import { UsersService } from '../../src/services/users.js';
import { createTestDb } from '../helpers/db.js';

export const PASSWORD = 'correct-horse-battery';

export interface TestApp {
  app: Express;
  db: Knex;
  /** Authorization headers per role (users viewer1, editor1, super1). */
  as: Record<Role, { Authorization: string }>;
  ids: Record<Role, number>;
  /** The key the app seals connector secrets with (a scheduler of the test's own opens them with it). */
  secretKey: string;
  /** Another app instance on the same database and configuration (a restart, or a second instance). */
  another(): Promise<Express>;
  cleanup(): Promise<void>;
}

export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await createTestDb();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-api-'));
  const config = loadConfig({ IPOCKET_DATA_DIR: dataDir, ...env });
  config.database = t.database;
  const app = await buildApp({ config, db: t.db });
  const users = new UsersService({ db: t.db, actor: SYSTEM_ACTOR });
  const as = {} as TestApp['as'];
  const ids = {} as TestApp['ids'];
  for (const [role, name] of [['viewer', 'viewer1'], ['editor', 'editor1'], ['superuser', 'super1']] as const) {
    ids[role] = (await users.create({ username: name, password: PASSWORD, role })).id;
    const res = await request(app).post('/login').send({ username: name, password: PASSWORD });
    if (res.status !== 200) throw new Error(`login ${name}: ${res.status} ${res.text}`);
    as[role] = { Authorization: `Bearer ${(res.body as { access_token: string }).access_token}` };
  }
  return {
    app,
    db: t.db,
    as,
    ids,
    secretKey: config.secretKey,
    another: () => buildApp({ config, db: t.db }),
    async cleanup() {
      await t.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: unknown; slash?: boolean; rawPath?: string };

/**
 * Everything the app answers outside the panel: "METHOD /path" of every route in every router
 * mounted on it, and the paths of other middleware mounted at a path (static folders, sub-apps).
 */
export function mountedRoutes(app: Express): { routes: string[]; mounts: string[] } {
  const stackOf = (h: unknown): Layer[] | undefined => (h as { stack?: Layer[] } | undefined)?.stack;
  const routes: string[] = [];
  const mounts: string[] = [];
  const walk = (stack: Layer[]): void => {
    for (const l of stack) {
      if (l.route) {
        for (const p of [l.route.path].flat()) for (const m of Object.keys(l.route.methods)) if (m !== '_all') routes.push(`${m.toUpperCase()} ${p}`);
      } else if (stackOf(l.handle)) walk(stackOf(l.handle)!);
      else if (!l.slash) mounts.push(String(l.rawPath));
    }
  };
  walk(stackOf((app as unknown as { router: unknown }).router) ?? []);
  return { routes, mounts };
}

/** The panel's own entry points (AdminJS behind /ui, and / → /ui, /favicon.ico): not the API. */
export const PANEL_ROUTES: ReadonlySet<string> = new Set(['GET /', 'GET /favicon.ico']);
export const PANEL_MOUNTS: ReadonlySet<string> = new Set(['/ui']);
