import { ImportInputError } from './errors.js';
import type { RunOutcome } from './runner.js';
import { ENTITIES, type Counts, type Entity, type PlannedChange } from './reconcile/index.js';

interface WouldCounts {
  would_create: number;
  would_update: number;
  would_skip: number;
}

/** The original's ImportResult, plus the run id, the outcome and (some of) the per-record changes. */
export interface ImportResult {
  summary: Record<Entity, WouldCounts> & { total: WouldCounts };
  errors: { location: string; message: string; level: 'error' }[];
  warnings: { location: string; message: string; level: 'warning' }[];
  run_id: number;
  dry_run: boolean;
  applied: boolean;
  status: RunOutcome['status'];
  changes: PlannedChange[];
  /** Changes left out of `changes` (see the `changes` query parameter), exact. */
  changes_omitted: number;
  /** True when the run kept only part of its per-record preview (very large runs): some changes cannot be listed at all. */
  changes_truncated: boolean;
}

const would = (c: Counts): WouldCounts => ({ would_create: c.create, would_update: c.update, would_skip: c.skip });

/**
 * Shapes a run's outcome as ImportResult. `changes` lists CREATE/UPDATE records first (SKIPs
 * only with `all`), at most `limit` of them, so a preview of 100k rows stays small. The plan itself
 * keeps at most PREVIEW_LIMIT of each; `changes_omitted` still counts every record left out.
 */
export function toImportResult(outcome: RunOutcome, dryRun: boolean, changes: { limit: number; includeSkips: boolean } = { limit: 1000, includeSkips: false }): ImportResult {
  const plan = outcome.plan;
  const zero = { create: 0, update: 0, skip: 0 };
  const summary = Object.fromEntries(ENTITIES.map((e) => [e, would(plan?.counts[e] ?? zero)])) as ImportResult['summary'];
  summary.total = would(plan?.totals ?? zero);
  const relevant = (plan?.changes ?? []).filter((c) => changes.includeSkips || c.action !== 'SKIP');
  // Records the plan counted but did not keep in its bounded preview.
  const unkept = plan ? plan.changesOmitted.changed + (changes.includeSkips ? plan.changesOmitted.skipped : 0) : 0;
  // An input that could not be read at all is one error of the run (the original's ImportResult for it).
  const unreadable = !plan && outcome.error instanceof ImportInputError ? [{ location: outcome.error.location ?? 'import', message: outcome.error.reason }] : [];
  return {
    summary,
    errors: [...unreadable, ...(plan?.errors ?? [])].map((e) => ({ location: e.location, message: e.message, level: 'error' as const })),
    warnings: (plan?.warnings ?? []).map((w) => ({ location: w.location, message: w.message, level: 'warning' as const })),
    run_id: outcome.runId,
    dry_run: dryRun,
    applied: outcome.applied,
    status: outcome.status,
    changes: relevant.slice(0, changes.limit),
    changes_omitted: Math.max(0, relevant.length - changes.limit) + unkept,
    changes_truncated: unkept > 0,
  };
}
