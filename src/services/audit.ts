import { z } from 'zod';
import { formatTimestamp } from '../domain/time.js';
import { SYSTEM_ACTOR, type ServiceContext } from './context.js';
import { parseInput } from './validate.js';

/** APPLY is an applied import run (the original's word); IMPORT_RUN is what older versions wrote for it. */
export const AUDIT_ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'APPLY', 'IMPORT_RUN', 'LOGIN', 'LOGOUT', 'LOGIN_FAILED'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  user_id: number | null;
  username: string | null;
  target_type: string;
  target_id: number | null;
  target_label: string | null;
  action: string;
  changes: string | null;
  created_at: string;
  /** The import or connector run that made the change (null for edits by hand). */
  run_id: number | null;
  /** That run, named: which plugin, from what, dry-run or apply. */
  run: { id: number; plugin: string; source: string | null } | null;
  /** Where a login, logout or failed login came from (null on other entries). */
  client_address: string | null;
  user_agent: string | null;
}

/** The client a login, logout or failed login came from, as the HTTP surface saw it. */
export interface AuditClient {
  address: string | null;
  userAgent: string | null;
}

export interface AuditWrite {
  targetType: string;
  targetId: number | null;
  targetLabel: string | null;
  action: AuditAction;
  changes: string;
  runId?: number | null;
  client?: AuditClient;
}

export const AuditQuerySchema = z
  .object({
    target_type: z.string().trim().min(1).max(32).optional(),
    target_id: z.coerce.number().int().positive().optional(),
    target_label: z.string().trim().min(1).max(255).optional(),
    user: z.string().trim().min(1).max(64).optional(),
    user_id: z.coerce.number().int().positive().optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    since: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}/, 'expected YYYY-MM-DD[ HH:MM:SS]').optional(),
    until: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}/, 'expected YYYY-MM-DD[ HH:MM:SS]').optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type AuditQuery = z.input<typeof AuditQuerySchema>;

const SYSTEM_ACTOR_NAME = SYSTEM_ACTOR.username ?? 'system';

/** The audit log: written by every other service inside its transaction, read by the API and panel. */
export class AuditService {
  constructor(private readonly ctx: ServiceContext) {}

  /** A successful login, recorded as the user who logged in ("API token issued", "panel session started"). */
  recordLogin(user: { id: number; username: string }, how: string, client?: AuditClient): Promise<void> {
    return this.record({ targetType: 'USER', targetId: user.id, targetLabel: user.username, action: 'LOGIN', changes: how, client });
  }

  /** A logout ("API token revoked", "panel session ended"), recorded as the user who logged out. */
  recordLogout(user: { id: number; username: string }, how: string, client?: AuditClient): Promise<void> {
    return this.record({ targetType: 'USER', targetId: user.id, targetLabel: user.username, action: 'LOGOUT', changes: how, client });
  }

  /**
   * A refused login: the name that was tried (the user's id when such a user exists) and the
   * reason, never the password. Written by an anonymous actor; the throttle bounds how many.
   */
  recordFailedLogin(username: string, userId: number | null, reason: string, client?: AuditClient): Promise<void> {
    return this.record({ targetType: 'USER', targetId: userId, targetLabel: username.slice(0, 255) || null, action: 'LOGIN_FAILED', changes: reason, client });
  }

  /** Appends entries in the caller's transaction. */
  async record(entries: AuditWrite | AuditWrite[]): Promise<void> {
    const rows = this.rows(Array.isArray(entries) ? entries : [entries]);
    for (let i = 0; i < rows.length; i += 500) await this.ctx.db('audit_log').insert(rows.slice(i, i + 500));
  }

  /** The audit_log rows of entries by this actor, now: for a caller that writes them within a statement of its own. */
  rows(list: AuditWrite[]): Record<string, unknown>[] {
    const { actor } = this.ctx;
    const now = formatTimestamp();
    return list.map((e) => ({
      user_id: actor.userId,
      username: actor.username,
      target_type: e.targetType,
      target_id: e.targetId,
      target_label: e.targetLabel,
      action: e.action,
      changes: e.changes,
      created_at: now,
      run_id: e.runId ?? null,
      client_address: e.client?.address?.slice(0, 64) ?? null,
      user_agent: e.client?.userAgent?.slice(0, 512) ?? null,
    }));
  }

  /**
   * What the audit filter dropdowns offer: every action an entry can have, the target types present
   * (a loose index scan over audit_log_target: one index probe per distinct type, however long the
   * log), and the actors to pick from (every user, and "system" for the CLI and schedules).
   */
  async filterOptions(): Promise<{ actions: string[]; target_types: string[]; users: string[] }> {
    const types = (await this.ctx.db.raw(
      `WITH RECURSIVE t(v) AS (SELECT MIN(target_type) FROM audit_log
         UNION ALL SELECT (SELECT MIN(target_type) FROM audit_log WHERE target_type > t.v) FROM t WHERE t.v IS NOT NULL)
       SELECT v FROM t WHERE v IS NOT NULL`,
    )) as { v: string }[] | { rows: { v: string }[] };
    const users = (await this.ctx.db('users').select('username').orderBy('username')) as { username: string }[];
    return {
      actions: [...AUDIT_ACTIONS],
      target_types: (Array.isArray(types) ? types : types.rows).map((r) => r.v),
      users: [...users.map((u) => u.username), SYSTEM_ACTOR_NAME],
    };
  }

  /** Newest first, filtered in SQL; total counted over the same filter. */
  async list(query: AuditQuery = {}): Promise<{ items: AuditEntry[]; total: number }> {
    const q = parseInput(AuditQuerySchema, query, 'query');
    const base = this.ctx.db('audit_log as l').where((b) => {
      if (q.target_type) b.where('l.target_type', q.target_type);
      if (q.target_id) b.where('l.target_id', q.target_id);
      if (q.target_label) b.where('l.target_label', q.target_label);
      if (q.user) b.where('l.username', q.user);
      if (q.user_id) b.where('l.user_id', q.user_id);
      if (q.action) b.where('l.action', q.action);
      if (q.since) b.where('l.created_at', '>=', q.since);
      if (q.until) b.where('l.created_at', '<=', q.until.length === 10 ? `${q.until} 23:59:59` : q.until);
    });
    const [rows, countRow] = await Promise.all([
      base
        .clone()
        .leftJoin('import_runs as r', 'r.id', 'l.run_id')
        .select('l.*', 'r.plugin as run_plugin', 'r.source as run_source')
        .orderBy('l.id', 'desc')
        .limit(q.limit)
        .offset(q.offset),
      base.clone().count<{ n: number }[]>({ n: '*' }).first(),
    ]);
    const items = (rows as (Omit<AuditEntry, 'run'> & { run_plugin: string | null; run_source: string | null })[]).map(({ run_plugin, run_source, ...e }) => {
      const runId = e.run_id === null || e.run_id === undefined ? null : Number(e.run_id);
      return { ...e, run_id: runId, run: runId !== null && run_plugin !== null ? { id: runId, plugin: run_plugin, source: run_source } : null };
    });
    return { items, total: Number(countRow?.n ?? 0) };
  }
}
