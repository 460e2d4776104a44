/**
 * GET /reconciliation (issue 15) on both databases: unknown (archived, seen within days),
 * reclaimable (in inventory, not seen for days), mismatch (IP of one project on a device of
 * another), per range and overall, paged in address order; counts in the answer and in /metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { formatTimestamp } from '../../src/domain/time.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

interface Answer {
  kind: string;
  total: number;
  page: number;
  items: { ip_address: string; project_name: string | null; host_name: string | null; host_project_name: string | null; archived: boolean }[];
  counts: Record<string, number>;
}

describe(`reconciliation report over REST (${DIALECT})`, () => {
  let t: TestApp;
  let lab = 0;
  const daysAgo = (d: number) => formatTimestamp(new Date(Date.now() - d * 86_400_000));
  before(async () => {
    t = await buildTestApp();
    const ed = t.as.editor;
    const made = async (path: string, body: object): Promise<number> => {
      const res = await request(t.app).post(path).set(ed).send(body);
      assert.ok(res.status < 300, `${path} ${res.status} ${res.text}`);
      return (res.body as { id: number }).id;
    };
    const red = await made('/projects', { name: 'red' });
    const blue = await made('/projects', { name: 'blue' });
    lab = await made('/ranges', { name: 'lab', cidr: '10.9.0.0/24' });
    const web = await made('/hosts', { name: 'web-1' });
    await t.db('hosts').where({ id: web }).update({ project_id: red });
    const seen = async (ip: string, when: string | null, extra: object = {}, archived = false) => {
      assert.equal((await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, type: 'OS', ...extra })).status, 200);
      if (archived) assert.equal((await request(t.app).post(`/ip-assets/${ip}/archive`).set(ed)).status, 204);
      await t.db('ip_assets').where({ ip_address: ip }).update({ last_seen_at: when });
    };
    // unknown: archived, seen 2 days ago (in lab) and 1 day ago (outside); .7 seen 40 days ago is too old.
    await seen('10.9.0.5', daysAgo(2), {}, true);
    await seen('192.0.2.5', daysAgo(1), {}, true);
    await seen('10.9.0.7', daysAgo(40), {}, true);
    // reclaimable: active, last seen 45 and 31 days ago; .20 seen today and .21 never seen are not.
    await seen('10.9.0.10', daysAgo(45));
    await seen('10.9.0.11', daysAgo(31));
    await seen('10.9.0.20', daysAgo(0));
    await seen('10.9.0.21', null);
    // mismatch: a blue address on red's web-1; a red one on it is fine.
    await seen('10.9.0.30', daysAgo(0), { project_id: blue, host_id: web });
    await seen('10.9.0.31', daysAgo(0), { project_id: red, host_id: web });
  });
  after(() => t.cleanup());

  const report = async (qs: string) => {
    const res = await request(t.app).get(`/reconciliation?${qs}`).set(t.as.viewer);
    assert.equal(res.status, 200, res.text);
    return res.body as Answer;
  };
  const ips = (a: Answer) => a.items.map((i) => i.ip_address);

  test('each kind overall, with the counts of all three', async () => {
    const u = await report('kind=unknown');
    assert.deepEqual(ips(u), ['10.9.0.5', '192.0.2.5']);
    assert.deepEqual(u.counts, { unknown: 2, reclaimable: 2, mismatch: 1 });
    assert.equal(u.items[0]!.archived, true);
    assert.deepEqual(ips(await report('kind=reclaimable')), ['10.9.0.10', '10.9.0.11']);
    const m = await report('kind=mismatch');
    assert.deepEqual(
      m.items.map((i) => [i.ip_address, i.project_name, i.host_name, i.host_project_name]),
      [['10.9.0.30', 'blue', 'web-1', 'red']],
    );
  });

  test('days moves the window; range narrows; pages follow address order', async () => {
    assert.deepEqual(ips(await report('kind=unknown&days=60')), ['10.9.0.5', '10.9.0.7', '192.0.2.5']);
    assert.deepEqual(ips(await report('kind=reclaimable&days=40')), ['10.9.0.10']);
    const inLab = await report(`kind=unknown&range=${lab}`);
    assert.deepEqual([ips(inLab), inLab.counts], [['10.9.0.5'], { unknown: 1, reclaimable: 2, mismatch: 1 }]);
    const p2 = await report('kind=unknown&days=60&limit=2&page=2');
    assert.deepEqual([ips(p2), p2.total, p2.page], [['192.0.2.5'], 3, 2]);
  });

  test('bad input names the parameter (422); an unknown range is 404', async () => {
    for (const [qs, field] of [
      ['kind=lost', 'kind'],
      ['', 'kind'],
      ['kind=unknown&days=0', 'days'],
      ['kind=unknown&page=x', 'page'],
      ['kind=unknown&limit=501', 'limit'],
      ['kind=unknown&color=red', 'color'],
    ] as const) {
      const res = await request(t.app).get(`/reconciliation?${qs}`);
      assert.equal(res.status, 422, `${qs}: ${res.text}`);
      assert.deepEqual((res.body as { detail: { loc: string[] }[] }).detail[0]!.loc, ['query', field], qs);
    }
    assert.equal((await request(t.app).get('/reconciliation?kind=unknown&range=987654')).status, 404);
  });

  test('/metrics has the counts by kind', async () => {
    const res = await request(t.app).get('/metrics');
    assert.equal(res.status, 200);
    for (const [kind, n] of [['unknown', 2], ['reclaimable', 2], ['mismatch', 1]] as const) assert.match(res.text, new RegExp(`^ipocket_reconciliation_addresses\\{kind="${kind}"\\} ${n}$`, 'm'));
  });
});
