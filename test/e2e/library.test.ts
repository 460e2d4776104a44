/** The catalog library in Chromium: tabs, tab-aware New button, IPs counts, colour preview, exact-name delete. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];

describe('library in Chromium', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' });
    const blue = await s.projects.create({ name: 'blue-team', color: '#1e40af' });
    await s.tags.create({ name: 'prod', color: '#dc2626' });
    await s.vendors.create({ name: 'Dell' });
    await s.assets.create({ ip_address: '10.0.0.1', type: 'VM', project_id: blue.id, tags: ['prod'] });
    await s.assets.create({ ip_address: '10.0.0.2', type: 'VM', project_id: blue.id });
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test('projects, tags and vendors tabs with IPs counts; create with a suggested colour, edit, delete by exact name', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    trackRequests(page, requested);
    await login(page, panel.url, 'eddie');
    await page.goto(`${panel.url}/ui/resources/projects`);
    await page.getByTestId('item-blue-team').waitFor();
    assert.match(await page.getByTestId('item-blue-team').innerText(), /blue-team\s+#1e40af\s+2/);
    assert.equal((await page.getByTestId('new-item').innerText()).trim(), '+ New Project');
    await shot(page, 'library-01-projects');
    await page.getByTestId('tab-tags').click();
    await page.getByTestId('item-prod').waitFor();
    assert.equal((await page.getByTestId('new-item').innerText()).trim(), '+ New Tag');
    assert.match(await page.getByTestId('item-prod').innerText(), /prod\s+#dc2626\s+1/);
    await page.getByTestId('new-item').click();
    const suggested = await page.inputValue('#item-color');
    assert.match(suggested, /^#[0-9a-f]{6}$/);
    await page.fill('#item-name', 'edge');
    await page.fill('#item-color', '#0ea5e9');
    assert.equal(await page.getByTestId('color-preview').locator('.ipk-chip').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(14, 165, 233)');
    await shot(page, 'library-02-new-tag');
    await page.getByTestId('item-drawer').locator('button:has-text("Create tag")').click();
    await page.getByTestId('item-edge').waitFor();
    await page.getByTestId('item-edge').locator('button:has-text("Edit")').click();
    await page.fill('#item-name', 'edge-2');
    await page.getByTestId('item-drawer').locator('button:has-text("Save")').click();
    await page.getByTestId('item-edge-2').waitFor();
    await page.getByTestId('item-edge-2').locator('button:has-text("Delete")').click();
    await page.getByTestId('delete-ack').check();
    await page.getByTestId('delete-confirm-text').fill('edge-2');
    await page.getByTestId('delete-confirm').click();
    await page.getByTestId('item-edge-2').waitFor({ state: 'detached' });
    await page.getByTestId('tab-vendors').click();
    await page.getByTestId('item-Dell').waitFor();
    assert.equal((await page.getByTestId('new-item').innerText()).trim(), '+ New Vendor');
    await context.close();
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), []);
  });
});
