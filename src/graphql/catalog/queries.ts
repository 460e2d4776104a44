import { AUDIT_ACTIONS, type AuditQuery } from '../../services/audit.js';
import type { HostListQuery } from '../../services/schemas/hosts.js';
import { builder, level, restQuery, toId } from '../builder.js';
import { AuditPageRef, HostPageRef, HostRef, ProjectRef, TagRef } from './types.js';

const HostSort = builder.enumType('HostSort', { values: { NAME: { value: 'name' }, NAME_DESC: { value: '-name' }, VENDOR: { value: 'vendor' }, VENDOR_DESC: { value: '-vendor' } } as const });
const AuditAction = builder.enumType('AuditAction', { values: AUDIT_ACTIONS });

builder.queryFields((t) => ({
  projects: t.field({
    type: [ProjectRef],
    description: 'Every project by name (as GET /projects).',
    extensions: level('read'),
    resolve: (_root, _args, ctx) => ctx.services.projects.list(),
  }),
  project: t.field({
    type: ProjectRef,
    extensions: level('read'),
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.services.projects.get(toId(args.id, 'id')),
  }),
  tags: t.field({
    type: [TagRef],
    description: 'Every tag by name (as GET /tags).',
    extensions: level('read'),
    resolve: (_root, _args, ctx) => ctx.services.tags.list(),
  }),
  hosts: t.field({
    type: HostPageRef,
    description: 'Hosts by name, one page (as GET /hosts?limit=…): q searches name, vendor, notes and linked addresses.',
    extensions: level('read'),
    args: {
      q: t.arg.string(),
      vendorId: t.arg.id(),
      sort: t.arg({ type: HostSort }),
      limit: t.arg.int(),
      offset: t.arg.int(),
    },
    resolve: (_root, a, ctx) => ctx.services.hosts.list(restQuery(a) as HostListQuery),
  }),
  host: t.field({
    type: HostRef,
    extensions: level('read'),
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.services.hosts.get(toId(args.id, 'id')),
  }),
  auditLog: t.field({
    type: AuditPageRef,
    description: 'The audit log, newest first, one page (as GET /audit): any logged-in user.',
    extensions: level('login'),
    args: {
      targetType: t.arg.string(),
      targetId: t.arg.id(),
      targetLabel: t.arg.string(),
      user: t.arg.string(),
      action: t.arg({ type: AuditAction }),
      since: t.arg.string({ description: 'YYYY-MM-DD[ HH:MM:SS]' }),
      until: t.arg.string({ description: 'YYYY-MM-DD[ HH:MM:SS]' }),
      limit: t.arg.int(),
      offset: t.arg.int(),
    },
    resolve: (_root, a, ctx) => ctx.services.audit.list(restQuery(a) as AuditQuery),
  }),
}));
