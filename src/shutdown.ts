import type { Server } from 'node:http';
import type { Knex } from 'knex';
import { interruptRuns, runsSettled } from './plugins/active-runs.js';
import type { JobRunner } from './jobs/runner.js';

export interface ShutdownParts {
  server: Server;
  db: Knex;
  /** The job runner (with the connector runs), when this instance runs jobs. */
  jobs: JobRunner | null;
  graceMs: number;
  log?: (message: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * SIGTERM/SIGINT for `serve`: stop accepting connections and starting scheduled runs, give runs and
 * requests in flight the grace period to finish, then interrupt what is left (an interrupted apply
 * rolls back and its run is marked interrupted; its request answers 503), close the database and
 * exit: 0 when everything finished, 1 when work was cut short.
 */
export function gracefulShutdown(parts: ShutdownParts): (signal: NodeJS.Signals) => void {
  const log = parts.log ?? ((m: string) => console.log(m));
  let stopping = false;
  return (signal) => {
    if (stopping) return;
    stopping = true;
    // However a step hangs, the process ends, and says it was cut short.
    setTimeout(() => {
      console.error('Shutdown did not finish in time; exiting.');
      process.exit(1);
    }, parts.graceMs + 30_000).unref();
    void (async () => {
      const closed = new Promise<void>((resolve) => parts.server.close(() => resolve()));
      // close() ends only the sockets idle now; a keep-alive socket whose request finishes later would
      // hold the server open for the whole keep-alive timeout, so idle ones are closed as they appear.
      parts.server.closeIdleConnections();
      const reaper = setInterval(() => parts.server.closeIdleConnections(), 200).unref();
      void closed.then(() => clearInterval(reaper));
      await parts.jobs?.halt();
      log(`${signal}: not accepting connections; waiting up to ${parts.graceMs / 1000} s for work in flight.`);
      const started = Date.now();
      let cut = !(await runsSettled(parts.graceMs));
      if (cut) {
        log('Grace period over: interrupting the runs still in progress (their applies roll back).');
        interruptRuns(`Interrupted: the server was shutting down (${signal}) before the run finished; nothing was written.`);
        await runsSettled(15_000);
      }
      await parts.jobs?.stop();
      // Requests still answering (the 503 of an interrupted import, a long export) get the rest of the grace period.
      const rest = Math.max(1000, parts.graceMs - (Date.now() - started));
      const done = await Promise.race([closed.then(() => true), sleep(rest).then(() => false)]);
      if (!done) {
        cut = true;
        parts.server.closeAllConnections();
      }
      await parts.db.destroy().catch(() => undefined);
      log(cut ? 'Stopped; work in flight was cut short.' : 'Stopped.');
      process.exit(cut ? 1 : 0);
    })();
  };
}
