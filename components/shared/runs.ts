import type { ImportRun, ImportRunDetail } from '../../src/services/run-types';

/** The counts a finished run stores (JSON in the API's type). */
type RunCounts = { total?: { create: number; update: number; skip: number }; errors?: number; warnings?: number };

/** An import or connector run as GET /import/runs and the connector run lists answer it (the API's wire type). */
export type Run = Omit<ImportRun, 'counts'> & { counts: RunCounts | null };
/** GET /import/runs/{id}: the run with its log lines. */
export type RunDetail = Run & Pick<ImportRunDetail, 'log'>;

/** A run's log as the panel prints it: one "time level message" line per entry. */
export const logLines = (run: RunDetail): string => run.log.map((l) => `${l.at} ${l.level.padEnd(5)} ${l.message}`).join('\n');
