/**
 * The races of the concurrency suite, each over its own addresses so they can share one cluster.
 * Every one asserts what a client sees (no 5xx, exactly one winner where one must win) and what
 * was stored: no acknowledged write lost, one audit entry per write.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { serverErrors, startCluster, tally, type Cluster, type Reply } from './cluster.js';

interface AssetBody {
  id: number;
  ip_address: string;
  notes: string | null;
  tags: string[];
  host_id: number | null;
}

async function auditCount(db: Knex, where: Record<string, unknown>, targetIds?: number[]): Promise<number> {
  const q = db('audit_log').where(where).count({ n: '*' });
  if (targetIds) q.whereIn('target_id', targetIds);
  return Number(((await q) as { n: number | string }[])[0]!.n);
}

function parallel(n: number, fn: (i: number) => Promise<Reply>): Promise<Reply[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
}

/** 40 parallel bulk edits over the same 20 assets, each appending a note and adding a tag. */
export async function bulkEdits(c: Cluster, net: number): Promise<void> {
  const created = await parallel(20, (i) => c.call('POST', '/ip-assets', { ip_address: `10.${net}.0.${i + 1}`, type: 'VM', tags: ['base'] }));
  assert.deepEqual(tally(created), { 200: 20 }, serverErrors(created));
  const ids = created.map((r) => (r.body as AssetBody).id);
  const edits = 40;
  const replies = await parallel(edits, (i) => c.call('POST', '/ip-assets/bulk', { asset_ids: ids, notes_mode: 'append', notes: `note-${i}`, add_tags: [`bulk-${i}`] }));
  assert.deepEqual(tally(replies), { 200: edits }, serverErrors(replies));
  for (const r of replies) assert.deepEqual(r.body, { updated: 20, unchanged: 0 });

  const want = Array.from({ length: edits }, (_, i) => i);
  for (let i = 0; i < ids.length; i++) {
    const asset = (await c.call('GET', `/ip-assets/10.${net}.0.${i + 1}`)).body as AssetBody;
    assert.deepEqual((asset.notes ?? '').split('\n').sort(), want.map((k) => `note-${k}`).sort(), `notes of ${asset.ip_address}`);
    assert.deepEqual(asset.tags, ['base', ...want.map((k) => `bulk-${k}`)].sort(), `tags of ${asset.ip_address}`);
  }
  // The tag filter (which starts from counters kept by triggers) finds every tagged asset.
  for (const k of [0, edits - 1]) {
    const list = await c.call('GET', `/ip-assets?tags=bulk-${k}&limit=1`);
    assert.equal(list.headers.get('x-total-count'), String(ids.length), `assets tagged bulk-${k}`);
  }
  assert.equal(await auditCount(c.db, { target_type: 'IP_ASSET', action: 'UPDATE' }, ids), edits * ids.length);
}

/** 50 parallel creates of one archived address: one restores it, the rest are told it exists. */
export async function restores(c: Cluster, net: number): Promise<void> {
  const ip = `10.${net}.0.1`;
  const first = await c.call('POST', '/ip-assets', { ip_address: ip, type: 'VM', notes: 'original' });
  assert.equal(first.status, 200);
  const id = (first.body as AssetBody).id;
  assert.equal((await c.call('POST', `/ip-assets/${ip}/archive`)).status, 204);
  const replies = await parallel(50, (i) => c.call('POST', '/ip-assets', { ip_address: ip, type: 'VM', notes: `restore-${i}` }));
  assert.deepEqual(tally(replies), { 200: 1, 409: 49 }, serverErrors(replies));
  const winner = replies.find((r) => r.status === 200)!.body as AssetBody;
  const stored = (await c.call('GET', `/ip-assets/${ip}`)).body as AssetBody;
  assert.equal(stored.notes, winner.notes, 'the acknowledged restore is the one stored');
  // CREATE, the archive, and one restore.
  assert.equal(await auditCount(c.db, { target_type: 'IP_ASSET', target_id: id }), 3);
}

/** 50 parallel POST /ip-assets/{ip}/restore of one archived address: one 200, 49 × 409, one audit entry. */
export async function explicitRestores(c: Cluster, net: number): Promise<void> {
  const ip = `10.${net}.0.2`;
  const first = await c.call('POST', '/ip-assets', { ip_address: ip, type: 'VM' });
  assert.equal(first.status, 200);
  assert.equal((await c.call('POST', `/ip-assets/${ip}/archive`)).status, 204);
  const replies = await parallel(50, () => c.call('POST', `/ip-assets/${ip}/restore`));
  assert.deepEqual(tally(replies), { 200: 1, 409: 49 }, serverErrors(replies));
  assert.equal(await auditCount(c.db, { target_type: 'IP_ASSET', target_id: (first.body as AssetBody).id }), 3);
}

/** 50 parallel creates of one new BMC (auto-host server_<ip>): one asset, one host, 49 × 409. */
export async function bmcCreates(c: Cluster, net: number): Promise<void> {
  const ip = `10.${net}.0.1`;
  const replies = await parallel(50, () => c.call('POST', '/ip-assets', { ip_address: ip, type: 'BMC' }));
  assert.deepEqual(tally(replies), { 200: 1, 409: 49 }, serverErrors(replies));
  const hosts = (await c.db('hosts').select('id').where({ name: `server_${ip}` })) as { id: number }[];
  assert.equal(hosts.length, 1);
  const asset = (await c.call('GET', `/ip-assets/${ip}`)).body as AssetBody;
  assert.equal(asset.host_id, Number(hosts[0]!.id));
  assert.equal(await auditCount(c.db, { target_type: 'HOST', action: 'CREATE', target_label: `server_${ip}` }), 1);
  assert.equal(await auditCount(c.db, { target_type: 'IP_ASSET', action: 'CREATE', target_label: ip }), 1);
}

/** 20 parallel creates of distinct hosts that all claim one new OS address: one gets it, 19 × 409. */
export async function sharedOsIp(c: Cluster, net: number): Promise<void> {
  const ip = `10.${net}.0.1`;
  const replies = await parallel(20, (i) => c.call('POST', '/hosts', { name: `shared-${net}-${i}`, os_ip: ip }));
  assert.deepEqual(tally(replies), { 200: 1, 409: 19 }, serverErrors(replies));
  const winner = replies.find((r) => r.status === 200)!.body as { id: number; name: string };
  const hosts = (await c.db('hosts').select('name').whereLike('name', `shared-${net}-%`)) as { name: string }[];
  assert.deepEqual(hosts.map((h) => h.name), [winner.name], 'only the acknowledged host exists');
  assert.equal(((await c.call('GET', `/ip-assets/${ip}`)).body as AssetBody).host_id, winner.id);
  assert.equal(await auditCount(c.db, { target_type: 'HOST', action: 'CREATE' }, [winner.id]), 1);
  for (const r of replies.filter((x) => x.status === 409)) assert.match(JSON.stringify(r.body), /already linked to another host/);
}

/** 200 parallel creates of distinct addresses sharing new tags: all stored, each audited once. */
export async function distinctCreates(c: Cluster, net: number): Promise<void> {
  const n = 200;
  const replies = await parallel(n, (i) => c.call('POST', '/ip-assets', { ip_address: `10.${net}.${i >> 8}.${i & 255}`, type: 'VM', tags: [`wave-${net}`, `wave-${net}-${i % 7}`] }));
  assert.deepEqual(tally(replies), { 200: n }, serverErrors(replies));
  const ids = replies.map((r) => (r.body as AssetBody).id);
  assert.equal(new Set(ids).size, n);
  const tagged = await c.db('ip_asset_tags as at').join('tags as t', 't.id', 'at.tag_id').where('t.name', `wave-${net}`).count({ n: '*' });
  assert.equal(Number((tagged as { n: number | string }[])[0]!.n), n);
  assert.equal(await auditCount(c.db, { target_type: 'IP_ASSET', action: 'CREATE' }, ids), n);
}


/** Registers every race above as one suite on a fresh cluster of `instances` (addresses from 10.<net>.x.x on). */
export function describeRaces(title: string, instances: number, net: number): void {
  describe(title, () => {
    let c: Cluster;
    before(async () => {
      c = await startCluster(instances);
    });
    after(() => c.cleanup());

    test('40 parallel bulk edits of the same 20 assets: every note and tag kept, one audit entry per change', () => bulkEdits(c, net));
    test('50 parallel restores of one archived address: one 200, 49 × 409, the acknowledged one stored', () => restores(c, net + 1));
    test('50 parallel POST /ip-assets/{ip}/restore of one archived address: one 200, 49 × 409', () => explicitRestores(c, net + 1));
    test('50 parallel creates of one new BMC: one asset, one server_<ip> host, 49 × 409', () => bmcCreates(c, net + 2));
    test('20 hosts claiming one new os_ip in parallel: one linked, 19 × 409', () => sharedOsIp(c, net + 3));
    test('200 parallel distinct creates sharing new tags: all stored and audited', () => distinctCreates(c, net + 4));
  });
}
