/**
 * The worker thread of runOnOwnConnection: opens its own connection to the database, runs the
 * job, posts the result (or the error) and closes the connection.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppConfig } from '../config.js';
import { openDatabase } from './connection.js';
import { toWorkerError, type OwnConnectionJob, type OwnConnectionTask } from './own-connection.js';

const { database, job, ack } = workerData as { database: AppConfig['database']; job: OwnConnectionJob; ack: SharedArrayBuffer };
const port = parentPort!;
const acks = new Int32Array(ack);
const controller = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'abort') controller.abort(new Error('the run was cancelled'));
});

/**
 * The job's input, handed over once: workerData lives as long as the thread, and a job that
 * consumes its input (the reconcile drops each raw record once parsed) could not free it while
 * workerData still held it.
 */
function takeInput(): unknown {
  const input = job.input;
  job.input = undefined;
  return input;
}

const db = openDatabase(database);
try {
  const fn = ((await import(job.module)) as Record<string, OwnConnectionTask<unknown, unknown>>)[job.name];
  if (typeof fn !== 'function') throw new Error(`${job.module} has no export ${job.name}`);
  const result = await fn(db, takeInput(), {
    signal: controller.signal,
    emit(event) {
      const seen = Atomics.load(acks, 0);
      port.postMessage({ type: 'event', event });
      // Blocks this thread only, until the main thread has handled the event.
      Atomics.wait(acks, 0, seen);
    },
  });
  port.postMessage({ type: 'done', result });
} catch (err) {
  port.postMessage({ type: 'error', error: toWorkerError(err) });
} finally {
  await db.destroy();
  port.close();
}
