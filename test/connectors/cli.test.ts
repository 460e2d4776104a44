import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { connectorCommand, parseConnectorArgs } from '../../src/cli/connector.js';
import type { Batch } from '../../src/plugins/batch.js';
import { captureConsole } from '../helpers/console.js';
import { createTestDb } from '../helpers/db.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';

let db: Knex;
let cleanup: () => Promise<void>;
let prom: FakePrometheus;
let dir: string;
before(async () => {
  ({ db, cleanup } = await createTestDb());
  prom = await startFakePrometheus(vectorOf(['192.0.2.90:9100', '[2001:db8::90]:9100']));
  dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-cli-'));
});
after(async () => {
  await prom.close();
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the command with console output captured. */
const cli = (argv: string[]) => captureConsole(() => connectorCommand(db, 'k'.repeat(40), argv));

test('flags become options: --key value, --key=value, bare switches, -o key=value, dashes as underscores', () => {
  const a = parseConnectorArgs(['prometheus', '--dry-run', '--url', 'http://x:9090', '--tls-verify=false', '--include-loopback', '-o', 'tags=a', '-o', 'tags=b', '--out', 'b.json']);
  assert.equal(a.name, 'prometheus');
  assert.equal(a.mode, 'dry-run');
  assert.equal(a.out, 'b.json');
  assert.deepEqual(a.options, { url: 'http://x:9090', tls_verify: 'false', include_loopback: 'true', tags: ['a', 'b'] });
  assert.throws(() => parseConnectorArgs(['prometheus', '--dry-run', '--apply']), /either --dry-run or --apply/);
});

test('ipocket connector --dry-run prints per-IP changes and writes the batch with --out; --apply writes', async () => {
  const out = path.join(dir, 'batch.json');
  const dry = await cli(['prometheus', '--dry-run', '--url', prom.url, '--out', out]);
  assert.equal(dry.code, 0, dry.out);
  assert.match(dry.out, /CREATE 192\.0\.2\.90 /);
  assert.match(dry.out, /Dry-run: nothing was written/);
  const batch = JSON.parse(readFileSync(out, 'utf8')) as Batch;
  assert.deepEqual(batch.ip_assets.map((a) => a.ip_address), ['192.0.2.90', '2001:db8::90']);
  assert.equal(Number((await db('ip_assets').count({ n: '*' }))[0]!.n), 0);
  const applied = await cli(['prometheus', '--apply', '--url', prom.url]);
  assert.equal(applied.code, 0, applied.out);
  assert.match(applied.out, /Applied\. \(run #\d+, succeeded\)/);
  assert.equal(Number((await db('ip_assets').count({ n: '*' }))[0]!.n), 2);
});

test('a failing connector exits 1 with the message; missing mode prints usage', async () => {
  prom.answer({ status: 400, body: { status: 'error', errorType: 'bad_data', error: 'unexpected end of input' } });
  const failed = await cli(['prometheus', '--dry-run', '--url', prom.url, '--query', 'up{']);
  assert.equal(failed.code, 1);
  assert.match(failed.out, /bad_data\): unexpected end of input/);
  assert.equal((await cli(['prometheus', '--url', prom.url])).code, 2);
});
