import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, PASSWORD, type TestApp } from './app.js';

/**
 * One reader of the search box and one "live asset" scope: an address, a CIDR, the start of an
 * address or a bare word means the same set of IPs in the REST list, the range drill-down (over
 * ranges covering every address) and the panel's list action (its AdminJS API route).
 */
describe(`address search means the same everywhere (${DIALECT})`, () => {
  let t: TestApp;
  let panel: ReturnType<typeof request.agent>;
  let everywhere: number[];
  const sorted = (ips: string[]): string[] => [...new Set(ips)].sort();

  before(async () => {
    t = await buildTestApp();
    const ed = t.as.editor;
    const web = (await request(t.app).post('/hosts').set(ed).send({ name: 'web-01' })).body as { id: number };
    for (const [ip, extra] of [
      ['10.0.0.1', {}],
      ['10.0.0.77', { notes: 'edge 5' }],
      ['10.0.1.5', { type: 'OS', host_id: web.id }],
      ['10.0.0.200', {}],
      ['110.0.0.9', { notes: 'not in 10.0.' }],
      ['10.5.0.1', {}],
      ['::1', {}],
      ['2001:db8::5', {}],
      ['2001:db8::1:0:0:1', { notes: 'webhook' }],
      ['2001:db8:0:1::1', {}],
    ] as const) {
      const res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, type: 'VM', ...extra });
      assert.equal(res.status, 200, res.text);
    }
    // Archived: never found by a default search anywhere.
    for (const ip of ['10.0.0.200', '2001:db8::5']) assert.equal((await request(t.app).post(`/ip-assets/${encodeURIComponent(ip)}/archive`).set(ed)).status, 204);
    everywhere = [];
    for (const cidr of ['0.0.0.0/0', '::/0']) everywhere.push(((await request(t.app).post('/ranges').set(ed).send({ name: `all ${cidr}`, cidr })).body as { id: number }).id);
    panel = request.agent(t.app);
    assert.equal((await panel.post('/ui/login').type('form').send({ username: 'viewer1', password: PASSWORD })).status, 302);
  });
  after(() => t.cleanup());

  async function rest(q: string): Promise<string[]> {
    const res = await request(t.app).get('/ip-assets').query({ q, limit: 500 });
    assert.equal(res.status, 200, res.text);
    return sorted((res.body as { ip_address: string }[]).map((a) => a.ip_address));
  }
  async function drillDown(q: string): Promise<string[]> {
    const out: string[] = [];
    for (const id of everywhere) {
      const res = await request(t.app).get(`/ranges/${id}/addresses`).query({ q, status: 'used', limit: 1000 });
      assert.equal(res.status, 200, res.text);
      out.push(...(res.body as { items: { ip_address: string }[] }).items.map((i) => i.ip_address));
    }
    return sorted(out);
  }
  async function panelList(q: string): Promise<string[]> {
    const res = await panel.get('/ui/api/resources/ip_assets/actions/list').query({ 'filters.ip_address': q, perPage: 500 });
    assert.equal(res.status, 200, res.text);
    return sorted((res.body as { records: { params: { ip_address: string } }[] }).records.map((r) => r.params.ip_address));
  }

  const CASES: [string, string[]][] = [
    ['10.0.0.0/24', ['10.0.0.1', '10.0.0.77']],
    ['10.0.', ['10.0.0.1', '10.0.0.77', '10.0.1.5']],
    ['::1', ['::1']],
    ['2001:db8::/64', ['2001:db8::1:0:0:1']],
    ['web', ['10.0.1.5', '2001:db8::1:0:0:1']],
    ['77', ['10.0.0.77']],
    ['5', ['10.0.0.77', '10.0.1.5', '10.5.0.1']],
  ];
  for (const [q, want] of CASES) {
    test(`"${q}" finds the same live IPs in the REST list, the drill-down and the panel list`, async () => {
      assert.deepEqual(await rest(q), sorted(want), 'REST list');
      assert.deepEqual(await drillDown(q), sorted(want), 'range drill-down');
      assert.deepEqual(await panelList(q), sorted(want), 'panel list action');
    });
  }
});
