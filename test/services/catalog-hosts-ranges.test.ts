import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConflictError, ValidationError } from '../../src/domain/errors.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

describe(`catalogs, hosts and ranges (${DIALECT})`, () => {
  let t: TestDb;
  let s: ReturnType<typeof servicesFor>;
  before(async () => {
    t = await createTestDb();
    s = servicesFor(t.db);
  });
  after(() => t.cleanup());
  beforeEach(async () => {
    for (const table of ['ip_asset_tags', 'audit_log', 'ip_assets', 'hosts', 'tags', 'projects', 'vendors', 'ranges']) await t.db(table).delete();
  });

  it('projects default their colour, normalise it, and refuse duplicate names with 409', async () => {
    const p = await s.projects.create({ name: 'core' });
    assert.equal(p.color, '#94a3b8');
    assert.equal((await s.projects.create({ name: 'edge', color: '#ABC' })).color, '#aabbcc');
    await assert.rejects(s.projects.create({ name: 'core' }), (e: unknown) => e instanceof ConflictError && /already exists/.test(e.message));
    await assert.rejects(s.projects.update(p.id, { name: 'edge' }), ConflictError);
    await assert.rejects(s.projects.create({ name: 'x', color: 'blue' }), ValidationError);
  });

  it('a project in use cannot be deleted; usage counts active assets only', async () => {
    const p = await s.projects.create({ name: 'busy' });
    await s.assets.create({ ip_address: '10.0.0.1', type: 'VM', project_id: p.id });
    await s.assets.create({ ip_address: '10.0.0.2', type: 'VM', project_id: p.id });
    await s.assets.archive('10.0.0.2');
    assert.equal((await s.projects.usageCounts()).get(p.id), 1);
    await assert.rejects(s.projects.delete(p.id), (e: unknown) => e instanceof ConflictError && /2 IP asset/.test(e.message));
  });

  it('update audits only real changes', async () => {
    const p = await s.projects.create({ name: 'audited', description: 'a' });
    const n = (await s.audit.list()).total;
    await s.projects.update(p.id, { description: 'a' });
    assert.equal((await s.audit.list()).total, n);
    await s.projects.update(p.id, { description: 'b' });
    assert.match((await s.audit.list()).items[0]!.changes!, /description: a → b/);
  });

  it('tags normalise names and deleting one removes it from assets', async () => {
    const tag = await s.tags.create({ name: '  Prod ' });
    assert.equal(tag.name, 'prod');
    assert.equal(tag.color, '#e2e8f0');
    await assert.rejects(s.tags.create({ name: 'PROD' }), ConflictError);
    await assert.rejects(s.tags.create({ name: 'no spaces' }), ValidationError);
    await s.assets.create({ ip_address: '10.0.0.5', type: 'VM', tags: ['prod'] });
    assert.equal((await s.tags.usageCounts()).get(tag.id), 1);
    await s.tags.delete(tag.id);
    assert.deepEqual((await s.assets.getByAddress('10.0.0.5')).tags, []);
  });

  it('vendors used by hosts cannot be deleted', async () => {
    const v = await s.vendors.create({ name: 'Dell' });
    await s.hosts.create({ name: 'srv1', vendor_id: v.id });
    await assert.rejects(s.vendors.delete(v.id), ConflictError);
  });

  it('hosts link OS/BMC addresses, carry a project to them, unlink on clear and on delete', async () => {
    const v = await s.vendors.create({ name: 'HPE' });
    const p = await s.projects.create({ name: 'hv' });
    const h = await s.hosts.create({ name: 'esx01', vendor_id: v.id, project_id: p.id, os_ip: '10.2.0.1', bmc_ip: '10.2.1.1' });
    assert.equal(h.vendor, 'HPE');
    assert.deepEqual(h.linked_assets, { os: ['10.2.0.1'], bmc: ['10.2.1.1'], other: [] });
    assert.equal((await s.assets.getByAddress('10.2.1.1')).project_id, p.id);
    const list = await s.hosts.list({ q: '10.2.1' });
    assert.deepEqual(list.items.map((x) => x.name), ['esx01']);
    assert.deepEqual(list.items[0]!.project_ids, [p.id]);
    const cleared = await s.hosts.update(h.id, { bmc_ip: null });
    assert.deepEqual(cleared.linked_assets.bmc, []);
    assert.equal((await s.assets.getByAddress('10.2.1.1')).host_id, null, 'asset kept, link cleared');
    await assert.rejects(s.hosts.create({ name: 'esx01' }), ConflictError);
    await assert.rejects(s.hosts.create({ name: 'bad', os_ip: '10.2.0.999' }), ValidationError);
    await s.hosts.delete(h.id);
    assert.equal((await s.assets.getByAddress('10.2.0.1')).host_id, null);
  });

  it("an IP linked to a host on edit gets the host's project (a new one, or an unassigned one); an IP of another project keeps its own", async () => {
    const web = await s.projects.create({ name: 'web-prod' });
    const other = await s.projects.create({ name: 'db-prod' });
    const h = await s.hosts.create({ name: 'web-01', project_id: web.id, bmc_ip: '10.3.1.1' });
    // Edit adds an OS IP without touching the project field (the drawer sends only what changed).
    await s.hosts.update(h.id, { os_ip: '10.3.0.1' });
    assert.equal((await s.assets.getByAddress('10.3.0.1')).project_id, web.id, 'a new OS IP lands in web-prod, not Unassigned');
    assert.equal((await s.assets.getByAddress('10.3.0.1')).host_id, h.id);
    // Replacing the only OS IP of a host whose IPs are all in web-prod: the new one follows.
    const solo = await s.hosts.create({ name: 'web-02', project_id: web.id, os_ip: '10.3.0.2' });
    await s.hosts.update(solo.id, { os_ip: '10.3.0.22' });
    assert.equal((await s.assets.getByAddress('10.3.0.22')).project_id, web.id);
    // An existing unassigned IP joins the host's project; one in another project keeps its own.
    await s.assets.create({ ip_address: '10.3.1.2', type: 'OTHER' });
    await s.hosts.update(solo.id, { bmc_ip: '10.3.1.2' });
    assert.equal((await s.assets.getByAddress('10.3.1.2')).project_id, web.id);
    await s.assets.create({ ip_address: '10.3.1.3', type: 'OTHER', project_id: other.id });
    const third = await s.hosts.create({ name: 'web-03', project_id: web.id, os_ip: '10.3.0.3' });
    await s.hosts.update(third.id, { bmc_ip: '10.3.1.3' });
    assert.equal((await s.assets.getByAddress('10.3.1.3')).project_id, other.id);
    // A host without a project (or with mixed ones) gives none.
    const bare = await s.hosts.create({ name: 'bare-01' });
    await s.hosts.update(bare.id, { os_ip: '10.3.0.4' });
    assert.equal((await s.assets.getByAddress('10.3.0.4')).project_id, null);
    await s.hosts.update(third.id, { os_ip: '10.3.0.33' });
    assert.equal((await s.assets.getByAddress('10.3.0.33')).project_id, null, 'mixed projects (web-prod and db-prod): no project is guessed');
  });

  it('ranges normalise CIDRs (IPv4 and IPv6), refuse duplicates, and count usable used addresses', async () => {
    const r = await s.ranges.create({ name: 'lan', cidr: '192.168.10.7/24' });
    assert.equal(r.cidr, '192.168.10.0/24');
    await assert.rejects(s.ranges.create({ name: 'again', cidr: '192.168.10.0/24' }), ConflictError);
    await assert.rejects(s.ranges.create({ name: 'bad', cidr: '192.168.10.0/33' }), ValidationError);
    for (const ip of ['192.168.10.0', '192.168.10.1', '192.168.10.200', '192.168.10.255', '192.168.11.1']) await s.assets.create({ ip_address: ip, type: 'VM' });
    await s.assets.create({ ip_address: '192.168.10.9', type: 'VM' });
    await s.assets.archive('192.168.10.9');
    const u = (await s.ranges.get(r.id)).utilization;
    assert.deepEqual(u, { total: 256, usable: 254, used: 2, free: 252, percent: 0.79 });
    const v6 = await s.ranges.create({ name: 'v6', cidr: '2001:db8::/64' });
    await s.assets.create({ ip_address: '2001:db8::5', type: 'VM' });
    const u6 = (await s.ranges.get(v6.id)).utilization;
    assert.equal(u6.used, 1);
    assert.equal(u6.total, '18446744073709551616');
    assert.equal(u6.free, '18446744073709551614');
    const p2p = await s.ranges.create({ name: 'p2p', cidr: '10.9.0.0/31' });
    await s.assets.create({ ip_address: '10.9.0.0', type: 'OS' });
    assert.deepEqual((await s.ranges.get(p2p.id)).utilization, { total: 2, usable: 2, used: 1, free: 1, percent: 50 });
    const all = await s.ranges.list();
    assert.deepEqual(all.map((x) => x.name), ['p2p', 'lan', 'v6']);
  });
});
