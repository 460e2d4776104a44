import { ensureFirstAdmin, firstStartMessage, openAndMigrate } from '../bootstrap.js';
import type { AppConfig } from '../config.js';
import { schedulePlannerStats } from '../db/maintenance.js';
import { ConnectorScheduler } from '../jobs/connector-runs.js';
import { buildApp, listen } from '../server.js';
import { gracefulShutdown } from '../shutdown.js';
import { reportReaped } from './lifecycle.js';

/** IPOCKET_SCHEDULER=0 turns the cron scheduler off for this instance (e.g. a read-only replica). */
export function schedulerEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !['0', 'false', 'no', 'off'].includes((env.IPOCKET_SCHEDULER ?? '').trim().toLowerCase());
}

/** `ipocket serve`: migrate, reap dead runs, first admin, listen, scheduler; runs until a signal. */
export async function serve(config: AppConfig): Promise<number> {
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
