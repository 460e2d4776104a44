import { z } from 'zod';
import { formatTimestamp } from '../domain/time.js';
import type { ServiceContext } from './context.js';
import { parseInput } from './validate.js';

/** APPLY is an applied import run (the original's word); IMPORT_RUN is what older versions wrote for it. */
export const AUDIT_ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'APPLY', 'IMPORT_RUN', 'LOGIN'] as const;
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
}

export interface AuditWrite {
  targetType: string;
  targetId: number | null;
  targetLabel: string | null;
  action: AuditAction;
  changes: string;
}

export const AuditQuerySchema = z
  .object({
    target_type: z.string().trim().min(1).max(32).optional(),
    target_id: z.coerce.number().int().positive().optional(),
    target_label: z.string().trim().min(1).max(255).optional(),
    user: z.string().trim().min(1).max(64).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    since: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}/, 'expected YYYY-MM-DD[ HH:MM:SS]').optional(),
    until: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}/, 'expected YYYY-MM-DD[ HH:MM:SS]').optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type AuditQuery = z.input<typeof AuditQuerySchema>;

/** The audit log: written by every other service inside its transaction, read by the API and panel. */
export class AuditService {
  constructor(private readonly ctx: ServiceContext) {}

  /** A successful login, recorded as the user who logged in ("API token issued", "panel session started"). */
  recordLogin(user: { id: number; username: string }, how: string): Promise<void> {
    return this.record({ targetType: 'USER', targetId: user.id, targetLabel: user.username, action: 'LOGIN', changes: how });
  }

  /** Appends entries in the caller's transaction. */
  async record(entries: AuditWrite | AuditWrite[]): Promise<void> {
    const list = Array.isArray(entries) ? entries : [entries];
    if (list.length === 0) return;
    const { actor } = this.ctx;
    const now = formatTimestamp();
    const rows = list.map((e) => ({
      user_id: actor.userId,
      username: actor.username,
      target_type: e.targetType,
      target_id: e.targetId,
      target_label: e.targetLabel,
      action: e.action,
      changes: e.changes,
      created_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500) await this.ctx.db('audit_log').insert(rows.slice(i, i + 500));
  }

  /** Newest first, filtered in SQL; total counted over the same filter. */
  async list(query: AuditQuery = {}): Promise<{ items: AuditEntry[]; total: number }> {
    const q = parseInput(AuditQuerySchema, query, 'query');
    const base = this.ctx.db('audit_log').where((b) => {
      if (q.target_type) b.where('target_type', q.target_type);
      if (q.target_id) b.where('target_id', q.target_id);
      if (q.target_label) b.where('target_label', q.target_label);
      if (q.user) b.where('username', q.user);
      if (q.action) b.where('action', q.action);
      if (q.since) b.where('created_at', '>=', q.since);
      if (q.until) b.where('created_at', '<=', q.until.length === 10 ? `${q.until} 23:59:59` : q.until);
    });
    const [items, countRow] = await Promise.all([
      base.clone().select('*').orderBy('id', 'desc').limit(q.limit).offset(q.offset),
      base.clone().count<{ n: number }[]>({ n: '*' }).first(),
    ]);
    return { items: items as AuditEntry[], total: Number(countRow?.n ?? 0) };
  }
}
