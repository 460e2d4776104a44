import { formatTimestamp } from '../../domain/time.js';
import type { ServiceContext } from '../context.js';

export type SyncRunKind = 'push' | 'sync' | 'import' | 'resolve';

/** What one run did, per side: `created`/`updated`/`deleted` are writes to NetBox, `imported` rows made here. */
export interface SyncCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  imported: number;
  conflicts: number;
  failed: number;
}

export interface SyncRun {
  id: number;
  kind: SyncRunKind;
  status: 'running' | 'succeeded' | 'failed';
  started_at: string;
  finished_at: string | null;
  actor: string | null;
  counts: SyncCounts;
  log: string[];
  error: string | null;
}

export const emptyCounts = (): SyncCounts => ({ created: 0, updated: 0, deleted: 0, unchanged: 0, imported: 0, conflicts: 0, failed: 0 });

interface RunRow { id: number; kind: SyncRunKind; status: SyncRun['status']; started_at: string; finished_at: string | null; actor: string | null; counts: string | null; log: string | null; error: string | null }

/** The history of sync runs: one row per run, its counts and log lines. */
export class NetBoxRunsService {
  constructor(private readonly ctx: ServiceContext) {}

  async start(kind: SyncRunKind): Promise<number> {
    const [row] = (await this.ctx.db('netbox_sync_runs').insert({ kind, status: 'running', started_at: formatTimestamp(), actor: this.ctx.actor.username ?? null, counts: JSON.stringify(emptyCounts()), log: '[]' }).returning('id')) as ({ id: number } | number)[];
    return typeof row === 'object' ? Number(row.id) : Number(row);
  }

  async finish(id: number, counts: SyncCounts, log: string[], error: string | null): Promise<SyncRun> {
    await this.ctx.db('netbox_sync_runs').where({ id }).update({ status: error ? 'failed' : 'succeeded', finished_at: formatTimestamp(), counts: JSON.stringify(counts), log: JSON.stringify(log.slice(-500)), error });
    return this.get(id);
  }

  async get(id: number): Promise<SyncRun> {
    return present((await this.ctx.db('netbox_sync_runs').where({ id }).first()) as RunRow);
  }

  async list(limit = 20, offset = 0): Promise<{ items: SyncRun[]; total: number }> {
    const [c] = (await this.ctx.db('netbox_sync_runs').count({ n: '*' })) as { n: number | string }[];
    const rows = (await this.ctx.db('netbox_sync_runs').orderBy('id', 'desc').limit(limit).offset(offset)) as RunRow[];
    return { items: rows.map(present), total: Number(c?.n ?? 0) };
  }

  /** The newest finished run of a kind other than push (what "last sync" shows), or null. */
  async lastSync(): Promise<SyncRun | null> {
    const row = (await this.ctx.db('netbox_sync_runs').whereIn('kind', ['sync', 'import']).whereNot('status', 'running').orderBy('id', 'desc').first()) as RunRow | undefined;
    return row ? present(row) : null;
  }
}

function present(r: RunRow): SyncRun {
  return {
    id: Number(r.id),
    kind: r.kind,
    status: r.status,
    started_at: r.started_at,
    finished_at: r.finished_at,
    actor: r.actor,
    counts: { ...emptyCounts(), ...(r.counts ? (JSON.parse(r.counts) as Partial<SyncCounts>) : {}) },
    log: r.log ? (JSON.parse(r.log) as string[]) : [],
    error: r.error,
  };
}
