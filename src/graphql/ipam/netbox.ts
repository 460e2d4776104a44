import { ConflictError } from '../../domain/errors.js';
import type { SyncRun } from '../../services/netbox/runs.js';
import type { Pool } from '../../services/pools/wire.js';
import { builder, level, toId } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { IPPoolRef } from './pools.js';

const NetBoxSyncRunRef = builder.objectRef<SyncRun>('NetBoxSyncRun').implement({
  description: 'One NetBox sync run (as GET /api/v1/ip-management/netbox/runs): what it wrote to NetBox, imported here and found.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind'),
    status: t.exposeString('status'),
    startedAt: t.exposeString('started_at'),
    finishedAt: t.exposeString('finished_at', { nullable: true }),
    created: t.int({ resolve: (r) => r.counts.created }),
    updated: t.int({ resolve: (r) => r.counts.updated }),
    deleted: t.int({ resolve: (r) => r.counts.deleted }),
    unchanged: t.int({ resolve: (r) => r.counts.unchanged }),
    imported: t.int({ resolve: (r) => r.counts.imported }),
    conflicts: t.int({ resolve: (r) => r.counts.conflicts }),
    failed: t.int({ resolve: (r) => r.counts.failed }),
    log: t.exposeStringList('log'),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const NetBoxImportRef = builder.objectRef<{ run: SyncRun; pool: Pool }>('NetBoxImport').implement({
  description: 'A NetBox prefix imported as a pool: the pool and the run.',
  fields: (t) => ({
    pool: t.field({ type: IPPoolRef, resolve: (r) => r.pool }),
    run: t.field({ type: NetBoxSyncRunRef, resolve: (r) => r.run }),
  }),
});

function netbox(ctx: GraphQLContext): NonNullable<GraphQLContext['netbox']> {
  if (!ctx.netbox) throw new ConflictError('NetBox sync is not available here.', 'netbox');
  return ctx.netbox;
}

builder.mutationFields((t) => ({
  syncPoolToNetBox: t.field({
    type: NetBoxSyncRunRef,
    description: 'Syncs one pool with NetBox now (as POST /api/v1/ip-management/pools/{id}/sync-netbox): queued pushes, then the comparison; differences become conflicts.',
    extensions: level('editor'),
    args: { poolId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => {
      const id = toId(a.poolId, 'poolId');
      return netbox(ctx)((sync) => sync.syncPool(id));
    },
  }),
  importNetBoxPrefix: t.field({
    type: NetBoxImportRef,
    description: 'Imports a NetBox prefix as a pool, its IP addresses as reservations (as POST /api/v1/ip-management/netbox/import-prefix/{prefix_id}).',
    extensions: level('editor'),
    args: { prefixId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => {
      const id = toId(a.prefixId, 'prefixId');
      return netbox(ctx)((sync) => sync.importPrefix(id));
    },
  }),
}));
