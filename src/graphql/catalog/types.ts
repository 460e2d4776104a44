import type { AuditEntry } from '../../services/audit.js';
import type { Host, HostSummary } from '../../services/hosts.js';
import type { Project } from '../../services/projects.js';
import type { Tag } from '../../services/tags.js';
import { builder } from '../builder.js';

export const ProjectRef = builder.objectRef<Project>('Project').implement({
  description: 'A project owns IP assets.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    color: t.exposeString('color'),
    ipCount: t.int({ description: 'Live IP assets assigned to it.', resolve: (p, _args, ctx) => ctx.loaders.projectUsage.load(Number(p.id)) }),
  }),
});

export const TagRef = builder.objectRef<Tag>('Tag').implement({
  description: 'A label on IP assets.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    color: t.exposeString('color'),
    ipCount: t.int({ description: 'Live IP assets carrying it.', resolve: (tag, _args, ctx) => ctx.loaders.tagUsage.load(Number(tag.id)) }),
  }),
});

/** A host as an asset links to it; the list adds its addresses (HostListItem). */
export const HostRef = builder.objectRef<Host>('Host').implement({
  description: 'A server or device that carries IP assets.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    notes: t.exposeString('notes', { nullable: true }),
    vendorId: t.exposeID('vendor_id', { nullable: true }),
    vendor: t.exposeString('vendor', { nullable: true, description: "The vendor's name." }),
  }),
});

export const HostListItemRef = builder.objectRef<HostSummary>('HostListItem').implement({
  description: 'A host in the list: the host and the live addresses linked to it.',
  fields: (t) => ({
    host: t.field({ type: HostRef, resolve: (h) => h }),
    osIps: t.exposeStringList('os_ips'),
    bmcIps: t.exposeStringList('bmc_ips'),
    ipCount: t.exposeInt('ip_count'),
    projects: t.field({
      type: [ProjectRef],
      description: 'The projects of its live addresses.',
      resolve: async (h, _args, ctx) => (await ctx.loaders.project.loadMany(h.project_ids)).filter((p): p is Project => !!p && !(p instanceof Error)),
    }),
  }),
});

export const HostPageRef = builder.objectRef<{ items: HostSummary[]; total: number }>('HostPage').implement({
  fields: (t) => ({ items: t.expose('items', { type: [HostListItemRef] }), total: t.exposeInt('total') }),
});

const AuditRunRef = builder.objectRef<NonNullable<AuditEntry['run']>>('AuditRun').implement({
  description: 'The import or connector run that made a change.',
  fields: (t) => ({ id: t.exposeID('id'), plugin: t.exposeString('plugin'), source: t.exposeString('source', { nullable: true }) }),
});

export const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('user_id', { nullable: true }),
    username: t.exposeString('username', { nullable: true }),
    targetType: t.exposeString('target_type'),
    targetId: t.exposeID('target_id', { nullable: true }),
    targetLabel: t.exposeString('target_label', { nullable: true }),
    action: t.exposeString('action'),
    changes: t.exposeString('changes', { nullable: true }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    run: t.expose('run', { type: AuditRunRef, nullable: true }),
  }),
});

export const AuditPageRef = builder.objectRef<{ items: AuditEntry[]; total: number }>('AuditPage').implement({
  fields: (t) => ({ items: t.expose('items', { type: [AuditEntryRef] }), total: t.exposeInt('total') }),
});
