import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.js';
import { formatTimestamp } from '../domain/time.js';
import { AuditService } from './audit.js';
import { inTransaction, type Actor } from './context.js';
import { SourceSchema } from './devices/schemas.js';
import { parseInput } from './validate.js';

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Per-source push tokens (the push itself runs in src/plugins/push.ts). */
export class SyncPushService {
  constructor(private readonly db: Knex, private readonly actor: Actor) {}

  /** A new token for the source (the old one stops working); shown once, stored hashed. Editors only. */
  async rotate(sourceInput: string): Promise<{ source: string; token: string; created_at: string }> {
    if (this.actor.role !== 'editor' && this.actor.role !== 'superuser') throw new ForbiddenError('Editing push tokens needs the editor role.');
    const source = parseInput(SourceSchema, sourceInput, 'source');
    const token = `ipush_${randomBytes(24).toString('base64url')}`;
    const now = formatTimestamp();
    await inTransaction(this.db, async (trx) => {
      const had = await trx('sync_push_tokens').where({ source }).first();
      await trx('sync_push_tokens').insert({ source, token_sha256: sha256(token), created_by: this.actor.username, created_at: now }).onConflict('source').merge(['token_sha256', 'created_by', 'created_at']);
      await new AuditService({ db: trx, actor: this.actor }).record({ targetType: 'SYNC_PUSH_TOKEN', targetId: null, targetLabel: source, action: had ? 'UPDATE' : 'CREATE', changes: had ? 'Push token rotated.' : 'Push token created.' });
    });
    return { source, token, created_at: now };
  }

  /** Throws 401 unless `token` is the source's current one (constant-time compare of the hashes). */
  async verify(source: string, token: string | undefined): Promise<void> {
    const row = (await this.db('sync_push_tokens').where({ source }).first()) as { token_sha256: string } | undefined;
    const given = Buffer.from(sha256(token ?? ''));
    if (!row || !token || !timingSafeEqual(given, Buffer.from(row.token_sha256))) throw new UnauthorizedError('A valid X-Push-Token for this source is required.');
  }

}
