import { ensureFirstAdmin, firstStartMessage, openAndMigrate } from '../bootstrap.js';
import type { AppConfig } from '../config.js';
import { schedulePlannerStats } from '../db/maintenance.js';
import { builtinJobs } from '../jobs/builtin.js';
import { ConnectorScheduler } from '../jobs/connector-runs.js';
import { JobRunner } from '../jobs/runner.js';
import { buildApp, listen } from '../server.js';
import { gracefulShutdown } from '../shutdown.js';
import { reportReaped } from './lifecycle.js';
import { servicesConfig } from '../plugins/catalog.js';
import { SYSTEM_ACTOR } from '../services/context.js';
import { createServices } from '../services/index.js';
import { applySyncEnv, parseSyncEnv } from '../services/sync-env.js';

/** IPOCKET_SCHEDULER=0 turns the connector schedules off for this instance (e.g. a read-only replica); the reaper and purges still run. */
function schedulerEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !['0', 'false', 'no', 'off'].includes((env.IPOCKET_SCHEDULER ?? '').trim().toLowerCase());
}

/** `ipocket serve`: migrate, reap dead runs, first admin, listen, job runner; runs until a signal. */
export async function serve(config: AppConfig): Promise<number> {
  const started = Date.now();
  const syncEnv = parseSyncEnv();
  const db = await openAndMigrate(config);
  await reportReaped(db);
  // LAIM's sync variables become saved connector configurations (idempotent; see sync-env.ts).
  for (const [name, what] of Object.entries(await applySyncEnv(createServices({ db, actor: SYSTEM_ACTOR }, servicesConfig(config)).connectorConfigs, syncEnv))) {
    if (what !== 'unchanged') console.log(`Connector configuration "${name}" ${what} from the environment`);
  }
  const admin = await ensureFirstAdmin(db, config);
  const app = await buildApp({ config, db }, { panel: 'now' });
  const server = await listen(app, config);
  schedulePlannerStats(db);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const where = config.database.client === 'sqlite' ? `SQLite ${config.database.filename}` : 'PostgreSQL';
  console.log(`ipocket listening on ${url} (${where}) in ${Date.now() - started} ms`);
  // The jobs (reaper of dead runs, purges) and the saved connector schedules; every instance runs
  // them, the database decides who runs a due slot.
  const kinds = schedulerEnabled() ? [new ConnectorScheduler({ db, secretKey: config.secretKey })] : [];
  const jobs = new JobRunner({ db, registry: builtinJobs(), config: servicesConfig(config), kinds });
  await jobs.start();
  if (admin) console.log(firstStartMessage(admin, url));
  const stop = gracefulShutdown({ server, db, jobs, graceMs: config.shutdownGraceSeconds * 1000 });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise(() => undefined);
}
