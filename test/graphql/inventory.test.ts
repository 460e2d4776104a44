/**
 * Read queries over IP assets, hosts, projects, tags, ranges and audit answer what REST answers
 * for the same filters and paging, and a page costs a fixed number of SQL statements however
 * many rows it holds (batch loaders, no query per row). Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';
import { buildTestApp, type TestApp } from '../api/app.js';
import { gql, type GqlAnswer } from './client.js';

const PAGE = `query Page($limit: Int, $offset: Int, $q: String, $projectId: String, $type: [AssetType!], $tags: [String!], $tagMatch: TagMatch) {
  ipAssets(limit: $limit, offset: $offset, q: $q, projectId: $projectId, type: $type, tags: $tags, tagMatch: $tagMatch) {
    total totalExact
    items { id ipAddress type notes archived tags tagChips { name color } projectId project { name color ipCount } hostId host { name vendor } createdAt }
  }
}`;

interface RestAsset {
  id: number;
  ip_address: string;
  type: string;
  project_id: number | null;
  host_id: number | null;
  tags: string[];
}

describe(`GraphQL inventory reads (${DIALECT})`, () => {
  let t: TestApp;
  let projectIds: number[] = [];
  before(async () => {
    t = await buildTestApp();
    const s = servicesFor(t.db);
    const vendor = await s.vendors.create({ name: 'Dell' });
    projectIds = [];
    for (const name of ['core', 'edge', 'lab']) projectIds.push((await s.projects.create({ name, color: '#112233' })).id);
    const hostIds: number[] = [];
    for (let h = 0; h < 20; h++) hostIds.push((await s.hosts.create({ name: `srv-${h}`, vendor_id: h % 2 ? vendor.id : null })).id);
    for (const [name, color] of [['prod', '#aa0000'], ['db', '#00aa00'], ['web', '#0000aa']] as const) await s.tags.create({ name, color });
    for (let i = 0; i < 120; i++) {
      await s.assets.create({
        ip_address: `10.9.${Math.floor(i / 100)}.${(i % 100) + 1}`,
        type: (['VM', 'OS', 'BMC', 'VIP'] as const)[i % 4]!,
        project_id: i % 5 === 0 ? null : projectIds[i % 3],
        host_id: i % 4 === 1 || i % 4 === 2 ? hostIds[i % 20] : null,
        tags: [['prod'], ['db', 'prod'], [], ['web']][i % 4],
        notes: i % 7 === 0 ? `note ${i}` : null,
        auto_host: false,
      });
    }
    await s.ranges.create({ name: 'lab-net', cidr: '10.9.0.0/24' });
    await s.ranges.create({ name: 'lab-v6', cidr: '2001:db8::/64' });
  });
  after(() => t.cleanup());

  /** Runs fn and counts the SQL statements the app sends meanwhile (knex 'query' event). */
  async function statements(fn: () => Promise<unknown>): Promise<number> {
    let n = 0;
    const count = () => void n++;
    t.db.on('query', count);
    try {
      await fn();
    } finally {
      t.db.off('query', count);
    }
    return n;
  }

  test('a page of 100 assets with project, host and tags runs the same few statements as a page of 5', async () => {
    let page: GqlAnswer | undefined;
    const big = await statements(async () => (page = await gql(t.app, PAGE, { limit: 100 }, t.as.viewer)));
    assert.equal(page!.errors, undefined, page!.text);
    const items = (page!.data!.ipAssets as { items: { host: unknown; project: unknown; tagChips: unknown[] }[] }).items;
    assert.equal(items.length, 100);
    assert.ok(items.filter((i) => i.host).length > 40 && items.filter((i) => i.project).length > 70 && items.some((i) => i.tagChips.length === 2));
    const small = await statements(() => gql(t.app, PAGE, { limit: 5 }, t.as.viewer));
    // Token check and page ids, rows, count; then one statement each for projects, their usage, hosts, tag chips.
    assert.ok(big <= 10, `a page of 100 ran ${big} statements`);
    assert.equal(big, small, `100 rows: ${big} statements, 5 rows: ${small}`);
  });

  test('ipAssets pages and filters as GET /ip-assets does (same rows, order and total)', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ limit: 50, offset: 30 }, 'limit=50&offset=30'],
      [{ limit: 200, q: '10.9.1.0/24' }, 'limit=200&q=10.9.1.0/24'],
      [{ limit: 200, projectId: String(projectIds[1]) }, `limit=200&project_id=${projectIds[1]}`],
      [{ limit: 200, projectId: 'unassigned' }, 'limit=200&project_id=unassigned'],
      [{ limit: 200, type: ['BMC', 'VIP'] }, 'limit=200&type=BMC,VIP'],
      [{ limit: 200, tags: ['prod', 'db'], tagMatch: 'ALL' }, 'limit=200&tags=prod,db&tag_match=all'],
      [{ limit: 200, tags: ['prod'], tagMatch: 'NOT' }, 'limit=200&tags=prod&tag_match=not'],
      [{ limit: 200, q: 'note' }, 'limit=200&q=note'],
    ];
    for (const [vars, qs] of cases) {
      const g = await gql(t.app, PAGE, vars);
      assert.equal(g.errors, undefined, g.text);
      const rest = await request(t.app).get(`/ip-assets?${qs}`);
      assert.equal(rest.status, 200, rest.text);
      const page = g.data!.ipAssets as { total: number; items: { id: string; ipAddress: string; type: string; projectId: string | null; hostId: string | null; tags: string[] }[] };
      const restItems = rest.body as RestAsset[];
      assert.ok(restItems.length > 0, qs);
      assert.equal(page.total, Number(rest.headers['x-total-count']), qs);
      assert.deepEqual(
        page.items.map((i) => [Number(i.id), i.ipAddress, i.type, i.projectId && Number(i.projectId), i.hostId && Number(i.hostId), i.tags]),
        restItems.map((i) => [i.id, i.ip_address, i.type, i.project_id, i.host_id, i.tags]),
        qs,
      );
    }
  });

  test('an asset links to its project, host and coloured tags; ipAsset finds any spelling and null for none', async () => {
    const g = await gql(t.app, '{ a: ipAsset(ipAddress: "10.9.0.2") { ipAddress type tags tagChips { name color } project { name } host { name vendor } createdAt } b: ipAsset(ipAddress: "10.200.0.1") { id } }');
    assert.equal(g.errors, undefined, g.text);
    const a = g.data!.a as { tagChips: unknown; project: { name: string }; host: { name: string; vendor: string | null }; createdAt: string };
    assert.deepEqual(a.tagChips, [{ name: 'db', color: '#00aa00' }, { name: 'prod', color: '#aa0000' }]);
    assert.equal(a.project.name, 'edge');
    assert.deepEqual(a.host, { name: 'srv-1', vendor: 'Dell' });
    assert.match(a.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(g.data!.b, null);
  });

  test('hosts page and search as GET /hosts does; projects and tags carry their live usage', async () => {
    const g = await gql(t.app, '{ hosts(q: "srv-1", limit: 5, offset: 2, sort: NAME_DESC) { total items { host { id name vendor } osIps bmcIps ipCount projects { name } } } }');
    assert.equal(g.errors, undefined, g.text);
    const rest = await request(t.app).get('/hosts?q=srv-1&limit=5&offset=2&sort=-name');
    const page = g.data!.hosts as { total: number; items: { host: { id: string; name: string }; osIps: string[]; bmcIps: string[]; ipCount: number }[] };
    assert.equal(page.total, Number(rest.headers['x-total-count']));
    assert.deepEqual(
      page.items.map((i) => [Number(i.host.id), i.host.name, i.osIps, i.bmcIps, i.ipCount]),
      (rest.body as { id: number; name: string; os_ips: string[]; bmc_ips: string[]; ip_count: number }[]).map((h) => [h.id, h.name, h.os_ips, h.bmc_ips, h.ip_count]),
    );
    const cat = await gql(t.app, '{ projects { name ipCount } tags { name color ipCount } }');
    const live = async (where: (q: ReturnType<TestApp['db']>) => unknown) => {
      const q = t.db('ip_assets').where('archived', false);
      where(q);
      return Number(((await q.count({ n: '*' })) as [{ n: number }])[0].n);
    };
    assert.deepEqual(cat.data!.projects, [
      { name: 'core', ipCount: await live((q) => q.where('project_id', projectIds[0])) },
      { name: 'edge', ipCount: await live((q) => q.where('project_id', projectIds[1])) },
      { name: 'lab', ipCount: await live((q) => q.where('project_id', projectIds[2])) },
    ]);
    assert.deepEqual(cat.data!.tags, [
      { name: 'db', color: '#00aa00', ipCount: 30 },
      { name: 'prod', color: '#aa0000', ipCount: 60 },
      { name: 'web', color: '#0000aa', ipCount: 30 },
    ]);
  });

  test('ranges carry the utilization and nesting GET /ranges gives (IPv6 counts as decimal text)', async () => {
    const g = await gql(t.app, '{ ranges { id name cidr ipVersion parentId depth childIds utilization { total usable used free percent } } }');
    assert.equal(g.errors, undefined, g.text);
    const rest = (await request(t.app).get('/ranges')).body as { id: number; name: string; utilization: Record<string, number | string> }[];
    const ranges = g.data!.ranges as { id: string; name: string; utilization: Record<string, number | string> }[];
    assert.deepEqual(
      ranges.map((r) => [Number(r.id), r.name, r.utilization]),
      rest.map((r) => [r.id, r.name, { ...r.utilization, total: String(r.utilization.total), usable: String(r.utilization.usable), free: String(r.utilization.free) }]),
    );
    const lab = ranges.find((r) => r.name === 'lab-net')!;
    assert.deepEqual(lab.utilization, { total: '256', usable: '254', used: 100, free: '154', percent: 39.37 });
    assert.equal(ranges.find((r) => r.name === 'lab-v6')!.utilization.total, '18446744073709551616');
    const one = await gql(t.app, `{ range(id: "${lab.id}") { name utilization { used } } }`);
    assert.deepEqual(one.data, { range: { name: 'lab-net', utilization: { used: 100 } } });
  });

  test('the audit log filters and pages as GET /audit does', async () => {
    const g = await gql(t.app, '{ auditLog(targetType: "IP_ASSET", action: CREATE, limit: 7, offset: 3) { total items { id action targetType targetLabel username createdAt } } }', undefined, t.as.viewer);
    assert.equal(g.errors, undefined, g.text);
    const rest = await request(t.app).get('/audit?target_type=IP_ASSET&action=CREATE&limit=7&offset=3').set(t.as.viewer);
    const page = g.data!.auditLog as { total: number; items: { id: string; targetLabel: string; username: string }[] };
    assert.equal(page.total, 120);
    assert.equal(page.total, Number(rest.headers['x-total-count']));
    assert.deepEqual(
      page.items.map((i) => [Number(i.id), i.targetLabel, i.username]),
      (rest.body as { id: number; target_label: string; username: string }[]).map((e) => [e.id, e.target_label, e.username]),
    );
  });
});
