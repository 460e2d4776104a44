import type { RangeWithUtilization, Utilization } from '../../services/ranges/service.js';
import { builder, level, toId } from '../builder.js';

export const UtilizationRef = builder.objectRef<Utilization>('RangeUtilization').implement({
  description: 'Used and free addresses of a range (used = live assets inside the usable bounds).',
  fields: (t) => ({
    total: t.expose('total', { type: 'BigCount' }),
    usable: t.expose('usable', { type: 'BigCount' }),
    used: t.exposeInt('used'),
    free: t.expose('free', { type: 'BigCount' }),
    percent: t.exposeFloat('percent', { description: 'used / usable × 100, two decimals.' }),
  }),
});

const RangeRef = builder.objectRef<RangeWithUtilization>('Range').implement({
  description: 'An IPv4 or IPv6 CIDR range; ranges nest.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    cidr: t.exposeString('cidr'),
    ipVersion: t.exposeInt('ip_version'),
    notes: t.exposeString('notes', { nullable: true }),
    utilization: t.expose('utilization', { type: UtilizationRef }),
    parentId: t.exposeID('parent_id', { nullable: true }),
    depth: t.exposeInt('depth'),
    childIds: t.exposeIDList('children'),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  ranges: t.field({
    type: [RangeRef],
    description: 'Every range with utilization and nesting, parents before children (as GET /ranges), in one statement.',
    extensions: level('read'),
    resolve: (_root, _args, ctx) => ctx.services.ranges.list(),
  }),
  range: t.field({
    type: RangeRef,
    extensions: level('read'),
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, a, ctx) => ctx.services.ranges.get(toId(a.id, 'id')),
  }),
}));
