/**
 * vCenter as a device source (option `devices`), against the fake vCenter on loopback: each VM
 * becomes a device (kind vm, power, CPU, memory, disks, NICs with MAC and network, guest OS,
 * host and cluster), each ESXi host a hypervisor device, and their addresses link to them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { vcenterPlugin } from '../../plugins/vcenter/index.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { fakeMac, startFakeVcenter, type FakeVcenterOptions } from '../fakes/vcenter.js';
import { createTestDb } from '../helpers/db.js';
import { EDITOR } from '../helpers/services.js';

const CREDS = { username: 'administrator@vsphere.local', password: 'VMware1!' };

const inventory = (): FakeVcenterOptions => ({
  clusters: [{ cluster: 'domain-c7', name: 'Prod' }],
  hosts: [
    { host: 'host-10', name: '198.51.100.11', cluster: 'domain-c7' },
    { host: 'host-11', name: 'esx02.lab.example' },
  ],
  vms: [
    { vm: 'vm-42', name: 'web-01', host: 'host-10', power_state: 'POWERED_ON', tools: true, ips: ['192.0.2.42', 'fe80::250:56ff:fe00:42'], cpu: 4, memory_mib: 8192, disks_gib: [40, 100], network: 'DMZ' },
    { vm: 'vm-45', name: 'parked', host: 'host-11', power_state: 'POWERED_OFF', tools: false, ips: [] },
  ],
});

describe('vcenter devices', () => {
  let db: Knex;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ db, cleanup } = await createTestDb());
  });
  after(() => cleanup());

  const run = async (dryRun = false) => {
    const fake = await startFakeVcenter(inventory());
    try {
      return await runPlugin(db, EDITOR, { plugin: vcenterPlugin, input: { files: [] }, options: { url: fake.url, ...CREDS, devices: true }, dryRun });
    } finally {
      await fake.close();
    }
  };
  const device = async (name: string) => (await db('hosts').where({ name }).first()) as Record<string, unknown>;

  test('VMs and ESXi hosts become devices with their facts, placement and addresses', async () => {
    const dry = await run(true);
    assert.equal(dry.status, 'succeeded', dry.error?.message);
    assert.deepEqual(dry.plan!.errors, []);
    assert.deepEqual(dry.plan!.counts.devices, { create: 4, update: 0, skip: 0 });
    const out = await run();
    assert.equal(out.status, 'succeeded', out.error?.message);
    assert.deepEqual(out.plan!.counts, dry.plan!.counts);

    const web = await device('web-01');
    assert.equal(web.kind, 'vm');
    assert.equal(web.platform, 'vmware');
    assert.equal(web.power_state, 'on');
    assert.equal(Number(web.vcpus), 4);
    assert.equal(Number(web.memory_mb), 8192);
    assert.equal(Number(web.disk_count), 2);
    assert.equal(Number(web.disk_total_gb), 140);
    assert.equal(web.os_type, 'UBUNTU_64');
    assert.equal(web.cluster, 'Prod');
    const esx = await device('198.51.100.11');
    assert.equal(esx.kind, 'hypervisor');
    assert.equal(esx.cluster, 'Prod');
    assert.equal(Number(web.hypervisor_device_id), Number(esx.id));
    const nic = await db('device_nics').where({ device_id: web.id }).first();
    assert.equal(nic.mac, fakeMac({ vm: 'vm-42' } as never));
    assert.equal(nic.network_name, 'DMZ');
    assert.deepEqual(await db('device_ips').where({ device_id: web.id }).pluck('ip_address'), ['192.0.2.42'], 'only the address the IP side keeps (no link-local)');

    const parked = await device('parked');
    assert.equal(parked.power_state, 'off');
    assert.equal(parked.hypervisor, 'esx02.lab.example');
    assert.equal(Number(parked.hypervisor_device_id), Number((await device('esx02.lab.example')).id));

    const vmIp = await db('ip_assets').where({ ip_address: '192.0.2.42' }).first();
    assert.equal(vmIp.type, 'VM');
    assert.equal(Number(vmIp.host_id), Number(web.id));
    assert.equal(vmIp.notes, 'vCenter VM: web-01 (host: 198.51.100.11)', 'the IP behaviour stays: notes as before');
    const esxIp = await db('ip_assets').where({ ip_address: '198.51.100.11' }).first();
    assert.equal(esxIp.type, 'OS');
    assert.equal(Number(esxIp.host_id), Number(esx.id));
    assert.equal(Number((await db('hosts').count({ n: '*' }))[0]!.n), 4, 'no duplicate host rows for the ESXi hosts');
  });

  test('an unchanged re-sync is all SKIP and writes no device history', async () => {
    const changes = Number((await db('device_changes').count({ n: '*' }))[0]!.n);
    const out = await run();
    assert.equal(out.status, 'succeeded', out.error?.message);
    assert.deepEqual(out.plan!.counts.devices, { create: 0, update: 0, skip: 4 });
    assert.equal(out.plan!.counts.ip_assets.create + out.plan!.counts.ip_assets.update, 0);
    assert.equal(Number((await db('device_changes').count({ n: '*' }))[0]!.n), changes);
  });
});
