import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { tryParseAddress } from '../../src/domain/ip/address.js';
import { tryParseCidr } from '../../src/domain/ip/cidr.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, PASSWORD, type TestApp } from './app.js';

/** What a surface says about one range. */
type Figures = { used: number; usable: string; percent: number };

/**
 * One range, one set of numbers: the dashboard, the range list (API and panel), the drill-down
 * header and /metrics must agree on used/usable/percent, and match a count of the live addresses
 * of the range's family inside its usable bounds.
 */
describe(`range utilization is the same everywhere (${DIALECT})`, () => {
  let t: TestApp;
  let panel: ReturnType<typeof request.agent>;
  const RANGES = ['10.30.0.0/16', '10.30.0.0/24', '10.30.0.0/25', '10.30.0.128/31', '10.30.0.200/32', '2001:db8:30::/64', '2001:db8:30::/127', '::/64', '10.31.0.0/24'];
  const LIVE = ['10.30.0.0', '10.30.0.1', '10.30.0.5', '10.30.0.128', '10.30.0.129', '10.30.0.200', '10.30.0.255', '10.30.5.5', '10.30.255.255', '2001:db8:30::', '2001:db8:30::1', '2001:db8:30::ff', '::1', '::2:3'];
  const ARCHIVED = ['10.30.0.6', '10.30.0.130', '2001:db8:30::5', '::7'];

  before(async () => {
    t = await buildTestApp();
    for (const ip of [...LIVE, ...ARCHIVED]) {
      const res = await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: ip, type: 'VM' });
      assert.equal(res.status, 200, res.text);
    }
    for (const ip of ARCHIVED) assert.equal((await request(t.app).post(`/ip-assets/${encodeURIComponent(ip)}/archive`).set(t.as.editor)).status, 204);
    for (const cidr of RANGES) assert.equal((await request(t.app).post('/ranges').set(t.as.editor).send({ name: `r ${cidr}`, cidr })).status, 200);
    panel = request.agent(t.app);
    assert.equal((await panel.post('/ui/login').type('form').send({ username: 'editor1', password: PASSWORD })).status, 302);
  });
  after(() => t.cleanup());

  /** The live addresses of the range's family inside its usable bounds, counted in the test. */
  function expected(cidr: string): { used: number; usable: string } {
    const c = tryParseCidr(cidr)!;
    const used = LIVE.map((ip) => tryParseAddress(ip)!).filter((a) => a.version === c.version && a.key >= c.usableFirstKey && a.key <= c.usableLastKey).length;
    return { used, usable: c.usable.toString() };
  }

  test('dashboard, range list, panel list, drill-down header and /metrics agree and are right', async () => {
    const archivedNow = (await request(t.app).get('/ip-assets').query({ archived: 'only' })).body as { ip_address: string }[];
    assert.equal(archivedNow.length, ARCHIVED.length, 'the archived assets exist (and must not count)');

    const dashboard = (await panel.get('/ui/api/dashboard')).body as { ranges: { cidr: string; used: number; usable: string; percent: number }[] };
    const list = (await request(t.app).get('/ranges')).body as { id: number; cidr: string; utilization: { used: number; usable: number | string; percent: number } }[];
    const panelList = (await panel.get('/ui/api/resources/ranges/actions/list').query({ perPage: 100 })).body as { records: { params: Record<string, unknown> }[] };
    const metrics = (await request(t.app).get('/metrics')).text;
    const gauge = (name: string, cidr: string): number => {
      const line = metrics.split('\n').find((l) => l.startsWith(`${name}{range="r ${cidr}",cidr="${cidr}"} `));
      assert.ok(line, `${name} for ${cidr}`);
      return Number(line.split(' ').pop());
    };

    assert.deepEqual(list.map((r) => r.cidr).sort(), [...RANGES].map((c) => tryParseCidr(c)!.cidr).sort());
    for (const r of list) {
      const want = expected(r.cidr);
      const surfaces: Record<string, Figures> = {};
      surfaces['GET /ranges'] = { used: r.utilization.used, usable: String(r.utilization.usable), percent: r.utilization.percent };
      const d = dashboard.ranges.find((x) => x.cidr === r.cidr)!;
      surfaces.dashboard = { used: d.used, usable: d.usable, percent: d.percent };
      const p = panelList.records.find((x) => x.params.cidr === r.cidr)!.params;
      surfaces['panel range list'] = { used: Number(p.used), usable: String(p.usable), percent: Number(p.utilization) };
      const page = (await request(t.app).get(`/ranges/${r.id}/addresses`).query({ limit: 1 })).body as { range: { utilization: { used: number; usable: number | string; percent: number } } };
      surfaces['drill-down header'] = { used: page.range.utilization.used, usable: String(page.range.utilization.usable), percent: page.range.utilization.percent };
      // Prometheus values are floats: usable is compared as one (an IPv6 /64 is beyond 2^53).
      assert.equal(gauge('ipocket_range_usable_addresses', r.cidr), Number(want.usable), `/metrics usable for ${r.cidr}`);
      surfaces['/metrics'] = { used: gauge('ipocket_range_used_addresses', r.cidr), usable: want.usable, percent: Math.round(gauge('ipocket_range_utilization_ratio', r.cidr) * 1e6) / 1e4 };
      for (const [where, f] of Object.entries(surfaces)) {
        assert.deepEqual({ used: f.used, usable: f.usable }, want, `${where} for ${r.cidr}`);
        assert.equal(f.percent, surfaces['GET /ranges']!.percent, `${where} percent for ${r.cidr}`);
      }
      // The drill-down's own totals say the same.
      const used = (await request(t.app).get(`/ranges/${r.id}/addresses`).query({ status: 'used', limit: 1 })).body as { total: number | string };
      const free = (await request(t.app).get(`/ranges/${r.id}/addresses`).query({ status: 'free', limit: 1 })).body as { total: number | string };
      assert.equal(Number(used.total), want.used, `drill-down used total for ${r.cidr}`);
      assert.equal(BigInt(free.total), BigInt(want.usable) - BigInt(want.used), `drill-down free total for ${r.cidr}`);
    }
    const at = (cidr: string): number => list.find((r) => r.cidr === cidr)!.utilization.percent;
    assert.equal(at('10.30.0.0/24'), 1.97, '5 of 254 (network, broadcast and archived addresses not counted)');
    assert.equal(list.find((r) => r.cidr === '::/64')!.utilization.used, 2, '::/64 holds the IPv4 keys (::ffff:0:0/96): they are not IPv6 addresses used');
    assert.equal(at('10.30.0.128/31'), 100, 'a /31 has two usable addresses, both used');
    assert.equal(at('10.30.0.200/32'), 100);
  });
});
