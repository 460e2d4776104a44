/**
 * A large device batch on a SQLite file is planned and applied in the reconcile worker (its own
 * connection, reconcile-on-own-connection.ts), which gets the payloads as JSON text. What it
 * stores must be what the in-process road stores: each facts row's raw is the payload's JSON, an
 * unchanged re-run writes nothing, and a dry-run of a changed payload shows that one UPDATE.
 * SQLite files only: the worker exists for them (PostgreSQL and :memory: reconcile in process).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { z } from 'zod';
import { openDatabase } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { emptyBatch, type BatchDevice } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { OWN_CONNECTION_MIN_RECORDS } from '../../src/plugins/reconcile-on-own-connection.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { EDITOR } from '../helpers/services.js';

const COUNT = OWN_CONNECTION_MIN_RECORDS;
let devices: BatchDevice[] = [];
const source = definePlugin({
  name: 'nutanix',
  title: 'Devices',
  kind: 'connector',
  options: z.object({}),
  async collect() {
    return { ...emptyBatch('nutanix'), devices: structuredClone(devices) };
  },
});

const payload = (i: number, state = 'ON') => ({ metadata: { uuid: `uuid-${i}`, categories: { env: ['prod'] } }, status: { name: `vm-${i}`, resources: { power_state: state, nics: [{ ip_endpoint_list: [{ ip: `10.1.${i >> 8}.${i & 255}` }] }] } } });
const vm = (i: number, raw: unknown = payload(i)): BatchDevice => ({
  loc: `vm ${i}`,
  source: 'nutanix',
  source_id: `uuid-${i}`,
  name: `vm-${i}`,
  kind: 'vm',
  platform: 'nutanix',
  vcpus: 2,
  nics: [{ mac: `50:6b:8d:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, ips: [`10.1.${i >> 8}.${i & 255}`] }],
  raw,
});

describe('device batch in the reconcile worker', () => {
  let dir: string;
  let db: Knex;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-own-connection-'));
    db = openDatabase({ client: 'sqlite', filename: path.join(dir, 'db.sqlite') });
    await migrateLatest(db);
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (dryRun: boolean) => {
    const out = await runPlugin(db, EDITOR, { plugin: source, input: { files: [] }, options: {}, dryRun });
    assert.equal(out.status, 'succeeded', out.error?.message);
    assert.equal(out.plan?.errors.length, 0, JSON.stringify(out.plan?.errors.slice(0, 3)));
    return out.plan!;
  };
  const changes = async () => Number(((await db('device_changes').count({ n: '*' }))[0] as { n: number }).n);

  test('stores each payload as its JSON text, and an unchanged re-run writes nothing', async () => {
    devices = Array.from({ length: COUNT }, (_, i) => vm(i));
    const plan = await run(false);
    assert.deepEqual(plan.counts.devices, { create: COUNT, update: 0, skip: 0 });
    const stored = await db('device_facts').where({ external_id: 'uuid-7' }).first();
    assert.equal(stored.raw, JSON.stringify(payload(7)));
    // A payload that is itself text is stored as the JSON of that text, as in process.
    devices[8] = vm(8, 'plain text');
    const again = await run(false);
    assert.deepEqual(again.counts.devices, { create: 0, update: 1, skip: COUNT - 1 });
    assert.equal((await db('device_facts').where({ external_id: 'uuid-8' }).first()).raw, JSON.stringify('plain text'));
    const after = await changes();
    const third = await run(false);
    assert.deepEqual(third.counts.devices, { create: 0, update: 0, skip: COUNT });
    assert.equal(await changes(), after);
  });

  test('a dry-run of one changed payload shows that one UPDATE and writes nothing', async () => {
    devices = Array.from({ length: COUNT }, (_, i) => vm(i));
    devices[8] = vm(8, 'plain text');
    await run(false);
    devices[3] = vm(3, payload(3, 'OFF'));
    const before = await db('device_facts').where({ external_id: 'uuid-3' }).first();
    const plan = await run(true);
    assert.deepEqual(plan.counts.devices, { create: 0, update: 1, skip: COUNT - 1 });
    assert.deepEqual(await db('device_facts').where({ external_id: 'uuid-3' }).first(), before);
    await run(false);
    assert.equal((await db('device_facts').where({ external_id: 'uuid-3' }).first()).raw, JSON.stringify(payload(3, 'OFF')));
  });
});
