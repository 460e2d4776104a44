/** The Connectors page of the panel in Chromium: tabs, saving a configuration, a dry-run with its live log. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, login, shot, startPanel, trackRequests, isLoopback, type Panel } from '../e2e/harness.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';

let panel: Panel;
let browser: Browser;
let prom: FakePrometheus;

before(async () => {
  panel = await startPanel();
  browser = await launchChromium();
  prom = await startFakePrometheus(vectorOf(['192.0.2.110:9100', '[2001:db8::110]:9100']));
});
after(async () => {
  await browser?.close();
  await prom?.close();
  await panel?.stop();
});

test('an editor saves a Prometheus configuration and dry-runs it from the Connectors page', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const requests: string[] = [];
  trackRequests(page, requests);
  await login(page, panel.url, 'eddie');
  await page.goto(`${panel.url}/ui/pages/connectors`);
  await page.waitForSelector('[data-testid="tab-prometheus"]');
  assert.ok(await page.isVisible('[data-testid="tab-vcenter"]'));
  await page.click('[data-testid="tab-prometheus"]');
  await page.fill('[data-testid="new-name"]', 'lab-prometheus');
  await page.fill('[data-testid="new-options"]', JSON.stringify({ url: prom.url, token: 'panel-secret-token' }));
  await page.click('[data-testid="new-save"]');
  await page.waitForSelector('[data-testid="connector-configs"] >> text=lab-prometheus');
  const config = (await panel.tdb.db('connector_configs').where({ name: 'lab-prometheus' }).first()) as { id: number; secrets: string };
  assert.doesNotMatch(config.secrets, /panel-secret-token/);
  await page.click(`[data-testid="dry-run-${config.id}"]`);
  await page.waitForSelector('[data-testid="connector-log"] >> text=succeeded');
  const log = await page.textContent('[data-testid="connector-log"]');
  assert.match(log ?? '', /2 distinct address\(es\)/);
  assert.equal((await page.content()).includes('panel-secret-token'), false, 'the secret is not on the page once saved');
  await shot(page, 'connectors-prometheus-dry-run');
  await page.click('[data-testid="tab-overview"]');
  await page.waitForSelector('[data-testid="connector-configs"] >> text=lab-prometheus');
  await shot(page, 'connectors-overview');
  assert.deepEqual(requests.filter((u) => !isLoopback(u)), []);
  assert.equal(Number((await panel.tdb.db('ip_assets').count({ n: '*' }))[0]!.n), 0, 'a dry-run writes nothing');
  await page.close();
});

test('a viewer may dry-run but not apply or change configurations', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await login(page, panel.url, 'vera');
  await page.goto(`${panel.url}/ui/pages/connectors`);
  await page.waitForSelector('[data-testid="connector-configs"] >> text=lab-prometheus');
  await page.click('button:has-text("Apply")');
  await page.waitForSelector('[data-testid="connector-notice"] >> text=editor role');
  await shot(page, 'connectors-viewer-apply-refused');
  await page.close();
});
