/** An import or connector run as GET /import/runs and the connector run lists answer it. */
export type Run = {
  id: number;
  plugin: string;
  source: string | null;
  mode: 'dry_run' | 'apply';
  status: string;
  username: string | null;
  counts: { total?: { create: number; update: number; skip: number }; errors?: number; warnings?: number } | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
};
/** GET /import/runs/{id}: the run with its log lines. */
export type RunDetail = Run & { log: { level: string; message: string; at: string }[] };

/** A run's log as the panel prints it: one "time level message" line per entry. */
export const logLines = (run: RunDetail): string => run.log.map((l) => `${l.at} ${l.level.padEnd(5)} ${l.message}`).join('\n');
