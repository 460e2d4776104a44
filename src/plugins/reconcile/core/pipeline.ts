import type { Knex } from 'knex';
import type { Db } from '../../../db/connection.js';
import { countersPerStatement } from '../../../db/helpers/bulk-counters.js';
import { withBulkCache } from '../../../db/helpers/sqlite-cache.js';
import { AuditService } from '../../../services/audit.js';
import { inTransaction, type Actor } from '../../../services/context.js';
import type { Batch } from '../../batch.js';
import { ENTITY_HANDLERS, type Entity } from '../entities/index.js';
import { CounterDeltas } from '../store/counters.js';
import type { EntityHandler, Loaded, WriteContext } from './contract.js';
import { matchRecords, type Claims } from './match.js';
import { PlanContext, PREVIEW_LIMIT, type Plan as PlanOf } from './plan.js';
import { PrepareContext, type PreparedRecords } from './prepare.js';
import { recordArray, type RecordSeq } from './records.js';

/** A plan of the registry's entities. */
export type Plan = PlanOf<Entity>;

/** A batch prepared for the entities it will be planned with. */
export interface PreparedBatch extends PreparedRecords {
  handlers: readonly EntityHandler[];
}

/**
 * Validates every record of a batch, entity by entity in the registry's order (or a test's own
 * entities). Cost: linear in the batch, no I/O. Consumes the batch's IP asset and device
 * records: the slots of `batch.ip_assets` and `batch.devices` are empty afterwards (the prepared
 * batch carries them), so a large batch is never held twice.
 */
export function prepareBatch(batch: Batch, handlers: readonly EntityHandler[] = ENTITY_HANDLERS as readonly EntityHandler[]): PreparedBatch {
  const ctx = new PrepareContext(batch);
  for (const h of handlers) ctx.records.set(h.entity, h.prepare(batch, ctx));
  return {
    source: batch.source,
    issues: ctx.issues,
    handlers,
    records: ctx.records,
    droppedRefs: ctx.droppedRefs,
    vendorsMustExist: ctx.vendorsMustExist,
    catalogPolicy: ctx.catalogPolicy,
  };
}

export type WriteProgress = (done: number, total: number) => void;

export interface ReconcileOptions {
  dryRun: boolean;
  /** Names the run in the audit entry. */
  plugin: string;
  /** The audit entry's label: who ran it how (`api_import_bundle`, `cli_import_csv`, `connector_vcenter`). */
  auditLabel?: string;
  runId?: number;
  onProgress?: WriteProgress;
  /** Assets planned (and written) per step; bounds the memory of a large run. */
  chunkSize?: number;
  /** CREATE/UPDATE (and SKIP) records kept in the plan's preview; counts stay exact. */
  previewLimit?: number;
  /** Checked before every chunk: an aborted apply throws, and its transaction rolls back. */
  signal?: AbortSignal;
  /** Called after each chunk, once its writes are done and its rows are garbage (the reconcile worker collects them there). */
  afterChunk?: () => void;
  /** The run's addresses are recorded as seen by `plugin` in this scope (a configuration's name, …); absent: no sightings. */
  seenIn?: { scope: string; configId: number | null };
}

export interface ReconcileResult {
  plan: Plan;
  /** True when the plan was written (apply mode and no errors). */
  applied: boolean;
}

/**
 * Assets per step: large enough for set-based statements (the state reads already go 5,000 keys
 * at a time), small enough that one step's stored rows, plan values and writes stay a few MB and
 * mostly die young instead of filling the old generation (a 100k-row re-run peaked lower and
 * steadier than with 10k steps).
 */
export const RECONCILE_CHUNK = 5_000;

/**
 * Plans a prepared batch and, in apply mode, writes it: state is loaded, planned and written
 * inside ONE transaction (so the plan cannot go stale, and a failure leaves nothing behind),
 * followed by one IMPORT_RUN audit entry. The whole entities (catalogs, hosts) are planned first,
 * which also finds every error; then the chunked ones (addresses) go step by step (load stored
 * rows → plan → write), so only one step's rows and writes are in memory. A plan with errors
 * writes nothing. A dry-run runs the same plan and only reads.
 */
export async function reconcile(db: Knex, actor: Actor, prepared: PreparedBatch, opts: ReconcileOptions): Promise<ReconcileResult> {
  if (opts.dryRun) return { plan: await planAndWrite(db, prepared, null, opts), applied: false };
  return inTransaction(db, async (trx: Knex.Transaction) => {
    const plan = await planAndWrite(trx, prepared, trx, opts, { userId: actor.userId, username: actor.username, runId: opts.runId ?? null, source: opts.plugin });
    if (plan.errors.length > 0) return { plan, applied: false };
    const label = opts.auditLabel ?? `import_${opts.plugin}`;
    await new AuditService({ db: trx, actor }).record({
      targetType: 'IMPORT_RUN',
      targetId: opts.runId ?? null,
      targetLabel: label.slice(0, 255),
      action: 'APPLY',
      changes: describeApply(plan, label),
    });
    return { plan, applied: true };
  });
}

/**
 * The pure step of the pipeline: records and what `load` read → matched by the entity's keys →
 * planned. Returns the entity's writes (dropped by a dry-run). Tests plan loaded state with it.
 */
export function planLoaded<W>(h: EntityHandler<string, { loc: string }, Loaded, W>, records: readonly { loc: string }[], loaded: Loaded, ctx: PlanContext, claims?: Claims): W {
  return h.plan(matchRecords(h.entity, h.matchKeys, records, loaded.rows, ctx, claims), loaded, ctx);
}

/** The chunked plan; writes through `trx` when given and the plan has no errors. */
async function planAndWrite(db: Db, prepared: PreparedBatch, trx: Knex.Transaction | null, opts: ReconcileOptions, history?: WriteContext['history']): Promise<Plan> {
  const { handlers } = prepared;
  const recordsOf = (h: EntityHandler): RecordSeq<{ loc: string }> => prepared.records.get(h.entity) ?? [];
  const whole = handlers.filter((h) => !h.chunked);
  const chunked = handlers.filter((h) => h.chunked);
  const bulk = chunked.reduce((n, h) => n + recordsOf(h).length, 0);
  return withBulkCache(db, bulk, async () => {
    const ctx = new PlanContext(prepared, handlers.map((h) => h.entity), undefined, opts.previewLimit ?? PREVIEW_LIMIT);
    // With several match keys two records may reach the same stored row (core/match.ts).
    const claimsOf = (h: EntityHandler): Claims | undefined => (h.matchKeys.length > 1 ? new Map() : undefined);
    const planStep = async (h: EntityHandler, records: readonly { loc: string }[], claims: Claims | undefined): Promise<unknown> =>
      planLoaded(h, records, await h.load(db, h.keysToLoad(records, ctx), ctx), ctx, claims);

    // The whole entities first: planning them (and checking the chunked ones) finds every error
    // before anything is written.
    const planned: [EntityHandler, unknown][] = [];
    for (const h of whole) planned.push([h, await planStep(h, recordArray(recordsOf(h)), claimsOf(h))]);
    for (const h of chunked) if (h.willFail && (await h.willFail(recordArray(recordsOf(h)), ctx, db))) ctx.willHaveErrors();
    const seenAs = opts.seenIn ? { source: opts.plugin, ...opts.seenIn, runId: opts.runId ?? null } : undefined;
    const wctx: WriteContext | null = trx !== null && !ctx.hasErrors() ? { trx, now: ctx.now, counters: new CounterDeltas(), history, plan: ctx, seenAs } : null;
    if (wctx) await countersPerStatement(wctx.trx);
    if (wctx) for (const [h, writes] of planned) await h.write(writes, wctx);

    // Then the chunked ones, step by step (load stored rows → plan → write): one step in memory.
    for (const h of chunked) {
      const records = recordsOf(h);
      const claims = claimsOf(h);
      const total = records.length;
      const chunk = Math.max(1, opts.chunkSize ?? h.chunkSize ?? RECONCILE_CHUNK);
      for (let i = 0; i < total; i += chunk) {
        // On SQLite every statement completes synchronously: without a turn of the event loop here a
        // signal (SIGTERM) or a timer would only be seen once the whole run is over.
        await new Promise<void>((resolve) => setImmediate(resolve));
        opts.signal?.throwIfAborted();
        const writes = await planStep(h, records.slice(i, i + chunk), claims);
        if (wctx) {
          await h.write(writes, wctx);
          opts.onProgress?.(Math.min(i + chunk, total), total);
        }
        opts.afterChunk?.();
      }
    }
    // The counters the writes left to the writer, in one short step before the commit.
    opts.signal?.throwIfAborted();
    if (wctx) await wctx.counters.apply(wctx.trx);
    for (const h of handlers) h.finish?.(ctx);
    return ctx.finish<Entity>();
  });
}

/** `ip_assets +3 ~1 =10` per entity the plan touched. */
function entityCounts(plan: Plan): string[] {
  return Object.entries(plan.counts).flatMap(([e, c]) => {
    return c.create + c.update + c.skip === 0 ? [] : [`${e} +${c.create} ~${c.update} =${c.skip}`];
  });
}

/**
 * The audit entry's text: the original's sentence first (scripts of the original read
 * `input=` and the counts from it), then our per-entity counts.
 */
function describeApply(plan: Plan, label: string): string {
  const t = plan.totals;
  const original = `Import apply source=${label}; input=${plan.source}; create=${t.create}; update=${t.update}; skip=${t.skip}; warnings=${plan.warnings.length}; errors=${plan.errors.length}.`;
  return [original, ...entityCounts(plan)].join(' ');
}

/** One line for the audit log and the run log: `source=x; ip_assets +3 ~1 =10; hosts +1; warnings 0`. */
export function describePlan(plan: Plan): string {
  const parts = [`source=${plan.source}`, ...entityCounts(plan)];
  parts.push(`created ${plan.totals.create}, updated ${plan.totals.update}, skipped ${plan.totals.skip}, warnings ${plan.warnings.length}, errors ${plan.errors.length}`);
  return parts.join('; ');
}
