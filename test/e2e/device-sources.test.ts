/**
 * The Connectors page with the device sources (issue 15): a tab per new connector with its
 * options form (generated from the option schema: secrets as password fields), and a saved
 * LibreNMS configuration's dry-run previewing the device CREATEs, against the fake LibreNMS on
 * 127.0.0.1. Screenshots: device-sources-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { generateLab } from '../fakes/lab-devices.js';
import { librenmsFromLab, startFakeLibrenms, type FakeLibrenms } from '../fakes/librenms.js';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

describe('Connectors page: device sources', () => {
  let panel: Panel;
  let browser: Browser;
  let lnms: FakeLibrenms;
  const requested: string[] = [];
  before(async () => {
    [panel, browser, lnms] = await Promise.all([startPanel(), launchChromium(), startFakeLibrenms({ devices: librenmsFromLab(generateLab(8, 0)) })]);
  });
  after(async () => {
    await browser?.close();
    await lnms?.close();
    await panel?.stop();
  });

  test('a tab and a form per device source; a dry-run previews device CREATEs and writes nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    trackRequests(page, requested);
    await login(page, panel.url, 'eddie');
    await page.goto(`${panel.url}/ui/pages/connectors`);
    for (const name of ['nutanix', 'netdisco', 'librenms']) await page.getByTestId(`tab-${name}`).waitFor();
    await page.getByTestId('tab-netdisco').click();
    await page.getByTestId('connector-new').waitFor();
    const form = page.getByTestId('connector-new');
    assert.equal(await form.locator('input[type="password"]').count(), 1, 'the password is a password field');
    assert.match(await form.innerText(), /Netdisco base URL/);
    await shot(page, 'device-sources-netdisco-form');
    const saved = await page.request.post(`${panel.url}/connectors/configs`, { data: { name: 'lab librenms', plugin: 'librenms', options: { url: lnms.url, token: 'librenms-token-0123456789abcdef' }, cron: null, mode: 'dry_run', enabled: false } });
    assert.equal(saved.status(), 201, await saved.text());
    const id = ((await saved.json()) as { id: number }).id;
    await page.goto(`${panel.url}/ui/pages/connectors`);
    await page.getByTestId('tab-librenms').click();
    await page.getByTestId(`dry-run-${id}`).click();
    const preview = page.getByTestId('connector-preview');
    await preview.waitFor({ timeout: 30_000 });
    const text = await preview.innerText();
    assert.match(text, /devices: 4 create, 0 update, 0 skip/);
    assert.match(text, /kind: desktop/, 'the field diffs of a device CREATE');
    await shot(page, 'device-sources-librenms-dry-run');
    assert.equal(Number(((await panel.tdb.db('hosts').count({ n: '*' }))[0] as { n: number }).n), 0, 'a dry-run writes nothing');
    await context.close();
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), []);
  });
});
