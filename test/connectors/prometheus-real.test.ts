/**
 * The Prometheus connector against a REAL Prometheus (Debian package), on loopback only. Prometheus
 * scrapes our own app's /metrics and itself; a relabel rule rewrites each target's `instance` LABEL
 * to a documentation address, so the connector imports non-loopback addresses while Prometheus
 * only ever connects to 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { buildPluginTestApp, inventoryCounts, type PluginTestApp } from '../plugins/helpers/app.js';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

let t: PluginTestApp;
let appServer: Server;
let prom: ChildProcess | null = null;
let promUrl = '';
let dir = '';
let promLog = '';

before(async () => {
  assert.ok(existsSync(PROMETHEUS), `Prometheus is not installed at ${PROMETHEUS}: apt-get install prometheus`);
  t = await buildPluginTestApp();
  appServer = t.app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => appServer.once('listening', () => r()));
  const appPort = (appServer.address() as AddressInfo).port;
  const promPort = await freePort();
  promUrl = `http://127.0.0.1:${promPort}`;
  dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-prom-'));
  const keepLoopback = `{ source_labels: [__address__], regex: '127\\..*', action: keep }`;
  const config = `
global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: ipocket
    static_configs: [ { targets: ['127.0.0.1:${appPort}'] } ]
    relabel_configs:
      - ${keepLoopback}
      - { target_label: instance, replacement: '192.0.2.10:9100' }
  - job_name: prometheus
    static_configs: [ { targets: ['127.0.0.1:${promPort}'] } ]
    relabel_configs:
      - ${keepLoopback}
      - { target_label: instance, replacement: '[2001:db8::10]:9090' }
  - job_name: loopback-left-as-is
    static_configs: [ { targets: ['127.0.0.1:${appPort}'] } ]
    relabel_configs:
      - ${keepLoopback}
`;
  writeFileSync(path.join(dir, 'prometheus.yml'), config);
  prom = spawn(PROMETHEUS, [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  prom.stderr?.on('data', (c: Buffer) => (promLog = (promLog + c.toString()).slice(-4000)));
  // First scrapes land after a few seconds: poll until all three targets answer `up`.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const n = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('count(up)')}`)
      .then((r) => r.json() as Promise<{ data?: { result?: { value: [number, string] }[] } }>)
      .then((j) => Number(j.data?.result?.[0]?.value[1] ?? 0))
      .catch(() => 0);
    if (n >= 3) break;
    if (Date.now() > deadline) throw new Error(`Prometheus reported no targets within 30 s. Its log:\n${promLog}`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

after(async () => {
  prom?.kill('SIGTERM');
  await new Promise((r) => (prom?.exitCode !== null ? r(null) : prom.once('exit', r)));
  await new Promise<void>((r) => appServer.close(() => r()));
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('a dry-run through POST /import/prometheus with JSON options lists the addresses and writes nothing', async () => {
  const before = await inventoryCounts(t.db);
  const res = await request(t.app)
    .post('/import/prometheus?dry_run=1')
    .set(t.as.viewer)
    .send({ url: promUrl, query: 'up', tags: ['prometheus', 'lab'], project: 'Monitoring' });
  assert.equal(res.status, 200, res.text);
  const body = res.body as { status: string; summary: { ip_assets: { would_create: number } }; changes: { entity: string; key: string; action: string }[] };
  assert.equal(body.status, 'succeeded');
  const ips = body.changes.filter((c) => c.entity === 'ip_assets').map((c) => `${c.action} ${c.key}`).sort();
  assert.deepEqual(ips, ['CREATE 192.0.2.10', 'CREATE 2001:db8::10'], 'the loopback instance is skipped');
  assert.deepEqual(await inventoryCounts(t.db), before);
});

test('apply imports the scraped targets as IP assets with one IMPORT_RUN audit entry', async () => {
  const res = await request(t.app).post('/import/prometheus').set(t.as.editor).send({ url: promUrl, query: 'up', type: 'OS', project: 'Monitoring' });
  assert.equal(res.status, 200, res.text);
  const rows = (await t.db('ip_assets').select('ip_address', 'type', 'notes').orderBy('ip_address')) as { ip_address: string; type: string; notes: string }[];
  assert.deepEqual(rows.map((r) => [r.ip_address, r.type]), [['192.0.2.10', 'OS'], ['2001:db8::10', 'OS']]);
  assert.match(rows[0]!.notes, /^Prometheus: instance=192\.0\.2\.10:9100 \(job ipocket\)/);
  const audit = (await t.db('audit_log').where({ target_type: 'IMPORT_RUN' })) as { target_label: string }[];
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.target_label, 'connector_prometheus');
});

test('a query Prometheus rejects fails the run with its message', async () => {
  const res = await request(t.app).post('/import/prometheus?dry_run=1').set(t.as.viewer).send({ url: promUrl, query: 'up{' });
  assert.equal(res.status, 502);
  assert.match((res.body as { detail: string }).detail, /answered HTTP 400 \(bad_data\): .*parse error/i);
  const [run] = (await t.db('import_runs').where({ plugin: 'prometheus', status: 'failed' })) as { error: string }[];
  assert.match(run!.error, /bad_data/);
});
