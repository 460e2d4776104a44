/**
 * The reconcile engine: a plugin's batch → a plan (CREATE/UPDATE/SKIP with field diffs) → in
 * apply mode, the writes in one transaction. core/ holds the pipeline, entities/ one handler per
 * entity (and their order), store/ the reads and writes. Surfaces and the runner import from here.
 */
export type { EntityHandler, MatchKey } from './core/contract.js';
export { describeApply, describePlan, prepareBatch, reconcile, RECONCILE_CHUNK, type Plan, type PreparedBatch, type ReconcileOptions, type ReconcileResult } from './core/pipeline.js';
export { PREVIEW_LIMIT, type Action, type Counts, type PlannedChange } from './core/plan.js';
export { ENTITIES, type Entity } from './entities/index.js';
