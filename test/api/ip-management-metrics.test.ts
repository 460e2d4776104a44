/**
 * /metrics carries one set of gauges per IP pool (by state, utilization, threshold, depleted,
 * projected depletion): the series deploy/prometheus/ipocket-pools.rules.yml alerts on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

const P = '/api/v1/ip-management';

describe(`pool gauges on /metrics (${DIALECT})`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  /**
   * The gauges are served from the last computation and refreshed in the background after a
   * write (like the range gauges): scrape until the refresh has landed.
   */
  const scrapeUntil = async (ready: (text: string) => boolean): Promise<string> => {
    for (let i = 0; ; i++) {
      const text = (await request(t.app).get('/metrics')).text;
      if (ready(text) || i >= 50) return text;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  const metric = (text: string, line: RegExp): number | null => {
    const found = text.split('\n').find((l) => line.test(l));
    return found ? Number(found.slice(found.lastIndexOf(' ') + 1)) : null;
  };

  test('a /30 pool filling up: counts by state, ratio, threshold, DEPLETED at 100%, a projected depletion date while it is consumed', async () => {
    // 192.0.2.0/30: usable .1 and .2, no gateway; threshold 50%.
    const res = await request(t.app).post(`${P}/pools`).set(t.as.editor).send({ pool_name: 'tiny', pool_type: 'IPV4_PUBLIC', network_cidr: '192.0.2.0/30', utilization_alert_threshold: 50 });
    assert.equal(res.status, 201, res.text);
    const id = (res.body as { id: number }).id;
    let m = await scrapeUntil((x) => x.includes('pool="tiny"'));
    assert.equal(metric(m, /^ipocket_pool_addresses\{pool="tiny",state="total"\}/), 2);
    assert.equal(metric(m, /^ipocket_pool_utilization_ratio\{pool="tiny",cidr="192\.0\.2\.0\/30",pool_type="IPV4_PUBLIC"\}/), 0);
    assert.equal(metric(m, /^ipocket_pool_alert_threshold_ratio\{pool="tiny"\}/), 0.5);
    assert.equal(metric(m, /^ipocket_pool_depleted\{pool="tiny"\}/), 0);
    assert.equal(metric(m, /^ipocket_pool_projected_depletion_timestamp_seconds\{pool="tiny"\}/), null, 'nothing assigned lately: no projection');

    assert.equal((await request(t.app).post(`${P}/subscribers/s1/assign-ip`).set(t.as.editor).send({ pool_id: id, ip_type: 'ipv4' })).status, 201);
    m = await scrapeUntil((x) => metric(x, /^ipocket_pool_addresses\{pool="tiny",state="assigned"\}/) === 1);
    assert.equal(metric(m, /^ipocket_pool_addresses\{pool="tiny",state="assigned"\}/), 1);
    assert.equal(metric(m, /^ipocket_pool_addresses\{pool="tiny",state="available"\}/), 1);
    assert.equal(metric(m, /^ipocket_pool_utilization_ratio\{pool="tiny"/), 0.5);
    // 1 left at 1 per 30 days: 30 days from now.
    const eta = metric(m, /^ipocket_pool_projected_depletion_timestamp_seconds\{pool="tiny"\}/)!;
    assert.ok(Math.abs(eta - (Date.now() / 1000 + 30 * 86400)) < 120, String(eta));
    let u = (await request(t.app).get(`${P}/pools/${id}/utilization`)).body as Record<string, unknown>;
    assert.deepEqual([u.alert_state, u.status, u.consumed_last_30_days], ['alert', 'ACTIVE', 1]);

    assert.equal((await request(t.app).post(`${P}/reservations`).set(t.as.editor).send({ pool_id: id, subscriber_id: 's2' })).status, 201);
    m = await scrapeUntil((x) => metric(x, /^ipocket_pool_depleted\{pool="tiny"\}/) === 1);
    assert.equal(metric(m, /^ipocket_pool_utilization_ratio\{pool="tiny"/), 1);
    assert.equal(metric(m, /^ipocket_pool_depleted\{pool="tiny"\}/), 1);
    u = (await request(t.app).get(`${P}/pools/${id}/utilization`)).body as Record<string, unknown>;
    assert.deepEqual([u.alert_state, u.status, u.available, u.utilization_percent], ['depleted', 'DEPLETED', 0, 100]);
    assert.match(String(u.projected_depletion_date), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const full = await request(t.app).post(`${P}/subscribers/s3/assign-ip`).set(t.as.editor).send({ pool_id: id, ip_type: 'ipv4' });
    assert.equal(full.status, 409);
    const stats = (await request(t.app).get(`${P}/stats`)).body as { depletion_warnings: { pool_name: string; alert_state: string }[]; by_status: Record<string, number> };
    assert.deepEqual(stats.depletion_warnings.map((w) => [w.pool_name, w.alert_state]), [['tiny', 'depleted']]);
    assert.deepEqual(stats.by_status, { DEPLETED: 1 });
  });
});
