/** The devices query answers what the devices service lists, with its filters and paging, in a fixed number of statements. Both databases. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECT } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';
import { buildTestApp, type TestApp } from '../api/app.js';
import { codeOf, gql, type GqlAnswer } from './client.js';

const PAGE = `query($q: String, $kind: [String!], $limit: Int, $offset: Int, $archived: ArchivedDevices, $sort: String) {
  devices(q: $q, kind: $kind, limit: $limit, offset: $offset, archived: $archived, sort: $sort) { total totalExact items { id name kind serial macs tags project { name } createdAt } }
}`;

describe(`GraphQL devices (${DIALECT})`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    const s = servicesFor(t.db);
    const core = await s.projects.create({ name: 'core' });
    for (let i = 0; i < 40; i++) {
      await s.devices.create({ name: `dev-${String(i).padStart(2, '0')}`, kind: i % 2 ? 'laptop' : 'server', serial: `SN-${i}`, project_id: i % 3 ? core.id : null, tags: i % 4 ? [] : ['lab'], macs: [`AA-BB-CC-00-00-${String(i).padStart(2, '0')}`] });
    }
  });
  after(() => t.cleanup());

  test('pages and filters as the devices service lists them', async () => {
    const s = servicesFor(t.db);
    for (const [vars, query] of [
      [{ limit: 10, offset: 5 }, { limit: 10, offset: 5 }],
      [{ kind: ['laptop'], limit: 100 }, { kind: ['laptop'], limit: 100 }],
      [{ q: 'SN-1', limit: 100 }, { q: 'SN-1', limit: 100 }],
      [{ sort: '-name', limit: 3 }, { sort: '-name', limit: 3 }],
    ] as const) {
      const g = await gql(t.app, PAGE, vars);
      assert.equal(g.errors, undefined, g.text);
      const page = g.data!.devices as { total: number; items: { id: string; name: string; kind: string; macs: string[]; project: { name: string } | null }[] };
      const want = await s.devices.list(query as never);
      assert.ok(want.items.length > 0);
      assert.equal(page.total, want.total);
      assert.deepEqual(page.items.map((d) => [Number(d.id), d.name, d.kind, d.macs]), want.items.map((d) => [d.id, d.name, d.kind, d.macs]));
    }
  });

  test('a bad filter is a validation_error naming it', async () => {
    const g = await gql(t.app, PAGE, { kind: ['toaster'] });
    assert.equal(codeOf(g), 'validation_error', g.text);
    assert.equal(g.errors![0]!.extensions!.issues![0]!.loc.slice(0, 2).join('.'), 'query.kind');
  });

  test('a page of 40 devices with their projects runs as many statements as a page of 2', async () => {
    const run = async (limit: number) => {
      let n = 0;
      const count = () => void n++;
      let g: GqlAnswer | undefined;
      t.db.on('query', count);
      try {
        g = await gql(t.app, PAGE, { limit });
      } finally {
        t.db.off('query', count);
      }
      assert.equal(g.errors, undefined, g.text);
      assert.equal((g.data!.devices as { items: unknown[] }).items.length, limit);
      return n;
    };
    const big = await run(40);
    assert.equal(big, await run(2));
    assert.ok(big <= 12, `${big} statements`);
  });
});
