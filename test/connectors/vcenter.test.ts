import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { vcenterPlugin } from '../../plugins/vcenter/index.js';
import { secretKeys } from '../../src/plugins/options.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { createTestDb } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';
import { generateInventory, startFakeVcenter, type FakeVcenter, type FakeVcenterOptions } from '../fakes/vcenter.js';

const CREDS = { username: 'administrator@vsphere.local', password: 'VMware1!' };

const small = (): FakeVcenterOptions => ({
  hosts: [
    { host: 'host-10', name: '198.51.100.11' },
    { host: 'host-11', name: 'esx02.lab.example' },
  ],
  vms: [
    { vm: 'vm-42', name: 'web-01', host: 'host-10', power_state: 'POWERED_ON', tools: true, ips: ['192.0.2.42', '2001:db8::42', 'fe80::250:56ff:fe00:42', '127.0.0.1'] },
    { vm: 'vm-43', name: 'db-01', host: 'host-11', power_state: 'POWERED_ON', tools: true, ips: ['192.0.2.43'] },
    { vm: 'vm-44', name: 'no-tools', host: 'host-11', power_state: 'POWERED_ON', tools: false, ips: ['192.0.2.44'] },
    { vm: 'vm-45', name: 'parked', host: 'host-10', power_state: 'POWERED_OFF', tools: false, ips: [] },
  ],
});

describe('vcenter connector against the fake vCenter', () => {
  let db: Knex;
  let cleanup: () => Promise<void>;
  let fake: FakeVcenter | null = null;
  before(async () => {
    ({ db, cleanup } = await createTestDb());
  });
  afterEach(async () => {
    await fake?.close();
    fake = null;
    await db('ip_asset_tags').del();
    await db('ip_assets').del();
    await db('hosts').del();
  });
  after(() => cleanup());

  const run = async (fakeOpts: FakeVcenterOptions, options: Record<string, unknown> = {}, dryRun = false) => {
    fake = await startFakeVcenter(fakeOpts);
    return runPlugin(db, EDITOR, { plugin: vcenterPlugin, input: { files: [] }, options: { url: fake.url, ...CREDS, ...options }, dryRun });
  };
  const warnings = (out: Awaited<ReturnType<typeof run>>): string[] => out.plan!.warnings.map((w) => w.message);

  test('the password is a secret option', () => {
    assert.deepEqual(secretKeys(vcenterPlugin.options), ['password']);
  });

  test('happy path: ESXi hosts become OS assets tagged esxi, VM guest addresses become VM assets, the session is closed', async () => {
    const out = await run(small(), { project: 'Virtualization' });
    assert.equal(out.status, 'succeeded', out.error?.message);
    const rows = (await db('ip_assets').select('ip_address', 'type', 'notes').orderBy('ip_address')) as { ip_address: string; type: string; notes: string }[];
    assert.deepEqual(rows.map((r) => [r.ip_address, r.type]), [['192.0.2.42', 'VM'], ['192.0.2.43', 'VM'], ['198.51.100.11', 'OS'], ['2001:db8::42', 'VM']]);
    assert.equal(rows[0]!.notes, 'vCenter VM: web-01 (host: 198.51.100.11)');
    assert.equal(rows[1]!.notes, 'vCenter VM: db-01 (host: esx02.lab.example)');
    const s = servicesFor(db);
    const esx = await s.assets.getByAddress('198.51.100.11');
    assert.deepEqual([...esx.tags].sort(), ['esxi', 'vcenter']);
    const host = (await db('hosts').where({ id: esx.host_id }).first()) as { name: string };
    assert.equal(host.name, '198.51.100.11', 'the OS asset is linked to its host');
    const hosts = (await db('hosts').select('name').orderBy('name')) as { name: string }[];
    assert.deepEqual(hosts.map((h) => h.name), ['198.51.100.11', 'esx02.lab.example']);
    assert.ok(warnings(out).some((w) => /VMware Tools is not running in no-tools/.test(w)));
    assert.ok(warnings(out).some((w) => /esx02\.lab\.example" is known by name only/.test(w)));
    assert.equal(fake!.stats.logins, 1);
    assert.equal(fake!.stats.logouts, 1);
    assert.equal(fake!.openSessions(), 0);
    const audit = await db('audit_log').where({ target_type: 'IMPORT_RUN' });
    assert.equal(audit.length, 1);
  });

  test('on update the type is overwritten, connector tags merged, and notes written only when empty', async () => {
    const s = servicesFor(db);
    await s.assets.create({ ip_address: '192.0.2.42', type: 'OTHER', notes: 'owned by team A', tags: ['prod'] });
    await s.assets.create({ ip_address: '192.0.2.43', type: 'VIP' });
    const dry = await run(small(), {}, true);
    const change = dry.plan!.changes.find((c) => c.key === '192.0.2.42')!;
    assert.equal(change.action, 'UPDATE');
    assert.deepEqual(change.changes.map((c) => c.field).sort(), ['tags', 'type']);
    await fake!.close();
    const out = await run(small());
    assert.equal(out.status, 'succeeded');
    const a = await s.assets.getByAddress('192.0.2.42');
    assert.equal(a.type, 'VM');
    assert.equal(a.notes, 'owned by team A');
    assert.deepEqual([...a.tags].sort(), ['prod', 'vcenter']);
    const b = await s.assets.getByAddress('192.0.2.43');
    assert.equal(b.type, 'VM');
    assert.equal(b.notes, 'vCenter VM: db-01 (host: esx02.lab.example)');
  });

  test('a refused login fails the run with vCenter\'s message, and nothing is written', async () => {
    const out = await run(small(), { password: 'wrong' });
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /vCenter refused the login of "administrator@vsphere\.local" \(HTTP 401 UNAUTHENTICATED Authentication required\.\)/);
    assert.equal(fake!.stats.failedLogins, 1);
    const run0 = await new ImportRunsService({ db, actor: EDITOR }).get(out.runId);
    assert.equal(run0.status, 'failed');
    assert.doesNotMatch(JSON.stringify(run0), /wrong/);
    assert.equal((await db('ip_assets').count({ n: '*' }))[0]!.n, 0);
  });

  test('503 guest identity (VMware Tools not running) skips that VM with a warning', async () => {
    const inv = small();
    inv.vms = inv.vms.map((v) => ({ ...v, tools: v.vm === 'vm-43' }));
    const out = await run(inv, {}, true);
    assert.equal(out.status, 'succeeded');
    const vmAssets = out.plan!.changes.filter((c) => c.entity === 'ip_assets' && c.key.startsWith('192.0.2.'));
    assert.deepEqual(vmAssets.map((c) => c.key), ['192.0.2.43']);
    assert.deepEqual(warnings(out).filter((w) => /VMware Tools/.test(w)).sort(), ['VMware Tools is not running in no-tools (vm-44); skipped', 'VMware Tools is not running in web-01 (vm-42); skipped']);
  });

  test('without interface data the guest identity gives the address; a 503 identity skips the VM with a warning', async () => {
    const inv = small();
    inv.vms = [
      { vm: 'vm-50', name: 'appliance', host: 'host-10', power_state: 'POWERED_ON', tools: true, nics: false, ips: ['192.0.2.50'] },
      { vm: 'vm-51', name: 'identity-down', host: 'host-10', power_state: 'POWERED_ON', tools: true, nics: false, identityDown: true, ips: ['192.0.2.51'] },
    ];
    const out = await run(inv, {}, true);
    assert.equal(out.status, 'succeeded');
    assert.deepEqual(out.plan!.changes.filter((c) => c.entity === 'ip_assets' && c.key.startsWith('192.0.2.')).map((c) => c.key), ['192.0.2.50']);
    assert.ok(warnings(out).includes('VMware Tools is not running in identity-down (vm-51); skipped'));
  });

  test('a session expiring mid-run is renewed once and the run completes', async () => {
    const inv = generateInventory(2, 30);
    const out = await run({ ...inv, sessionRequestLimit: 20 }, { concurrency: 4 }, true);
    assert.equal(out.status, 'succeeded', out.error?.message);
    assert.equal(out.plan!.counts.ip_assets.create, 2 + 60);
    assert.ok(fake!.stats.logins >= 2, 'logged in again');
    assert.ok(fake!.stats.unauthenticated >= 1);
    const log = (await new ImportRunsService({ db, actor: EDITOR }).get(out.runId)).log.map((l) => l.message).join('\n');
    assert.match(log, /session expired during the run; logged in again/);
  });

  test('a host with more than 4,000 VMs is listed per power state', async () => {
    const inv = generateInventory(1, 4500);
    inv.vms.forEach((v, i) => {
      if (i % 3 === 1) Object.assign(v, { power_state: 'POWERED_OFF', tools: false });
    });
    const out = await run(inv, { concurrency: 16 }, true);
    assert.equal(out.status, 'succeeded', out.error?.message);
    assert.equal(out.plan!.counts.ip_assets.create, 1 + 3000 * 2);
    assert.deepEqual(fake!.stats.vmLists, ['?hosts=host-10', '?hosts=host-10&power_states=POWERED_ON', '?hosts=host-10&power_states=POWERED_OFF', '?hosts=host-10&power_states=SUSPENDED']);
    const log = (await new ImportRunsService({ db, actor: EDITOR }).get(out.runId)).log.map((l) => l.message).join('\n');
    assert.match(log, /1 ESXi host\(s\), 4500 VM\(s\) \(1500 not powered on, not queried\)/);
  });

  test('self-signed certificates are refused unless tls_verify is off', async () => {
    const refused = await run({ ...small(), https: true });
    assert.equal(refused.status, 'failed');
    assert.match(refused.error!.message, /TLS error .*set tls_verify=false/);
    await fake!.close();
    const ok = await run({ ...small(), https: true }, { tls_verify: false }, true);
    assert.equal(ok.status, 'succeeded', ok.error?.message);
  });
});
