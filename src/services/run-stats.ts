import type { Db } from '../db/connection.js';

export interface RunCount {
  plugin: string;
  status: string;
  count: number;
}

/** Finished import/connector runs per plugin and outcome (one GROUP BY over import_runs), for /metrics. */
export async function countFinishedRuns(db: Db): Promise<RunCount[]> {
  const rows = (await db('import_runs').whereNot('status', 'running').select('plugin', 'status').count({ n: '*' }).groupBy('plugin', 'status')) as { plugin: string; status: string; n: number | string }[];
  return rows.map((r) => ({ plugin: r.plugin, status: r.status, count: Number(r.n) }));
}
