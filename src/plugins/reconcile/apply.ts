import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { AuditService } from '../../services/audit.js';
import { inTransaction, type Actor } from '../../services/context.js';
import { withBulkCache } from '../../db/helpers/sqlite-cache.js';
import { loadAssetChunk, loadCatalogState } from './store/state.js';
import { writeAssets, writeCatalogs, type WriteIds } from './store/write-plan.js';
import { ENTITIES, PlanBuilder, PREVIEW_LIMIT, wantedCatalogs, type Plan } from './plan.js';
import type { PreparedBatch } from './prepare.js';

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
 * followed by one IMPORT_RUN audit entry. Catalogs and hosts are planned first, which also finds
 * every error; then the assets go chunk by chunk (load stored rows → plan → write), so only one
 * chunk's rows and writes are in memory. A plan with errors writes nothing. A dry-run only reads.
 */
export async function reconcile(db: Knex, actor: Actor, prepared: PreparedBatch, opts: ReconcileOptions): Promise<ReconcileResult> {
  if (opts.dryRun) return { plan: await planAndWrite(db, prepared, null, opts), applied: false };
  return inTransaction(db, async (trx: Knex.Transaction) => {
    const plan = await planAndWrite(trx, prepared, trx, opts, { userId: actor.userId, username: actor.username, runId: opts.runId ?? null });
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

/** The chunked plan; writes through `trx` when given and the plan has no errors. */
async function planAndWrite(db: Db, prepared: PreparedBatch, trx: Knex.Transaction | null, opts: ReconcileOptions, history?: WriteIds['history']): Promise<Plan> {
  const chunk = Math.max(1, opts.chunkSize ?? RECONCILE_CHUNK);
  return withBulkCache(db, prepared.assets.length, async () => {
    const state = await loadCatalogState(db, wantedCatalogs(prepared));
    const builder = new PlanBuilder(prepared, state, undefined, opts.previewLimit ?? PREVIEW_LIMIT);
    const catalogs = builder.planCatalogs();
    const write = trx !== null && !builder.hasErrors();
    const ids: WriteIds | null = write ? { ...(await writeCatalogs(trx, catalogs, state)), history } : null;
    const total = prepared.assets.length;
    for (let i = 0; i < total; i += chunk) {
      // On SQLite every statement completes synchronously: without a turn of the event loop here a
      // signal (SIGTERM) or a timer would only be seen once the whole run is over.
      await new Promise<void>((resolve) => setImmediate(resolve));
      opts.signal?.throwIfAborted();
      const assets = prepared.assets.slice(i, i + chunk);
      await loadAssetChunk(db, state, assets.map((a) => a.key));
      const writes = builder.planAssets(assets);
      if (ids) {
        await writeAssets(trx!, writes, ids);
        opts.onProgress?.(Math.min(i + chunk, total), total);
      }
    }
    state.assets = new Map();
    // The counters the asset writes left to the writer, in one short step before the commit.
    opts.signal?.throwIfAborted();
    if (ids) await ids.counters.apply(trx!);
    return builder.finish();
  });
}

/** `ip_assets +3 ~1 =10` per entity the plan touched. */
function entityCounts(plan: Plan): string[] {
  return ENTITIES.flatMap((e) => {
    const c = plan.counts[e];
    return c.create + c.update + c.skip === 0 ? [] : [`${e} +${c.create} ~${c.update} =${c.skip}`];
  });
}

/**
 * The audit entry's text: the original's sentence first (scripts of the original read
 * `input=` and the counts from it), then our per-entity counts.
 */
export function describeApply(plan: Plan, label: string): string {
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
