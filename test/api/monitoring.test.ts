import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { openApiPath } from '../../src/api/route-table.js';
import { sdTargetChunks } from '../../src/services/sd-targets.js';
import { buildTestApp, mountedRoutes, PANEL_ROUTES, type TestApp } from './app.js';

async function seed(t: TestApp): Promise<void> {
  const ed = t.as.editor;
  const web = (await request(t.app).post('/projects').set(ed).send({ name: 'web' })).body.id;
  const db = (await request(t.app).post('/projects').set(ed).send({ name: 'db' })).body.id;
  const rows: [string, string, number | null][] = [
    ['10.0.0.2', 'VM', web],
    ['10.0.0.10', 'VM', web],
    ['10.0.0.3', 'OS', db],
    ['2001:db8::1', 'VM', db],
    ['10.0.0.4', 'VIP', null],
  ];
  for (const [ip, type, project_id] of rows) await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, type, project_id, auto_host: false });
  await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.9', type: 'VM', project_id: web });
  await request(t.app).post('/ip-assets/10.0.0.9/archive').set(ed);
  await request(t.app).post('/ranges').set(ed).send({ name: 'lan', cidr: '10.0.0.0/24' });
}

describe('/sd/node', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await seed(t);
  });
  after(() => t.cleanup());

  test('default: one group of every active asset, labels "multiple" when mixed, IPv6 bracketed, application/json', async () => {
    const res = await request(t.app).get('/sd/node');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(res.text), [
      { targets: ['10.0.0.2:9100', '10.0.0.3:9100', '10.0.0.4:9100', '10.0.0.10:9100', '[2001:db8::1]:9100'], labels: { project: 'multiple', type: 'multiple' } },
    ]);
  });

  test('group_by=project: one group per project by name, "unassigned" for none', async () => {
    const res = await request(t.app).get('/sd/node?group_by=project&port=9182');
    assert.deepEqual(res.body, [
      { targets: ['10.0.0.3:9182', '[2001:db8::1]:9182'], labels: { project: 'db', type: 'multiple' } },
      { targets: ['10.0.0.4:9182'], labels: { project: 'unassigned', type: 'VIP' } },
      { targets: ['10.0.0.2:9182', '10.0.0.10:9182'], labels: { project: 'web', type: 'VM' } },
    ]);
  });

  test('filters: only_assigned, project names, type repeated or comma-separated', async () => {
    assert.deepEqual((await request(t.app).get('/sd/node?only_assigned=1')).body[0].targets.length, 4);
    assert.deepEqual((await request(t.app).get('/sd/node?project=web')).body, [{ targets: ['10.0.0.2:9100', '10.0.0.10:9100'], labels: { project: 'web', type: 'VM' } }]);
    assert.deepEqual((await request(t.app).get('/sd/node?project=web,db&type=OS')).body, [{ targets: ['10.0.0.3:9100'], labels: { project: 'db', type: 'OS' } }]);
    assert.equal((await request(t.app).get('/sd/node?type=OS&type=vip')).body[0].targets.length, 2);
    assert.deepEqual((await request(t.app).get('/sd/node?project=nope')).body, []);
    assert.deepEqual((await request(t.app).get('/sd/node?type=BMC&group_by=project')).body, []);
  });

  test('batches join seamlessly (keyset per family, labels over every batch)', async () => {
    const filter = { onlyAssigned: false, projects: [], types: [] };
    const chunks = [];
    for await (const batch of sdTargetChunks(t.db, filter, null, 9100, { batchSize: 2 })) chunks.push(...batch);
    assert.deepEqual(chunks.map((c) => c.count), [2, 2, 1]);
    assert.equal(chunks.map((c) => c.targets).join(','), '"10.0.0.2:9100","10.0.0.3:9100","10.0.0.4:9100","10.0.0.10:9100","[2001:db8::1]:9100"');
    const grouped = [];
    for await (const batch of sdTargetChunks(t.db, filter, null, 9100, { batchSize: 3, byProject: true })) grouped.push(batch.map((c) => [c.projectMin, c.targets]));
    // IPv4 batches [.2 web, .3 db, .4 unassigned] and [.10 web]; then the IPv6 one [db].
    assert.deepEqual(grouped.map((b) => b.length), [3, 1, 1]);
    const web = Number((await request(t.app).get('/projects')).body.find((p: { name: string }) => p.name === 'web').id);
    assert.deepEqual(grouped[1], [[web, '"10.0.0.10:9100"']]);
    assert.deepEqual(grouped[0]!.map((g) => g[0]).sort(), [0, web, web + 1].sort());
  });

  test('bad parameters → 422', async () => {
    for (const qs of ['port=0', 'port=70000', 'port=abc', 'group_by=type', 'type=ROUTER', 'only_assigned=maybe']) {
      const res = await request(t.app).get(`/sd/node?${qs}`);
      assert.equal(res.status, 422, qs);
    }
  });
});

describe('/sd/node with IPOCKET_SD_TOKEN', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ IPOCKET_SD_TOKEN: 's3cret' });
  });
  after(() => t.cleanup());

  test('needs X-SD-Token: missing or wrong → 401, right → 200', async () => {
    assert.deepEqual([(await request(t.app).get('/sd/node')).status, (await request(t.app).get('/sd/node')).body], [401, { detail: 'Unauthorized' }]);
    assert.equal((await request(t.app).get('/sd/node').set('X-SD-Token', 'wrong')).status, 401);
    assert.equal((await request(t.app).get('/sd/node').set('X-SD-Token', 's3cret')).status, 200);
  });
});

describe('/metrics', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await seed(t);
  });
  after(() => t.cleanup());

  const value = (text: string, series: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    return line ? Number(line.slice(series.length + 1)) : undefined;
  };

  test('the original gauges, per project/type and per range gauges, HTTP histogram, process metrics', async () => {
    await request(t.app).get('/ip-assets?limit=1');
    const res = await request(t.app).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    const m = res.text;
    assert.equal(value(m, 'ipam_ip_total'), 6, 'archived included, as the original counts');
    assert.equal(value(m, 'ipam_ip_archived_total'), 1);
    assert.equal(value(m, 'ipam_ip_unassigned_project_total'), 1);
    assert.equal(value(m, 'ipocket_ip_assets{project="web",type="VM"}'), 2);
    assert.equal(value(m, 'ipocket_ip_assets{project="db",type="OS"}'), 1);
    assert.equal(value(m, 'ipocket_ip_assets{project="unassigned",type="VIP"}'), 1);
    assert.equal(value(m, 'ipocket_range_used_addresses{range="lan",cidr="10.0.0.0/24"}'), 4);
    assert.equal(value(m, 'ipocket_range_usable_addresses{range="lan",cidr="10.0.0.0/24"}'), 254);
    assert.ok(Math.abs(value(m, 'ipocket_range_utilization_ratio{range="lan",cidr="10.0.0.0/24"}')! - 4 / 254) < 0.0002);
    assert.match(m, /ipocket_http_request_duration_seconds_count\{method="GET",route="\/ip-assets",status="200"\} \d+/);
    assert.match(m, /^process_cpu_user_seconds_total /m);
    assert.match(m, /^nodejs_heap_size_used_bytes /m);
  });

  test('a write through the API is visible at the next scrape', async () => {
    await request(t.app).get('/metrics');
    await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.0.0.77', type: 'OTHER' });
    const m = (await request(t.app).get('/metrics')).text;
    assert.equal(value(m, 'ipam_ip_total'), 7);
    assert.equal(value(m, 'ipocket_ip_assets{project="unassigned",type="OTHER"}'), 1);
  });

  test('route labels are patterns, not raw paths', async () => {
    await request(t.app).get('/ip-assets/10.0.0.2');
    const m = (await request(t.app).get('/metrics')).text;
    assert.match(m, /route="\/ip-assets\/:ip"/);
    assert.doesNotMatch(m, /route="\/ip-assets\/10\.0\.0\.2"/);
  });
});

describe('/openapi.json and /docs', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  test('OpenAPI 3.1 document with every route, bodies from the zod schemas', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    const post = doc.paths['/ip-assets'].post;
    assert.deepEqual(post.requestBody.content['application/json'].schema.required.sort(), ['ip_address', 'type']);
    assert.equal(post.requestBody.content['application/json'].schema.additionalProperties, false);
    assert.ok(post.responses['409'] && post.responses['403'] && post.responses['401']);
    assert.ok(doc.paths['/ip-assets'].get.parameters.some((p: { name: string }) => p.name === 'unassigned-only'));
    assert.ok(doc.paths['/ranges/{id}/utilization'].get);
    assert.ok(doc.paths['/sd/node'].get.parameters.some((p: { name: string }) => p.name === 'group_by'));
  });

  test('/openapi.json lists every endpoint the app serves outside the panel (walked from the mounted routers)', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const { routes } = mountedRoutes(t.app);
    const missing = routes
      .filter((k) => !PANEL_ROUTES.has(k))
      .filter((k) => {
        const [method, path] = k.split(' ') as [string, string];
        return !doc.paths[openApiPath(path)]?.[method.toLowerCase()];
      });
    assert.deepEqual(missing, []);
    assert.ok(routes.length > 60, `walked ${routes.length} routes`);
  });

  test('uploads, streams and the connector routes are documented with their request and response shapes', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body;
    const imp = doc.paths['/import/{plugin}'].post;
    assert.ok(imp.requestBody.content['multipart/form-data'] && imp.requestBody.content['text/csv'] && imp.requestBody.content['application/zip']);
    assert.ok(imp.responses['413'] && imp.responses['415'] && imp.responses['429'] && imp.responses['403']);
    assert.ok(imp.parameters.some((p: { name: string; schema: { enum?: string[] } }) => p.name === 'plugin' && p.schema.enum?.includes('csv')));
    assert.ok(imp.parameters.some((p: { name: string }) => p.name === 'dry_run'));
    const exp = doc.paths['/export/{file}'].get;
    assert.deepEqual(Object.keys(exp.responses['200'].content).sort(), ['application/json', 'application/zip', 'text/csv']);
    assert.ok(exp.parameters.some((p: { name: string; schema: { enum?: string[] } }) => p.name === 'file' && p.schema.enum?.includes('bundle.zip')));
    const create = doc.paths['/connectors/configs'].post;
    assert.ok(create.requestBody.content['application/json'].schema.required.includes('plugin'));
    assert.ok(doc.paths['/connectors/configs/{id}/run'].post.responses['502']);
    assert.ok(doc.paths['/static/samples/{file}'].get && doc.paths['/openapi.json'].get);
  });

  test('/docs is served offline: the page and its swagger-ui assets come from this server', async () => {
    const page = await request(t.app).get('/docs');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /https?:\/\//);
    for (const src of [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)) {
      assert.equal((await request(t.app).get(src)).status, 200, src);
    }
  });
});
