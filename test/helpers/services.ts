import type { Knex } from 'knex';
import { AssetsService } from '../../src/services/assets/service.js';
import { AuditService } from '../../src/services/audit.js';
import type { Actor } from '../../src/services/context.js';
import { HostsService } from '../../src/services/hosts.js';
import { ProjectsService } from '../../src/services/projects.js';
import { RangesService } from '../../src/services/ranges/service.js';
import { TagsService } from '../../src/services/tags.js';
import { UsersService } from '../../src/services/users.js';
import { VendorsService } from '../../src/services/vendors.js';

export const EDITOR: Actor = { userId: null, username: 'tester', role: 'editor' };

/** Every service bound to one database and actor, as a request handler would build them. */
export function servicesFor(db: Knex, actor: Actor = EDITOR) {
  const ctx = { db, actor };
  return {
    assets: new AssetsService(ctx, { autoHostForBmc: true }),
    audit: new AuditService(ctx),
    hosts: new HostsService(ctx),
    projects: new ProjectsService(ctx),
    ranges: new RangesService(ctx),
    tags: new TagsService(ctx),
    users: new UsersService(ctx),
    vendors: new VendorsService(ctx),
  };
}
