/**
 * The panel's action × role matrix, generated from the AdminJS resources the panel is built from:
 * every action of every resource (built-in and custom) is called through AdminJS's API routes with
 * a panel session of each role, and anonymously. Allowed: a 2xx and the effect in the database.
 * Refused: the refusal (403; anonymous: the redirect to the login page) and nothing changed.
 * A resource or action that is not in EXPECTED fails the first test, so a new one is covered.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { panelOptions } from '../../src/admin/options.js';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { buildApp } from '../../src/server.js';
import type { Role } from '../../src/services/context.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

type Caller = 'anonymous' | Role;
const CALLERS: readonly Caller[] = ['anonymous', 'viewer', 'editor', 'superuser'];
const ALL: readonly Role[] = ['viewer', 'editor', 'superuser'];
const EDITOR: readonly Role[] = ['editor'];
const SUPERUSER: readonly Role[] = ['superuser'];
const NOBODY: readonly Role[] = [];

const inventory = { list: ALL, search: ALL, show: ALL, new: EDITOR, edit: EDITOR, delete: EDITOR, bulkDelete: EDITOR };

/** Who may run each action of each resource: the expected policy (README "Roles"), written out. */
const EXPECTED: Record<string, Record<string, readonly Role[]>> = {
  ip_assets: { ...inventory, archive: EDITOR },
  hosts: inventory,
  ranges: { ...inventory, addresses: ALL },
  projects: inventory,
  tags: inventory,
  vendors: inventory,
  users: { list: SUPERUSER, search: SUPERUSER, show: SUPERUSER, new: SUPERUSER, edit: SUPERUSER, delete: SUPERUSER, bulkDelete: SUPERUSER },
  audit_log: { list: ALL, search: ALL, show: ALL, new: NOBODY, edit: NOBODY, delete: NOBODY, bulkDelete: NOBODY },
  // Issue 14: workspaces over the REST API (which checks their writes); AdminJS itself writes nothing.
  devices: { list: ALL, search: ALL, show: ALL, new: NOBODY, edit: NOBODY, delete: NOBODY, bulkDelete: NOBODY },
  owners: { list: ALL, search: ALL, show: ALL, new: NOBODY, edit: NOBODY, delete: NOBODY, bulkDelete: NOBODY },
  custom_fields: { list: ALL, search: ALL, show: ALL, new: NOBODY, edit: NOBODY, delete: NOBODY, bulkDelete: NOBODY },
};

/** The panel's pages (AdminJS `pages` and the dashboard): any logged-in role, no writes through a GET. */
const PAGES: Record<string, readonly Role[]> = {
  dashboard: ALL,
  'data-ops': ALL,
  connectors: ALL,
  'change-password': ALL,
  // Static IP pools (issue 19): read pages for everyone; their writes are the REST API's (editors).
  'ip-pools': ALL,
  'pool-dashboard': ALL,
  'ip-conflicts': ALL,
  // Device changes (issue 14): reads GET /device-changes, a reader's route.
  'device-changes': ALL,
  // Reconciliation report (issue 15): read for everyone; Add/Archive are the REST API's (editors).
  reconciliation: ALL,
  // NetBox sync (issue 16): a read page; its writes are the REST API's (editors).
  'netbox-sync': ALL,
};

const PASSWORD = 'matrix-pass-1';
let tdb: TestDb;
let app: Express;
let config: AppConfig;
let serial = 0;
const system = () => servicesFor(tdb.db, { userId: null, username: 'system', role: 'superuser' });
const editor = () => servicesFor(tdb.db, { userId: null, username: 'system', role: 'editor' });

/** How to make a record, what a "new" form sends and which field an "edit" changes, per resource. */
interface Fixture {
  table: string;
  make(): Promise<number>;
  form(): Record<string, string>;
  edit: string;
}

const FIXTURES: Record<string, Fixture> = {
  ip_assets: {
    table: 'ip_assets',
    make: async () => (await editor().assets.create({ ip_address: `10.99.${Math.floor(++serial / 250)}.${(serial % 250) + 1}`, type: 'VM' })).id,
    form: () => ({ ip_address: `10.98.${Math.floor(++serial / 250)}.${(serial % 250) + 1}`, type: 'VM' }),
    edit: 'notes',
  },
  hosts: { table: 'hosts', make: async () => (await editor().hosts.create({ name: `host-${++serial}` })).id, form: () => ({ name: `new-host-${++serial}` }), edit: 'notes' },
  ranges: {
    table: 'ranges',
    make: async () => (await editor().ranges.create({ name: `range-${++serial}`, cidr: `10.${100 + (serial % 100)}.${serial % 250}.0/24` })).id,
    form: () => ({ name: `new-range-${++serial}`, cidr: `172.16.${serial % 250}.0/24` }),
    edit: 'notes',
  },
  projects: { table: 'projects', make: async () => (await editor().projects.create({ name: `project-${++serial}` })).id, form: () => ({ name: `new-project-${++serial}` }), edit: 'name' },
  tags: { table: 'tags', make: async () => (await editor().tags.create({ name: `tag-${++serial}` })).id, form: () => ({ name: `new-tag-${++serial}` }), edit: 'name' },
  vendors: { table: 'vendors', make: async () => (await editor().vendors.create({ name: `vendor-${++serial}` })).id, form: () => ({ name: `new-vendor-${++serial}` }), edit: 'name' },
  users: {
    table: 'users',
    make: async () => (await system().users.create({ username: `user-${++serial}`, password: PASSWORD, role: 'viewer' })).id,
    form: () => ({ username: `new-user-${++serial}`, password: PASSWORD, role: 'viewer' }),
    edit: 'username',
  },
  audit_log: {
    table: 'audit_log',
    make: async () => {
      await editor().tags.create({ name: `audited-${++serial}` });
      const row = (await tdb.db('audit_log').max({ id: 'id' }).first()) as { id: number | string };
      return Number(row.id);
    },
    form: () => ({ target_label: `forged-${++serial}`, action: 'CREATE', target_type: 'TAG' }),
    edit: 'target_label',
  },
  devices: { table: 'hosts', make: async () => (await editor().devices.create({ name: `device-${++serial}`, kind: 'server' })).id, form: () => ({ name: `new-device-${++serial}` }), edit: 'name' },
  owners: { table: 'owners', make: async () => (await editor().owners.create({ full_name: `Owner ${++serial}`, email: `owner-${serial}@example.test` })).id, form: () => ({ full_name: `New ${++serial}`, email: `new-${serial}@example.test` }), edit: 'full_name' },
  custom_fields: { table: 'custom_fields', make: async () => (await system().customFields.create({ key: `field_${++serial}`, label: `Field ${serial}`, type: 'text' })).id, form: () => ({ key: `new_field_${++serial}`, label: 'New', type: 'text' }), edit: 'label' },
};

async function count(db: Knex, table: string): Promise<number> {
  const [row] = (await db(table).count({ n: '*' })) as { n: number | string }[];
  return Number(row?.n ?? 0);
}

async function row(table: string, id: number): Promise<Record<string, unknown> | undefined> {
  return (await tdb.db(table).where({ id }).first()) as Record<string, unknown> | undefined;
}

/** Every resource and its actions (name → record/resource/bulk), from an AdminJS built with the panel's own options. */
async function panelActions(deps: { config: AppConfig; db: Knex }): Promise<Map<string, Map<string, string>>> {
  const { default: AdminJS } = await import('adminjs');
  const admin = new AdminJS(panelOptions(deps));
  const out = new Map<string, Map<string, string>>();
  for (const resource of admin.resources) {
    const decorated = resource.decorate();
    out.set(decorated.id(), new Map(Object.values(decorated.actions).map((a) => [a.name, a.isBulkType() ? 'bulk' : a.isRecordType() ? 'record' : 'resource'])));
  }
  return out;
}

type Agent = ReturnType<typeof request.agent>;

describe('panel action × role matrix (generated from the AdminJS resources)', () => {
  const agents = {} as Record<Caller, Agent>;
  let actions: Map<string, Map<string, string>>;

  before(async () => {
    tdb = await createTestDb();
    for (const role of ALL) await system().users.create({ username: `panel-${role}`, password: PASSWORD, role });
    config = loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-matrix-')), SESSION_SECRET: 'm'.repeat(40) });
    app = await buildApp({ config, db: tdb.db });
    agents.anonymous = request.agent(app);
    for (const role of ALL) {
      agents[role] = request.agent(app);
      assert.equal((await agents[role].post('/ui/login').type('form').send({ username: `panel-${role}`, password: PASSWORD })).status, 302);
    }
    // The panel registered its knex adapter while loading (the logins waited for it).
    actions = await panelActions({ config, db: tdb.db });
  });
  after(() => tdb.cleanup());

  test('EXPECTED names every resource and action the panel has, and nothing else', () => {
    const seen = Object.fromEntries([...actions].map(([r, acts]) => [r, [...acts.keys()].sort()]));
    const expected = Object.fromEntries(Object.entries(EXPECTED).map(([r, acts]) => [r, Object.keys(acts).sort()]));
    assert.deepEqual(seen, expected);
    assert.deepEqual(Object.keys(FIXTURES).sort(), Object.keys(EXPECTED).sort());
  });

  test('PAGES names every page the panel has', () => {
    assert.deepEqual(['dashboard', ...Object.keys(panelOptions({ config, db: tdb.db }).pages ?? {})].sort(), Object.keys(PAGES).sort());
  });

  for (const [page, roles] of Object.entries(PAGES)) {
    for (const who of CALLERS) {
      const allowed = who !== 'anonymous' && roles.includes(who);
      test(`page ${page} as ${who} → ${allowed ? 'allowed' : 'refused'}`, async () => {
        const res = await agents[who].get(page === 'dashboard' ? '/ui/api/dashboard' : `/ui/api/pages/${page}`);
        if (!allowed) {
          assert.equal(res.status, who === 'anonymous' ? 302 : 403, `${res.status} ${res.text.slice(0, 200)}`);
          return;
        }
        assert.equal(res.status, 200, res.text.slice(0, 300));
        assert.equal(typeof res.body, 'object');
        // The pages that tell the client what it may do say the caller's own role (re-read per request).
        if (page === 'data-ops' || page === 'connectors') assert.equal(res.body.role, who);
      });
    }
  }

  for (const [resource, policy] of Object.entries(EXPECTED)) {
    for (const [action, roles] of Object.entries(policy)) {
      for (const who of CALLERS) {
        const allowed = who !== 'anonymous' && roles.includes(who);
        test(`${resource}.${action} as ${who} → ${allowed ? 'allowed' : 'refused'}`, async () => {
          const type = actions.get(resource)?.get(action);
          assert.ok(type, `${resource}.${action} exists`);
          await exercise(agents[who], resource, action, type, allowed, who);
        });
      }
    }
  }
});

/** Calls one action as the caller and checks the answer and the database. */
async function exercise(agent: Agent, resource: string, action: string, type: string, allowed: boolean, who: Caller): Promise<void> {
  const fx = FIXTURES[resource]!;
  const base = `/ui/api/resources/${resource}`;
  const refusedAs = (res: request.Response): void => {
    if (who === 'anonymous') {
      assert.equal(res.status, 302, `${res.status} ${res.text.slice(0, 200)}`);
      assert.match(String(res.headers.location), /\/ui\/login$/);
    } else {
      assert.equal(res.status, 403, `${res.status} ${res.text.slice(0, 200)}`);
      assert.equal(res.body.notice?.type, 'error');
    }
  };
  const ok = (res: request.Response): void => {
    assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${res.text.slice(0, 300)}`);
    assert.notEqual(res.body.notice?.type, 'error', JSON.stringify(res.body.notice));
  };

  if (type === 'bulk') {
    const ids = [await fx.make(), await fx.make()];
    const res = await agent.post(`${base}/bulk/${action}?recordIds=${ids.join(',')}`);
    if (!allowed) {
      refusedAs(res);
      for (const id of ids) assert.ok(await row(fx.table, id), 'nothing was deleted');
      return;
    }
    ok(res);
    for (const id of ids) assert.equal(await row(fx.table, id), undefined, `${action} deleted ${id}`);
    return;
  }

  if (type === 'record') {
    const id = await fx.make();
    const before = await row(fx.table, id);
    const url = `${base}/records/${id}/${action}`;
    if (action === 'show' || action === 'addresses') {
      const res = await agent.get(url);
      if (!allowed) return refusedAs(res);
      ok(res);
      assert.equal(String(res.body.record?.id), String(id));
      return;
    }
    const value = `edited-${++serial}`;
    const res = action === 'edit' ? await agent.post(url).type('form').send({ [fx.edit]: value }) : await agent.post(url);
    const now = await row(fx.table, id);
    if (!allowed) {
      refusedAs(res);
      assert.deepEqual(now, before, 'nothing changed');
      return;
    }
    ok(res);
    if (action === 'edit') assert.equal(now?.[fx.edit], value);
    else if (action === 'delete') assert.equal(now, undefined);
    else if (action === 'archive') assert.ok(now?.archived === true || now?.archived === 1, `archived: ${String(now?.archived)}`);
    else assert.fail(`no effect check for record action ${resource}.${action}: add one`);
    return;
  }

  // Resource actions: list, search, new (and any custom one, which needs its own effect check).
  const before = await count(tdb.db, fx.table);
  if (action === 'list' || action === 'search') {
    await fx.make();
    const res = await agent.get(`${base}/actions/${action}`);
    if (!allowed) return refusedAs(res);
    ok(res);
    assert.ok(Array.isArray(res.body.records) && res.body.records.length > 0, `${action} answers records`);
    return;
  }
  if (action === 'new') {
    const res = await agent.post(`${base}/actions/new`).type('form').send(fx.form());
    const after = await count(tdb.db, fx.table);
    if (!allowed) {
      refusedAs(res);
      assert.equal(after, before, 'nothing was created');
      return;
    }
    ok(res);
    assert.deepEqual(res.body.record?.errors ?? {}, {});
    assert.equal(after, before + 1, 'one record was created');
    return;
  }
  assert.fail(`no check for resource action ${resource}.${action}: add one`);
}
