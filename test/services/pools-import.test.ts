/**
 * Imports and connector runs respect reservations (issue 19): through the reconcile engine
 * (here the real CSV and bundle importers), a record that would create a live IP asset — or
 * restore an archived one — on an address a reservation holds (reserved, assigned, inside a
 * delegated prefix, or released and still in quarantine) is an error naming the holder, like REST
 * create's 409. The dry run and the apply report the same errors, and the apply writes nothing,
 * even when the held address comes in a later chunk than addresses that are fine. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { bundlePlugin } from '../../plugins/bundle/index.js';
import { csvPlugin } from '../../plugins/csv/index.js';
import type { Plugin } from '../../src/plugins/define-plugin.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { createTestDb, DIALECT } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';

describe(`imports refuse live IP assets over held addresses (${DIALECT})`, () => {
  let db: Knex;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ db, cleanup } = await createTestDb());
    const s = servicesFor(db);
    const v4 = await s.pools.create({ pool_name: 'imp-v4', pool_type: 'IPV4_PUBLIC', network_cidr: '10.60.0.0/24' });
    const pd = await s.pools.create({ pool_name: 'imp-pd', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:60::/48', delegation_prefix_length: 56 });
    await s.reservations.reserve({ pool_id: v4.id, subscriber_id: 'sub-live', ip_address: '10.60.0.2', assign: true });
    const gone = await s.reservations.reserve({ pool_id: v4.id, subscriber_id: 'sub-gone', ip_address: '10.60.0.3' });
    await s.reservations.release(gone.id);
    // An archived asset whose address was reserved afterwards: restoring it by import is refused too.
    await s.assets.create({ ip_address: '10.60.0.5', type: 'VM' });
    await s.assets.archive('10.60.0.5');
    await s.reservations.reserve({ pool_id: v4.id, subscriber_id: 'sub-five', ip_address: '10.60.0.5' });
    await s.reservations.reserve({ pool_id: pd.id, subscriber_id: 'sub-pd', ip_address: '2001:db8:60:100::/56' });
  });
  after(() => cleanup());

  const csv = (rows: string[]) => ({ name: 'ip-assets.csv', field: 'ip_assets', data: Buffer.from(['ip_address,type,project_name,host_name,notes,archived', ...rows].join('\n') + '\n') });
  const runCsv = (rows: string[], dryRun: boolean) => runPlugin(db, EDITOR, { plugin: csvPlugin as unknown as Plugin, input: { files: [csv(rows)] }, dryRun, chunkSize: 2 });
  const assetCount = async (): Promise<number> => Number(((await db('ip_assets').count({ n: '*' }).first()) as { n: number | string }).n);

  it('CSV: dry run and apply report each held address as an error naming its holder; the apply writes nothing', async () => {
    // Fine rows first, so the held ones land in later chunks (chunkSize 2) after writable ones.
    const rows = [
      '10.60.0.10,VM,,,,False',
      '10.60.0.11,VM,,,,False',
      '10.60.0.2,VM,,,,False',
      '10.60.0.3,OS,,,,False',
      '10.60.0.5,VM,,,,False',
      '2001:db8:60:100::7,VM,,,,False',
      '10.60.0.4,VM,,,,False',
    ];
    const before = await assetCount();
    const dry = await runCsv(rows, true);
    const apply = await runCsv(rows, false);
    const errors = (r: typeof dry) => r.plan!.errors.map((e) => [e.location, e.message]);
    assert.deepEqual(errors(apply), errors(dry));
    const byAddress = new Map(errors(dry).map(([, m]) => [m!.split(' ')[2], m!]));
    assert.match(byAddress.get('10.60.0.2')!, /is held by subscriber sub-live \(reservation \d+, ASSIGNED in pool imp-v4\)/);
    assert.match(byAddress.get('10.60.0.3')!, /is in quarantine: released by subscriber sub-gone on /);
    assert.match(byAddress.get('10.60.0.5')!, /is held by subscriber sub-five \(reservation \d+, RESERVED in pool imp-v4\)/);
    assert.match(byAddress.get('2001:db8:60:100::7')!, /is held by subscriber sub-pd \(reservation \d+, RESERVED in pool imp-pd\)/);
    assert.equal(dry.plan!.errors.length, 4, JSON.stringify(dry.plan!.errors));
    assert.deepEqual(dry.plan!.errors.map((e) => e.location), [4, 5, 6, 7].map((n) => `ip-assets.csv:line ${n} (ip_address)`));
    assert.equal(apply.applied, false);
    assert.equal(await assetCount(), before);
    assert.equal(((await db('ip_assets').where({ ip_address: '10.60.0.5' }).first()) as { archived: unknown }).archived ? 'archived' : 'live', 'archived');
  });

  it('bundle: the same rule; without the held rows the import applies', async () => {
    const doc = (addrs: string[]) => Buffer.from(JSON.stringify({ app: 'ipocket', schema_version: '1', data: { ip_assets: addrs.map((ip_address) => ({ ip_address, type: 'VM' })) } }));
    const run = (addrs: string[], dryRun: boolean) => runPlugin(db, EDITOR, { plugin: bundlePlugin as unknown as Plugin, input: { files: [{ name: 'b.json', data: doc(addrs) }] }, dryRun });
    const held = await run(['10.60.0.20', '10.60.0.2'], false);
    assert.equal(held.applied, false);
    assert.deepEqual(held.plan!.errors.map((e) => e.message), [(await run(['10.60.0.20', '10.60.0.2'], true)).plan!.errors[0]!.message]);
    assert.match(held.plan!.errors[0]!.message, /10\.60\.0\.2 is held by subscriber sub-live/);
    const ok = await run(['10.60.0.20', '10.60.0.21'], false);
    assert.equal(ok.applied, true, JSON.stringify(ok.plan?.errors));
    assert.deepEqual(ok.plan!.errors, []);
    assert.ok(await db('ip_assets').where({ ip_address: '10.60.0.21' }).first());
  });
});
