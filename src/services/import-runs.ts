import { z } from 'zod';
import { NotFoundError } from '../domain/errors.js';
import { formatTimestamp } from '../domain/time.js';
import type { ServiceContext } from './context.js';
import { INSTANCE_ID } from './run-liveness.js';
import type { ImportRun, ImportRunDetail, RunLogLine, RunMode, RunStatus } from './run-types.js';
import { parseInput } from './validate.js';

export type { ImportRun, ImportRunDetail, LogLevel, RunLogLine, RunMode, RunStatus } from './run-types.js';

interface RunRow extends Omit<ImportRun, 'options' | 'counts'> {
  options: string | null;
  counts: string | null;
}

export const RunListQuerySchema = z.object({
  plugin: z.string().trim().max(64).optional(),
  status: z.enum(['running', 'succeeded', 'failed', 'rejected', 'interrupted']).optional(),
  mode: z.enum(['dry_run', 'apply']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type RunListQuery = z.input<typeof RunListQuerySchema>;

/** Longest log kept per run; later lines are dropped with one notice (a run must not fill the disk). */
const MAX_LOG_LINES = 5000;

/**
 * Import and connector runs and their logs. Rows are written outside the import's own
 * transaction, so a failed or killed apply still leaves its run (as failed or running).
 */
export class ImportRunsService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Records the start of a run; options must already be redacted. */
  async start(input: { plugin: string; source: string | null; mode: RunMode; options: Record<string, unknown> }): Promise<number> {
    const { actor, db } = this.ctx;
    const now = formatTimestamp();
    const [row] = await db('import_runs')
      .insert({
        plugin: input.plugin,
        source: input.source?.slice(0, 255) ?? null,
        mode: input.mode,
        status: 'running',
        user_id: actor.userId,
        username: actor.username,
        options: JSON.stringify(input.options),
        started_at: now,
        instance_id: INSTANCE_ID,
        heartbeat_at: now,
      })
      .returning('id');
    return Number((row as { id: number }).id);
  }

  /** Appends log lines (already-stored line count given, to enforce the cap without a query). */
  async appendLog(runId: number, lines: readonly RunLogLine[], alreadyStored: number): Promise<number> {
    const room = Math.max(0, MAX_LOG_LINES - alreadyStored);
    const kept = lines.slice(0, room);
    if (lines.length > room && room > 0) kept[kept.length - 1] = { level: 'warn', message: `log truncated at ${MAX_LOG_LINES} lines`, at: formatTimestamp() };
    for (let i = 0; i < kept.length; i += 500) {
      await this.ctx.db('import_run_logs').insert(kept.slice(i, i + 500).map((l) => ({ run_id: runId, level: l.level, message: l.message.slice(0, 4000), at: l.at })));
    }
    return alreadyStored + kept.length;
  }

  async finish(runId: number, result: { status: Exclude<RunStatus, 'running'>; counts?: Record<string, unknown>; error?: string | null }): Promise<void> {
    await this.ctx.db('import_runs').where({ id: runId }).update({
      status: result.status,
      counts: result.counts ? JSON.stringify(result.counts) : null,
      error: result.error?.slice(0, 4000) ?? null,
      finished_at: formatTimestamp(),
    });
  }

  /** Newest first. */
  async list(query: RunListQuery = {}): Promise<{ items: ImportRun[]; total: number }> {
    const q = parseInput(RunListQuerySchema, query, 'query');
    const base = this.ctx.db('import_runs').where((b) => {
      if (q.plugin) b.where('plugin', q.plugin);
      if (q.status) b.where('status', q.status);
      if (q.mode) b.where('mode', q.mode);
    });
    const rows = (await base.clone().select('*').orderBy('id', 'desc').limit(q.limit).offset(q.offset)) as RunRow[];
    const [count] = (await base.clone().count({ n: '*' })) as { n: number | string }[];
    return { items: rows.map(toRun), total: Number(count?.n ?? 0) };
  }

  async get(id: number): Promise<ImportRunDetail> {
    const row = (await this.ctx.db('import_runs').where({ id }).first()) as RunRow | undefined;
    if (!row) throw new NotFoundError('Import run', id);
    const log = (await this.ctx.db('import_run_logs').select('level', 'message', 'at').where({ run_id: id }).orderBy('id')) as RunLogLine[];
    return { ...toRun(row), log };
  }
}

function toRun(row: RunRow): ImportRun {
  return {
    ...row,
    id: Number(row.id),
    user_id: row.user_id === null ? null : Number(row.user_id),
    options: row.options ? (JSON.parse(row.options) as Record<string, unknown>) : {},
    counts: row.counts ? (JSON.parse(row.counts) as Record<string, unknown>) : null,
  };
}
