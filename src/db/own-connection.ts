import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import type { AppConfig } from '../config.js';
import { AppError, ServiceUnavailableError } from '../domain/errors.js';
import { isLockTimeout } from './errors.js';

/** What the worker runs: `module`'s export `name`, called as `fn(db, input, { signal, emit })`. */
export interface OwnConnectionJob {
  /** A file URL (`new URL('./x.js', import.meta.url).href`). */
  module: string;
  name: string;
  /** Structured-cloneable (plain data); ArrayBuffers in it may be transferred (runOnOwnConnection's `transfer`). */
  input: unknown;
}

/** What the job function gets besides its own connection and input. */
export interface OwnConnectionHooks {
  signal: AbortSignal;
  /** Hands an event to the caller's onEvent and waits until it has run (as a direct call would; an async onEvent, until its promise settles). */
  emit(event: unknown): void;
}

export type OwnConnectionTask<I, R> = (db: Knex, input: I, hooks: OwnConnectionHooks) => Promise<R>;

/** An error as it crosses from the worker: enough to answer it as the same error would be answered. */
export interface WorkerError {
  name: string;
  message: string;
  code?: string;
  /** The database stayed locked past the wait (503 + Retry-After). */
  busy: boolean;
  /** An AppError's HTTP status: a run tells a rejected input (< 500) from a failed one by it. */
  status?: number;
}

/** An AppError from the worker, answered with the status and code it had there. */
class CrossedAppError extends AppError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function toWorkerError(err: unknown): WorkerError {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  const status = e instanceof AppError ? e.status : undefined;
  return { name: e.name, message: e.message, code: typeof code === 'string' ? code : undefined, busy: e instanceof ServiceUnavailableError || isLockTimeout(e), status };
}

export function fromWorkerError(e: WorkerError): Error {
  if (e.busy) return new ServiceUnavailableError();
  if (e.status !== undefined) return Object.assign(new CrossedAppError(e.status, e.code ?? 'error', e.message), { name: e.name });
  return Object.assign(new Error(e.message), { name: e.name, code: e.code });
}

const DEV = import.meta.url.endsWith('.ts');
/** How long an answered job waits for its thread to exit before the answer goes out anyway. */
const EXIT_WAIT_MS = 5000;
const ENTRY = new URL(`./own-connection-worker${DEV ? '.ts' : '.js'}`, import.meta.url).href;

/**
 * Runs a job in a worker thread on a connection of its own to `database` (a SQLite file, or
 * PostgreSQL: a run's memory is then the worker's, collect-on-own-connection.ts). better-sqlite3 is
 * synchronous: a long transaction on the server's connection (a 50k-row import) holds the event
 * loop and the only connection until it commits, and every request waits. In a worker it holds
 * neither: WAL lets the main connection read meanwhile, and the main thread's writers wait for the
 * write lock asynchronously (WaitingSqliteClient), answering 503 when the wait runs out.
 * Aborting `signal` aborts the job's signal in the worker; an error comes back as a plain Error
 * (or ServiceUnavailableError when the database stayed locked).
 */
export function runOnOwnConnection<R>(database: AppConfig['database'], job: OwnConnectionJob, opts: { signal?: AbortSignal; onEvent?: (event: unknown) => void | Promise<void>; transfer?: readonly ArrayBuffer[] } = {}): Promise<R> {
  const ack = new Int32Array(new SharedArrayBuffer(4));
  const workerData = { database, job, ack: ack.buffer };
  // Moved to the worker, not copied: `input` holds them, and they are detached here afterwards.
  const transferList = [...(opts.transfer ?? [])];
  // A job is one large batch: its young generation at V8's default (up to 3 × 16 MB semi-spaces)
  // only adds resident pages to the worker's isolate. On SQLite 8 MB keeps the scavenges cheap
  // enough (50k VMs: peak 441 MB, against 453 MB at 48). On PostgreSQL, where each chunk waits on
  // round trips and more of its objects outlive a small young generation, 8 MB cost the first
  // 50k sync 88 s against 75 s at 48 MB, for the same peak (470 / 462 MB).
  const resourceLimits = { maxYoungGenerationSizeMb: database.client === 'pg' ? 48 : 8 };
  // From the sources (tsx), the worker needs tsx registered before it can load TypeScript.
  const worker = DEV
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(ENTRY)}); })`, { eval: true, workerData, transferList, resourceLimits })
    : new Worker(new URL(ENTRY), { workerData, transferList, resourceLimits });
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    let answered: (() => void) | null = null;
    const abort = (): void => worker.postMessage({ type: 'abort' });
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', abort);
      fn();
    };
    if (opts.signal?.aborted) abort();
    else opts.signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', (m: { type: 'event'; event: unknown } | { type: 'done'; result: R } | { type: 'error'; error: WorkerError }) => {
      if (m.type === 'event') {
        const release = (): void => {
          Atomics.add(ack, 0, 1);
          Atomics.notify(ack, 0);
        };
        let pending: void | Promise<void> = undefined;
        try {
          pending = opts.onEvent?.(m.event);
        } finally {
          // The worker waits while an async handler (writing the log before the apply) runs.
          if (pending instanceof Promise) pending.catch(() => undefined).finally(release);
          else release();
        }
      } else {
        // Answered once the thread is gone: its heap and connection are freed by then (~100 ms
        // for a 25k-VM run), so the next run's worker does not start on top of them. A thread
        // that lingers (a connection slow to close) does not hold the answer back for long.
        const answer = (): void => settle(() => (m.type === 'done' ? resolve(m.result) : reject(fromWorkerError(m.error))));
        answered = answer;
        setTimeout(answer, EXIT_WAIT_MS).unref();
      }
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => (answered ? answered() : settle(() => reject(new Error(`The database worker stopped (exit code ${code}) before it answered.`)))));
  });
}
