import v8 from 'node:v8';
import vm from 'node:vm';
import type { Knex } from 'knex';
import { sqliteFile } from '../db/connection.js';
import { runOnOwnConnection, type OwnConnectionTask } from '../db/own-connection.js';
import type { Actor } from '../services/context.js';
import { batchSize, type Batch } from './batch.js';
import { asDeviceList, DeviceList, type DevicePages } from './device-list.js';
import { prepareBatch, reconcile } from './reconcile/index.js';

type ReconcileOptions = Parameters<typeof reconcile>[3];
type ReconcileResult = Awaited<ReturnType<typeof reconcile>>;

/**
 * Records from which a SQLite run is planned and applied in a worker on its own connection. Below
 * it the run is short (a connector's sweep, a small file) and a worker's start-up would cost more
 * than the wait it saves others.
 */
export const OWN_CONNECTION_MIN_RECORDS = 5_000;

type PlainOptions = Omit<ReconcileOptions, 'onProgress' | 'signal' | 'afterChunk'>;

/**
 * Prepares, plans and (unless a dry-run) applies a batch, as reconcile does. A large batch on a
 * SQLite file runs in a worker thread with a connection of its own (runOnOwnConnection): its
 * transaction (~8 s at 50k rows) then holds neither the event loop nor the server's connection,
 * so reads go on and other writes wait for the lock without blocking anyone. The dry-run takes the
 * same road as the apply, so it still shows exactly what the apply would do.
 */
export function reconcileBatch(db: Knex, actor: Actor, batch: Batch, opts: ReconcileOptions): Promise<ReconcileResult> {
  const file = sqliteFile(db);
  // Not async: once this returns, only the prepared batch (or the worker's copy) is referenced.
  if (file === null || batchSize(batch) < OWN_CONNECTION_MIN_RECORDS) return reconcile(db, actor, prepareBatch(batch), opts);
  const { onProgress, signal, afterChunk: _thisThreadOnly, ...plain } = opts;
  // The devices cross as deflated pages of JSON lines, transferred (device-list.ts): no copy of the batch's
  // largest part, and nothing of it left on this thread while the worker runs.
  const devices = batch.devices ? asDeviceList(batch.devices).take() : undefined;
  const input: TaskInput = { actor, batch: { ...batch, devices: undefined }, devices, opts: plain };
  return runOnOwnConnection<ReconcileResult>({ client: 'sqlite', filename: file }, { module: import.meta.url, name: 'reconcileTask', input }, {
    transfer: devices?.pages,
    signal,
    onEvent: (e) => onProgress?.((e as Progress).done, (e as Progress).total),
  });
}

interface TaskInput {
  actor: Actor;
  batch: Batch;
  devices: DevicePages | undefined;
  opts: PlainOptions;
}
interface Progress {
  done: number;
  total: number;
}

/**
 * A full collection of this thread's heap, when the runtime lets us have one. Each 5,000-device
 * chunk leaves ~50 MB of garbage (stored states, reports, statement values) that lived through the
 * chunk and so reached the old generation; V8 lets the old generation grow to a few times what is
 * live before it collects, and the worker's heap reached ~300 MB with ~100 MB live (50k VMs,
 * measured with --expose-gc). Collecting after each chunk keeps it near what is live, for ~0.1 s
 * of this thread per chunk; the worker only reconciles, so the pause stalls no request.
 * The flag is set only for the moment `gc` is fetched from a fresh context.
 */
export function fullCollector(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/** The worker's side of reconcileBatch. */
export const reconcileTask: OwnConnectionTask<TaskInput, ReconcileResult> = (db, { actor, batch, devices, opts }, { signal, emit }) => {
  const collect = fullCollector();
  const prepared = prepareBatch({ ...batch, devices: devices && DeviceList.from(devices) });
  // Parsing and validating every record left its garbage (and the pages) behind: gone before the plan.
  collect?.();
  return reconcile(db, actor, prepared, { ...opts, signal, onProgress: (done, total) => emit({ done, total } satisfies Progress), afterChunk: collect });
};
