/**
 * GET /reconciliation (issue 15) on both databases: unknown (archived, seen within days),
 * reclaimable (in inventory, not seen for days), mismatch (IP of one project on a device of
 * another), disagree (two sources give a device different values for a compared field), per
 * range and overall, paged in address order; counts in the answer and in /metrics. The counts
 * come from counters kept by triggers (migration 310), so every test also moves rows by the
 * product's own writes (archive, restore, a device's project, a re-sync) and checks counts = pages.
 * "Seen" is a sighting by a source (ip_asset_sightings, through a real plugin run stamping the
 * time its record gives), not the asset's last_seen_at: a source stamping an older time must not
 * hide another's newer sighting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { z } from 'zod';
import { formatTimestamp } from '../../src/domain/time.js';
import { emptyBatch, type BatchAsset } from '../../src/plugins/batch.js';
import { definePlugin, type Plugin } from '../../src/plugins/define-plugin.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { DevicesService } from '../../src/services/devices/index.js';
import { DIALECT } from '../helpers/db.js';
import { EDITOR } from '../helpers/services.js';
import { buildTestApp, type TestApp } from './app.js';

interface Answer {
  kind: string;
  total: number;
  page: number;
  items: { ip_address: string; project_name: string | null; host_name: string | null; host_project_name: string | null; archived: boolean; device_name?: string; field?: string; values?: { source: string; value: unknown }[] }[];
  counts: Record<string, number>;
}

let reported: BatchAsset[] = [];
const source = (name: string): Plugin =>
  definePlugin({ name, title: name, kind: 'connector', options: z.object({}), async collect() { return { ...emptyBatch(name), ip_assets: structuredClone(reported) }; } }) as Plugin;
const SOURCES = { nmap: source('nmap'), prometheus: source('prometheus'), vcenter: source('vcenter') };

/** A source run (applied, with a configuration) reporting each address as seen at the time given. */
async function sight(db: TestApp['db'], from: keyof typeof SOURCES, seen: [ip: string, at: string][]): Promise<void> {
  reported = seen.map(([ip, at]) => ({ loc: ip, ip_address: ip, type: 'OS', last_seen_at: at }));
  const out = await runPlugin(db, EDITOR, { plugin: SOURCES[from], input: { files: [] }, options: {}, dryRun: false, seenIn: { scope: `${from}-lab`, configId: null } });
  assert.equal(out.plan?.errors.length, 0, JSON.stringify(out.plan?.errors));
}

describe(`reconciliation report over REST (${DIALECT})`, () => {
  let t: TestApp;
  let lab = 0;
  let red = 0;
  let web = 0;
  const daysAgo = (d: number) => formatTimestamp(new Date(Date.now() - d * 86_400_000));
  before(async () => {
    t = await buildTestApp();
    const ed = t.as.editor;
    const made = async (path: string, body: object): Promise<number> => {
      const res = await request(t.app).post(path).set(ed).send(body);
      assert.ok(res.status < 300, `${path} ${res.status} ${res.text}`);
      return (res.body as { id: number }).id;
    };
    red = await made('/projects', { name: 'red' });
    const blue = await made('/projects', { name: 'blue' });
    lab = await made('/ranges', { name: 'lab', cidr: '10.9.0.0/24' });
    web = await made('/hosts', { name: 'web-1' });
    await t.db('hosts').where({ id: web }).update({ project_id: red });
    const seen = async (ip: string, when: string | null, extra: object = {}, archived = false) => {
      assert.equal((await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, type: 'OS', ...extra })).status, 200);
      if (archived) assert.equal((await request(t.app).post(`/ip-assets/${ip}/archive`).set(ed)).status, 204);
      if (when) await sight(t.db, 'nmap', [[ip, when]]);
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
    // disagree: LibreNMS and Netdisco report sw-1 with two serials and two models; sw-2 they agree on
    // (case and spacing aside), and power state is not a compared field.
    const devices = new DevicesService({ db: t.db, actor: SYSTEM_ACTOR });
    await devices.recordFacts('librenms', null, [
      { external_id: 'l-1', name: 'sw-1', serial: 'FOC111', model: 'C9300-48P', power_state: 'on' },
      { external_id: 'l-2', name: 'sw-2', serial: 'FOC222', vendor: 'Cisco' },
    ]);
    await devices.recordFacts('netdisco', null, [
      { external_id: 'n-1', name: 'sw-1', serial: 'FOC999', model: 'C9300-24T', power_state: 'off' },
      { external_id: 'n-2', name: 'sw-2', serial: 'FOC222', vendor: ' CISCO ' },
    ]);
  });
  after(() => t.cleanup());

  const report = async (qs: string) => {
    const res = await request(t.app).get(`/reconciliation?${qs}`).set(t.as.viewer);
    assert.equal(res.status, 200, res.text);
    return res.body as Answer;
  };
  const ips = (a: Answer) => a.items.map((i) => i.ip_address);

  test('each kind overall, with the counts of all four', async () => {
    const u = await report('kind=unknown');
    assert.deepEqual(ips(u), ['10.9.0.5', '192.0.2.5']);
    assert.deepEqual(u.counts, { unknown: 2, reclaimable: 2, mismatch: 1, disagree: 2 });
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
    // A device-level kind (disagree) is not narrowed by a range.
    assert.deepEqual([ips(inLab), inLab.counts], [['10.9.0.5'], { unknown: 1, reclaimable: 2, mismatch: 1, disagree: 2 }]);
    const p2 = await report('kind=unknown&days=60&limit=2&page=2');
    assert.deepEqual([ips(p2), p2.total, p2.page], [['192.0.2.5'], 3, 2]);
  });

  test('disagree: one row per device and field with each source\'s value; field filters', async () => {
    const d = await report('kind=disagree');
    assert.deepEqual(
      d.items.map((i) => [i.device_name, i.field, i.values]),
      [
        ['sw-1', 'serial', [{ source: 'librenms', value: 'FOC111' }, { source: 'netdisco', value: 'FOC999' }]],
        ['sw-1', 'model', [{ source: 'librenms', value: 'C9300-48P' }, { source: 'netdisco', value: 'C9300-24T' }]],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    const bySerial = await report('kind=disagree&field=serial');
    assert.deepEqual([bySerial.items.map((i) => i.field), bySerial.total], [['serial'], 1]);
    // The sources come to agree on the model (a re-sync): the row goes, the serial stays.
    await new DevicesService({ db: t.db, actor: SYSTEM_ACTOR }).recordFacts('netdisco', null, [{ external_id: 'n-1', name: 'sw-1', serial: 'FOC999', model: 'c9300-48p' }]);
    const after = await report('kind=disagree');
    assert.deepEqual([after.items.map((i) => i.field), after.counts.disagree], [['serial'], 1]);
    // An unchanged re-sync keeps the row as it was (same detection time: nothing written).
    const before = (await t.db('device_disagreements').first()) as { detected_at: string };
    await new DevicesService({ db: t.db, actor: SYSTEM_ACTOR }).recordFacts('netdisco', null, [{ external_id: 'n-1', name: 'sw-1', serial: 'FOC999', model: 'c9300-48p' }]);
    assert.deepEqual(await t.db('device_disagreements').select('field', 'detected_at'), [{ field: 'serial', detected_at: before.detected_at }]);
  });

  test('the counters follow the product\'s writes: archive, restore, a device\'s project, a new sighting', async () => {
    const ed = t.as.editor;
    const agree = async (kind: string, qs = '') => {
      const a = await report(`kind=${kind}&limit=500${qs}`);
      assert.equal(a.total, a.items.length, `${kind} total is the rows it lists`);
      assert.equal(a.counts[kind], a.total, `${kind} count is the page's total`);
      return ips(a);
    };
    // Archiving a reclaimable address makes it an old sighting of an archived one: listed nowhere at 30 days.
    assert.equal((await request(t.app).post('/ip-assets/10.9.0.11/archive').set(ed)).status, 204);
    assert.deepEqual(await agree('reclaimable'), ['10.9.0.10']);
    assert.deepEqual(await agree('unknown', '&days=35'), ['10.9.0.5', '10.9.0.11', '192.0.2.5']);
    // Restoring an unknown one brings it back as a fresh sighting (seen 2 days ago): in neither list.
    assert.equal((await request(t.app).post('/ip-assets/10.9.0.5/restore').set(ed)).status, 200);
    assert.deepEqual(await agree('unknown'), ['192.0.2.5']);
    // The device moves to blue: its blue address agrees now and its red one does not.
    const blue = ((await t.db('projects').where({ name: 'blue' }).first('id')) as { id: number }).id;
    await t.db('hosts').where({ id: web }).update({ project_id: blue });
    assert.deepEqual(await agree('mismatch'), ['10.9.0.31']);
    await t.db('hosts').where({ id: web }).update({ project_id: red });
    assert.deepEqual(await agree('mismatch'), ['10.9.0.30']);
    // A source sees the reclaimable one today: it leaves the list.
    await sight(t.db, 'prometheus', [['10.9.0.10', daysAgo(0)]]);
    assert.deepEqual(await agree('reclaimable'), []);
    // Put back as the other tests found it (no product write moves a sighting back: the rows are aged).
    const age = (ip: string, at: string) => t.db('ip_assets').where({ ip_address: ip }).update({ last_sighted_at: at });
    await age('10.9.0.10', daysAgo(45));
    assert.equal((await request(t.app).post('/ip-assets/10.9.0.11/restore').set(ed)).status, 200);
    await age('10.9.0.11', daysAgo(31));
    assert.equal((await request(t.app).post('/ip-assets/10.9.0.5/archive').set(ed)).status, 204);
    await age('10.9.0.5', daysAgo(2));
  });

  test('a range that cuts key blocks counts its edges: a /28 and a /23 spanning two', async () => {
    const ed = t.as.editor;
    const range = async (cidr: string) => ((await request(t.app).post('/ranges').set(ed).send({ name: cidr, cidr })).body as { id: number }).id;
    const small = await range('10.9.0.0/28');
    const a = await report(`kind=reclaimable&range=${small}`);
    assert.deepEqual([ips(a), a.counts.reclaimable, a.counts.unknown], [['10.9.0.10', '10.9.0.11'], 2, 1]);
    // 10.8.255.0/24 + 10.9.0.0/24 span two /16 key blocks and cover neither whole.
    const across = await range('10.8.254.0/23');
    assert.deepEqual((await report(`kind=unknown&range=${across}`)).counts, { unknown: 0, reclaimable: 0, mismatch: 0, disagree: 1 });
    const wide = await range('10.8.0.0/15');
    assert.deepEqual((await report(`kind=unknown&range=${wide}`)).counts, { unknown: 1, reclaimable: 2, mismatch: 1, disagree: 1 });
  });

  test('bad input names the parameter (422); an unknown range is 404', async () => {
    for (const [qs, field] of [
      ['kind=lost', 'kind'],
      ['', 'kind'],
      ['kind=unknown&days=0', 'days'],
      ['kind=unknown&page=x', 'page'],
      ['kind=unknown&limit=501', 'limit'],
      ['kind=unknown&color=red', 'color'],
      ['kind=disagree&field=power_state', 'field'],
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
    for (const [kind, n] of [['unknown', 2], ['reclaimable', 2], ['mismatch', 1], ['disagree', 1]] as const) assert.match(res.text, new RegExp(`^ipocket_reconciliation_addresses\\{kind="${kind}"\\} ${n}$`, 'm'));
  });
});

describe(`reclaimable means no source saw it (${DIALECT})`, () => {
  let t: TestApp;
  const daysAgo = (d: number) => formatTimestamp(new Date(Date.now() - d * 86_400_000));
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  test('a sighting by any source counts, whatever last_seen_at the last run left; panel, API and /metrics agree', async () => {
    // Each time once: a second ticking between a run and an assertion must not make them differ.
    const [d2, d40, d50, d60] = [daysAgo(2), daysAgo(40), daysAgo(50), daysAgo(60)];
    for (const ip of ['10.7.0.1', '10.7.0.2', '10.7.0.3']) assert.equal((await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: ip, type: 'OS' })).status, 200);
    // .1: Prometheus 50 days ago, Nmap 2 days ago, then vCenter reports it as seen 60 days ago:
    // last_seen_at ends 60 days back, but a source saw it 2 days ago.
    await sight(t.db, 'prometheus', [['10.7.0.1', d50], ['10.7.0.2', d50]]);
    await sight(t.db, 'nmap', [['10.7.0.1', d2]]);
    await sight(t.db, 'vcenter', [['10.7.0.1', d60], ['10.7.0.2', d40]]);
    const one = (await t.db('ip_assets').where({ ip_address: '10.7.0.1' }).first('last_seen_at', 'last_sighted_at')) as { last_seen_at: string; last_sighted_at: string };
    assert.deepEqual(one, { last_seen_at: d60, last_sighted_at: d2 });
    // .2: no source for 40 days: reclaimable. .3: never sighted (entered by hand): not listed.
    const res = await request(t.app).get('/reconciliation?kind=reclaimable').set(t.as.viewer);
    assert.equal(res.status, 200, res.text);
    const body = res.body as Omit<Answer, 'items'> & { items: { ip_address: string; last_sighted_at: string | null }[] };
    assert.deepEqual(body.items.map((i) => [i.ip_address, i.last_sighted_at]), [['10.7.0.2', d40]]);
    assert.deepEqual([body.total, body.counts.reclaimable], [1, 1]);
    assert.equal((await request(t.app).get('/reconciliation?kind=reclaimable&days=45').set(t.as.viewer)).body.total, 0);
    const metrics = await request(t.app).get('/metrics');
    assert.match(metrics.text, /^ipocket_reconciliation_addresses\{kind="reclaimable"\} 1$/m);
    // Nmap finds .2 today: it leaves the list, and the counters with it.
    await sight(t.db, 'nmap', [['10.7.0.2', daysAgo(0)]]);
    const later = (await request(t.app).get('/reconciliation?kind=reclaimable').set(t.as.viewer)).body as Answer;
    assert.deepEqual([later.items.length, later.total, later.counts.reclaimable], [0, 0, 0]);
  });
});
