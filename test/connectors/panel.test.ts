/** The Connectors page of the panel in Chromium: the generated options form, edit, a dry-run with its change table and live log, viewers. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, login, shot, startPanel, trackRequests, isLoopback, type Panel } from '../e2e/harness.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';

let panel: Panel;
let browser: Browser;
let prom: FakePrometheus;
const requests: string[] = [];

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

const configNamed = async (name: string): Promise<{ id: number; secrets: string; options: string; cron: string | null; enabled: unknown; mode: string }> =>
  (await panel.tdb.db('connector_configs').where({ name }).first()) as { id: number; secrets: string; options: string; cron: string | null; enabled: unknown; mode: string };

test('an editor saves a Prometheus configuration from the generated form and dry-runs it: the change table shows each record', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  trackRequests(page, requests);
  await login(page, panel.url, 'eddie');
  await page.goto(`${panel.url}/ui/pages/connectors`);
  await page.waitForSelector('[data-testid="tab-prometheus"]');
  assert.ok(await page.isVisible('[data-testid="tab-vcenter"]'));
  await page.click('[data-testid="tab-prometheus"]');
  // The same generated form as Data Ops: defaults shown, secrets as password fields, no JSON textarea.
  await page.waitForSelector('[data-testid="connector-new"] [data-testid="opt-url"]');
  assert.equal(await page.locator('[data-testid="connector-new"] textarea').count(), 0);
  assert.equal(await page.getAttribute('[data-testid="opt-token"]', 'type'), 'password');
  assert.equal(await page.inputValue('[data-testid="opt-query"]'), 'up');
  assert.equal(await page.isChecked('[data-testid="opt-tls_verify"]'), true);
  await page.fill('[data-testid="new-name"]', 'lab-prometheus');
  await page.fill('[data-testid="opt-url"]', 'not a url');
  await page.click('[data-testid="new-save"]');
  // A bad option is shown at its field.
  await page.waitForSelector('[data-testid="opt-error-url"]');
  await page.fill('[data-testid="opt-url"]', prom.url);
  assert.equal(await page.locator('[data-testid="opt-error-url"]').count(), 0, 'the error goes once the field is edited');
  await page.fill('[data-testid="opt-token"]', 'panel-secret-token');
  await page.fill('[data-testid="opt-tags"]', 'prometheus, lab');
  await shot(page, 'connectors-new-form');
  await page.click('[data-testid="new-save"]');
  await page.waitForSelector('[data-testid="connector-configs"] >> text=lab-prometheus');
  const config = await configNamed('lab-prometheus');
  assert.doesNotMatch(config.secrets, /panel-secret-token/);
  await page.click(`[data-testid="dry-run-${config.id}"]`);
  await page.waitForSelector('[data-testid="connector-log"] >> text=succeeded');
  assert.match((await page.textContent('[data-testid="connector-log"]')) ?? '', /2 distinct address\(es\)/);
  // The per-record change table, as on Data Ops.
  await page.waitForSelector('[data-testid="connector-preview"] [data-testid="preview-table"]');
  const rows = await page.locator('[data-testid="connector-preview"] [data-testid="preview-table"] tbody tr[data-action="CREATE"]').allInnerTexts();
  assert.ok(rows.some((r) => r.includes('192.0.2.110') && /tags: .*lab/.test(r)), rows.join('\n'));
  assert.ok(rows.some((r) => r.includes('2001:db8::110')), rows.join('\n'));
  assert.match((await page.textContent('[data-testid="connector-preview"]')) ?? '', /nothing was written/);
  assert.equal(prom.auth.at(-1), 'Bearer panel-secret-token');
  assert.equal((await page.content()).includes('panel-secret-token'), false, 'the secret is not on the page once saved');
  await shot(page, 'connectors-prometheus-dry-run');
  await page.click('[data-testid="tab-overview"]');
  await page.waitForSelector('[data-testid="connector-configs"] >> text=lab-prometheus');
  await shot(page, 'connectors-overview');
  assert.equal(Number((await panel.tdb.db('ip_assets').count({ n: '*' }))[0]!.n), 0, 'a dry-run writes nothing');
  await page.close();
});

test('an editor edits a saved configuration: name, options, schedule and enabled; the secret reads "set" and is kept', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  trackRequests(page, requests);
  await login(page, panel.url, 'eddie');
  await page.goto(`${panel.url}/ui/pages/connectors`);
  const { id } = await configNamed('lab-prometheus');
  await page.click(`[data-testid="edit-${id}"]`);
  await page.waitForSelector('[data-testid="connector-edit"]');
  assert.equal(await page.inputValue('[data-testid="connector-edit"] [data-testid="new-name"]'), 'lab-prometheus');
  assert.equal(await page.inputValue('[data-testid="opt-url"]'), prom.url);
  assert.equal(await page.inputValue('[data-testid="opt-tags"]'), 'prometheus, lab');
  assert.equal(await page.inputValue('[data-testid="opt-token"]'), '', 'the stored secret is never put back in the form');
  assert.match((await page.textContent('[data-testid="secret-set-token"]')) ?? '', /set/);
  await page.fill('[data-testid="new-name"]', 'lab-prom-renamed');
  await page.fill('[data-testid="opt-query"]', 'up{job="node"}');
  await page.uncheck('[data-testid="opt-tls_verify"]');
  await page.fill('[data-testid="config-cron"]', '0 * * * *');
  await page.check('[data-testid="config-enabled"]');
  await shot(page, 'connectors-edit-form');
  await page.click('[data-testid="new-save"]');
  await page.waitForSelector('[data-testid="connector-notice"] >> text=lab-prom-renamed saved.');
  const saved = await configNamed('lab-prom-renamed');
  assert.equal(saved.id, id);
  assert.equal(saved.cron, '0 * * * *');
  assert.equal(Boolean(saved.enabled), true);
  const options = JSON.parse(saved.options) as Record<string, unknown>;
  assert.equal(options.query, 'up{job="node"}');
  assert.equal(options.tls_verify, false);
  // The secret was not re-entered: the next run still sends it.
  await page.click(`[data-testid="dry-run-${id}"]`);
  await page.waitForSelector('[data-testid="connector-log"] >> text=succeeded');
  assert.equal(prom.auth.at(-1), 'Bearer panel-secret-token');
  assert.equal(prom.queries.at(-1), 'up{job="node"}');
  await page.close();
});

test('a viewer may dry-run but sees Apply, Edit, Enable and Delete disabled with the reason', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  trackRequests(page, requests);
  await login(page, panel.url, 'vera');
  await page.goto(`${panel.url}/ui/pages/connectors`);
  await page.waitForSelector('[data-testid="connector-configs"] >> text=lab-prom-renamed');
  const { id } = await configNamed('lab-prom-renamed');
  await page.waitForSelector('[data-testid="connector-role-reason"]');
  assert.match((await page.textContent('[data-testid="connector-role-reason"]')) ?? '', /need the editor role \(you are viewer\)/);
  for (const what of ['apply', 'edit', 'toggle', 'delete']) {
    assert.equal(await page.isDisabled(`[data-testid="${what}-${id}"]`), true, `${what} is disabled for a viewer`);
    assert.match((await page.getAttribute(`[data-testid="${what}-${id}"]`, 'title')) ?? '', /editor role/);
  }
  await page.click('[data-testid="tab-prometheus"]');
  assert.equal(await page.locator('[data-testid="connector-new"]').count(), 0, 'no configuration form for a viewer');
  assert.equal(await page.isDisabled(`[data-testid="dry-run-${id}"]`), false);
  await page.click(`[data-testid="dry-run-${id}"]`);
  await page.waitForSelector('[data-testid="connector-preview"] [data-testid="preview-table"]');
  await shot(page, 'connectors-viewer');
  await page.close();
});

test('no request left loopback', () => {
  assert.ok(requests.length > 0);
  assert.deepEqual(requests.filter((u) => !isLoopback(u)), []);
});
