/**
 * The reconcile engine: a plugin's batch → a plan (CREATE/UPDATE/SKIP with field diffs) → in
 * apply mode, the writes in one transaction. core/ holds the pipeline and the entity contract,
 * entities/ one handler per entity (and their order), store/ the reads and writes. The runner and
 * the surfaces import from here.
 */
export { describePlan, prepareBatch, reconcile, type Plan, type ReconcileOptions, type ReconcileResult } from './core/pipeline.js';
export type { Counts, PlannedChange } from './core/plan.js';
export { ENTITIES, type Entity } from './entities/index.js';
export { MANUAL_IMPORT, MANUAL_RUN } from './store/sightings.js';
