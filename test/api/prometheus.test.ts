/**
 * A real Prometheus scrapes /metrics and discovers targets from /sd/node (http_sd_configs).
 * Network safety: the SD job keeps only 127.x addresses, so the other discovered targets are
 * dropped unscraped and only listed (with their labels) under droppedTargets.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { buildTestApp, type TestApp } from './app.js';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

async function freePort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Target {
  labels?: Record<string, string>;
  discoveredLabels: Record<string, string>;
  scrapePool: string;
  health?: string;
  lastError?: string;
}
interface TargetsAnswer {
  data: { activeTargets: Target[]; droppedTargets: Target[] };
}

describe('a real Prometheus against /metrics and /sd/node', () => {
  let t: TestApp;
  let server: Server;
  let prom: ChildProcess | undefined;
  let dir: string;
  let appPort: number;
  let promPort: number;
  let promLog = '';

  before(async () => {
    t = await buildTestApp();
    const ed = t.as.editor;
    const mon = (await request(t.app).post('/projects').set(ed).send({ name: 'monitoring' })).body.id;
    const web = (await request(t.app).post('/projects').set(ed).send({ name: 'web' })).body.id;
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '127.0.0.1', type: 'VM', project_id: mon });
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.20.0.1', type: 'OS', project_id: web, auto_host: false });
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '2001:db8::1', type: 'VIP' });
    server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    appPort = (server.address() as AddressInfo).port;
    dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-prom-'));
  });

  after(async () => {
    if (prom && prom.exitCode === null) {
      prom.kill('SIGTERM');
      const exited = once(prom, 'exit');
      const timer = setTimeout(() => prom?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await t.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('targets and labels from /sd/node arrive; /metrics is scraped up', async () => {
    assert.ok(existsSync(PROMETHEUS), 'install prometheus (apt-get install prometheus)');
    promPort = await freePort();
    const config = `
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: ipocket
    static_configs:
      - targets: ['127.0.0.1:${appPort}']
  - job_name: nodes
    http_sd_configs:
      - url: 'http://127.0.0.1:${appPort}/sd/node?group_by=project&port=${appPort}'
        refresh_interval: 1s
    relabel_configs:
      - source_labels: [__address__]
        regex: '127\\..*'
        action: keep
`;
    writeFileSync(path.join(dir, 'prometheus.yml'), config);
    prom = spawn(PROMETHEUS, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--storage.tsdb.retention.time=1h',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout!.on('data', (d: Buffer) => (promLog += d.toString()));
    prom.stderr!.on('data', (d: Buffer) => (promLog += d.toString()));

    const deadline = Date.now() + 30_000;
    let last: TargetsAnswer | undefined;
    let done = false;
    while (!done && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(prom.exitCode, null, `prometheus exited: ${promLog.slice(-2000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/targets?state=any`);
        if (!res.ok) continue;
        last = (await res.json()) as TargetsAnswer;
      } catch {
        continue;
      }
      const active = last.data.activeTargets;
      const own = active.find((x) => x.scrapePool === 'ipocket');
      const node = active.find((x) => x.scrapePool === 'nodes');
      const dropped = last.data.droppedTargets.filter((x) => x.discoveredLabels.job === 'nodes');
      done = own?.health === 'up' && node?.health === 'up' && dropped.length === 2;
    }
    assert.ok(done, `Prometheus did not get there in 30 s: ${JSON.stringify(last?.data)}\n${promLog.slice(-2000)}`);
    const { activeTargets, droppedTargets } = last!.data;

    // The loopback target was kept, labelled from /sd/node, and scraped (it is our own /metrics).
    const node = activeTargets.find((x) => x.scrapePool === 'nodes')!;
    assert.equal(node.labels!.instance, `127.0.0.1:${appPort}`);
    assert.equal(node.labels!.project, 'monitoring');
    assert.equal(node.labels!.type, 'VM');
    assert.equal(activeTargets.filter((x) => x.scrapePool === 'nodes').length, 1, 'only loopback targets are kept');

    // The others were discovered with their labels and dropped unscraped.
    const byAddress = new Map(droppedTargets.map((x) => [x.discoveredLabels.__address__, x.discoveredLabels]));
    assert.deepEqual([byAddress.get(`10.20.0.1:${appPort}`)?.project, byAddress.get(`10.20.0.1:${appPort}`)?.type], ['web', 'OS']);
    assert.deepEqual([byAddress.get(`[2001:db8::1]:${appPort}`)?.project, byAddress.get(`[2001:db8::1]:${appPort}`)?.type], ['unassigned', 'VIP']);

    // Prometheus stored our gauges.
    const q = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent('ipam_ip_total{job="ipocket"}')}`);
    const body = (await q.json()) as { data: { result: { value: [number, string] }[] } };
    assert.equal(body.data.result[0]?.value[1], '3');
  });
});
