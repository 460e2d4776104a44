import type { Knex } from 'knex';
import { AuditService } from '../../services/audit.js';
import { inTransaction, type Actor } from '../../services/context.js';
import { loadExistingState } from '../../services/imports/state.js';
import { writePlan, type WriteProgress } from '../../services/imports/write-plan.js';
import { ENTITIES, planImport, wantedState, type Plan } from './plan.js';
import type { PreparedBatch } from './prepare.js';

export interface ReconcileOptions {
  dryRun: boolean;
  /** Names the run in the audit entry. */
  plugin: string;
  runId?: number;
  onProgress?: WriteProgress;
}

export interface ReconcileResult {
  plan: Plan;
  /** True when the plan was written (apply mode and no errors). */
  applied: boolean;
}

/**
 * Plans a prepared batch and, in apply mode, writes it: state is loaded, planned and written
 * inside ONE transaction (so the plan cannot go stale), followed by one IMPORT_RUN audit entry.
 * A plan with errors writes nothing. A dry-run only reads.
 */
export async function reconcile(db: Knex, actor: Actor, prepared: PreparedBatch, opts: ReconcileOptions): Promise<ReconcileResult> {
  const want = wantedState(prepared);
  if (opts.dryRun) {
    const state = await loadExistingState(db, want);
    return { plan: planImport(prepared, state), applied: false };
  }
  return inTransaction(db, async (trx: Knex.Transaction) => {
    const state = await loadExistingState(trx, want);
    const plan = planImport(prepared, state);
    if (plan.errors.length > 0) return { plan, applied: false };
    await writePlan(trx, plan.writes, state, opts.onProgress);
    await new AuditService({ db: trx, actor }).record({
      targetType: 'IMPORT_RUN',
      targetId: opts.runId ?? null,
      targetLabel: `${opts.plugin}: ${prepared.source}`.slice(0, 255),
      action: 'IMPORT_RUN',
      changes: describePlan(plan),
    });
    return { plan, applied: true };
  });
}

/** One line for the audit log and the run log: `source=x; ip_assets +3 ~1 =10; hosts +1; warnings 0`. */
export function describePlan(plan: Plan): string {
  const parts = [`source=${plan.source}`];
  for (const e of ENTITIES) {
    const c = plan.counts[e];
    if (c.create + c.update + c.skip === 0) continue;
    parts.push(`${e} +${c.create} ~${c.update} =${c.skip}`);
  }
  parts.push(`created ${plan.totals.create}, updated ${plan.totals.update}, skipped ${plan.totals.skip}, warnings ${plan.warnings.length}, errors ${plan.errors.length}`);
  return parts.join('; ');
}
