/**
 * VMI's and LAIM's list pages read their devices set-based: a page of 40 costs the same
 * statements as a page of 5 (no read per row), and each row still carries its own NICs, IPs,
 * disks, owners, project and tags.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { DevicesService } from '../../src/services/devices/index.js';
import { DIALECT } from '../helpers/db.js';
import { statementCounter } from '../helpers/statements.js';
import { buildTestApp, type TestApp } from './app.js';

type Vm = { id: number; vm_name: string; ip_addresses: string[]; nics: { ip_addresses: string[] }[]; disks: { disk_label: string }[]; business_owner: { full_name: string } | null; project_name: string | null; tags: string[] };
type Item = { hostname: string; mac_address: string | null; ip_address: string | null; serial_number: string | null; source: string };

describe(`VMI and LAIM list pages: statements per page (${DIALECT})`, () => {
  let t: TestApp;
  let counter: ReturnType<typeof statementCounter>;
  const counted = (send: () => request.Test) => counter.counted(send);
  const pad = (i: number) => String(i).padStart(2, '0');

  before(async () => {
    t = await buildTestApp();
    const sync = new DevicesService({ db: t.db, actor: SYSTEM_ACTOR });
    await sync.recordFacts(
      'vcenter',
      null,
      Array.from({ length: 40 }, (_, i) => ({
        external_id: `vm-${i}`, name: `vm-${pad(i)}`, kind: 'vm' as const, platform: 'vmware', power_state: 'on', vcpus: 2, memory_mb: 4096,
        disks: [{ label: `disk-${i}`, size_gb: 10 + i }],
        nics: [{ mac: `00:50:56:00:01:${pad(i)}`, network_name: 'prod', connected: true, ips: [`10.60.0.${i + 1}`] }],
      })),
    );
    const owner = (await request(t.app).post('/owners').set(t.as.editor).send({ full_name: 'Olga Ops', email: 'olga@example.com' })).body as { id: number };
    const vms = ((await request(t.app).get('/api/vms?per_page=40')).body as { items: Vm[] }).items;
    for (const vm of vms.filter((_, i) => i % 3 === 0)) {
      await request(t.app).put(`/api/vms/${vm.id}/manual`).set(t.as.editor).send({ business_owner_id: owner.id, project_name: 'web' }).expect(200);
      await request(t.app).post(`/api/vms/${vm.id}/tags`).set(t.as.editor).send({ tag_value: `t${vm.vm_name.slice(3)}` }).expect(200);
    }
    for (let i = 0; i < 40; i++) {
      await request(t.app).post('/api/items').set(t.as.editor).send({ hostname: `lab-${pad(i)}`, item_type: 'Laptop', serial_number: `SN${pad(i)}`, mac_address: `aa:bb:cc:00:00:${pad(i)}`, ip_address: `10.61.0.${i + 1}` }).expect(201);
    }
    counter = statementCounter(t.db);
  });
  after(async () => {
    counter.stop();
    await t.cleanup();
  });

  test('GET /api/vms: a page of 40 costs what a page of 5 does (at most 20 statements), each VM with its own details', async () => {
    const small = await counted(() => request(t.app).get('/api/vms?per_page=5').set(t.as.viewer));
    const big = await counted(() => request(t.app).get('/api/vms?per_page=40').set(t.as.viewer));
    assert.equal(big.res.status, 200, big.res.text);
    const items = (big.res.body as { items: Vm[] }).items;
    assert.equal(items.length, 40);
    for (const [i, vm] of items.entries()) {
      assert.equal(vm.vm_name, `vm-${pad(i)}`);
      assert.deepEqual([vm.ip_addresses, vm.nics.map((n) => n.ip_addresses), vm.disks.map((d) => d.disk_label)], [[`10.60.0.${i + 1}`], [[`10.60.0.${i + 1}`]], [`disk-${i}`]]);
      const managed = i % 3 === 0;
      assert.deepEqual([vm.business_owner?.full_name ?? null, vm.project_name, vm.tags], managed ? ['Olga Ops', 'web', [`t${pad(i)}`]] : [null, null, []], vm.vm_name);
    }
    assert.equal(big.sql.length, small.sql.length, `page of 5: ${small.sql.length}, page of 40: ${big.sql.length}\n${big.sql.join('\n')}`);
    assert.ok(big.sql.length <= 20, `${big.sql.length} statements:\n${big.sql.join('\n')}`);
  });

  test('GET /api/items: a page of 40 costs what a page of 5 does (at most 20 statements), each item with its own MAC, IP and serial', async () => {
    const small = await counted(() => request(t.app).get('/api/items?limit=5').set(t.as.viewer));
    const big = await counted(() => request(t.app).get('/api/items?limit=40').set(t.as.viewer));
    assert.equal(big.res.status, 200, big.res.text);
    const items = big.res.body as Item[];
    assert.equal(items.length, 40);
    for (const [i, item] of items.entries()) {
      assert.deepEqual([item.hostname, item.mac_address, item.ip_address, item.serial_number, item.source], [`lab-${pad(i)}`, `aa:bb:cc:00:00:${pad(i)}`, `10.61.0.${i + 1}`, `SN${pad(i)}`, 'manual']);
    }
    assert.equal(big.sql.length, small.sql.length, `page of 5: ${small.sql.length}, page of 40: ${big.sql.length}\n${big.sql.join('\n')}`);
    assert.ok(big.sql.length <= 20, `${big.sql.length} statements:\n${big.sql.join('\n')}`);
  });
});
