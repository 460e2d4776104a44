import type { Knex } from 'knex';
import { openAndMigrate } from '../bootstrap.js';
import type { AppConfig } from '../config.js';
import { describeReaped } from '../jobs/builtin.js';
import { RunInterruptedError } from '../plugins/errors.js';
import { reapStaleRuns } from '../services/run-liveness.js';

/** Marks runs whose process is gone (a crash, kill -9, a stopped instance) as interrupted, and says so. */
export async function reportReaped(db: Knex): Promise<void> {
  const message = describeReaped(await reapStaleRuns(db));
  if (message) console.log(message);
}

/**
 * For commands that run an importer or connector: stale runs are reaped first, and SIGTERM/SIGINT
 * interrupt the run (its apply rolls back, the run is marked interrupted, the exit code is 1)
 * instead of killing the process with the run left "running".
 */
export function withRunLifecycle(fn: (db: Knex, signal: AbortSignal) => Promise<number>): (db: Knex) => Promise<number> {
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

/** Opens (and migrates) the configured database for one command, closed when it returns. */
export async function withDb(config: AppConfig, fn: (db: Knex) => Promise<number>): Promise<number> {
  const db = await openAndMigrate(config);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}
