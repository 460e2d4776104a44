/** The hosts page in Chromium: list with linked IPs and project badges, search, add/edit/delete drawers. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];

describe('hosts in Chromium', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' });
    const blue = await s.projects.create({ name: 'blue-team', color: '#1e40af' });
    const lab = await s.projects.create({ name: 'lab', color: '#fde68a' });
    const dell = await s.vendors.create({ name: 'Dell' });
    await s.vendors.create({ name: 'HPE' });
    await s.hosts.create({ name: 'srv-01', vendor_id: dell.id, os_ip: '10.0.0.10', bmc_ip: '10.0.1.10', project_id: blue.id, notes: 'rack 4' });
    const mixed = await s.hosts.create({ name: 'srv-02', os_ip: '10.0.0.11', bmc_ip: '10.0.1.11', project_id: blue.id });
    await s.assets.update('10.0.1.11', { project_id: lab.id });
    void mixed;
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test('an editor lists, searches, adds, edits (unlinking an IP) and deletes hosts', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    trackRequests(page, requested);
    await login(page, panel.url, 'eddie');
    await page.goto(`${panel.url}/ui/resources/hosts`);
    const row = page.getByTestId('host-row-srv-01');
    await row.waitFor();
    assert.match(await row.innerText(), /srv-01\s+Dell\s+blue-team\s+10\.0\.0\.10\s+10\.0\.1\.10\s+2\s+rack 4/);
    await page.getByTestId('host-row-srv-02').getByTestId('mixed-projects').waitFor();
    await shot(page, 'hosts-01-list');

    await page.getByTestId('host-search').fill('10.0.1.11');
    await page.getByTestId('host-row-srv-01').waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid^="host-row-"]').count(), 1);
    await page.getByTestId('host-search').fill('');
    await page.getByTestId('vendor-filter').selectOption({ label: 'Dell' });
    await page.getByTestId('host-row-srv-02').waitFor({ state: 'detached' });
    await page.getByTestId('vendor-filter').selectOption('');

    await page.getByTestId('add-host').click();
    await page.fill('#host-name', 'srv-03');
    await page.fill('#host-os', '10.0.0.300');
    await page.getByTestId('host-drawer').locator('button:has-text("Add host")').click();
    await page.getByTestId('host-drawer').locator('.ipk-err').waitFor();
    assert.match(await page.getByTestId('host-drawer').innerText(), /Invalid IP address/);
    await page.fill('#host-os', '10.0.0.12');
    await page.selectOption('#host-vendor', { label: 'HPE' });
    await page.selectOption('#host-project', { label: 'lab' });
    await shot(page, 'hosts-02-add');
    await page.getByTestId('host-drawer').locator('button:has-text("Add host")').click();
    await page.getByTestId('host-row-srv-03').waitFor();
    assert.match(await page.getByTestId('host-row-srv-03').innerText(), /HPE\s+lab\s+10\.0\.0\.12/);

    await page.getByTestId('host-row-srv-01').locator('button:has-text("Edit")').click();
    await page.fill('#host-bmc', '');
    await page.selectOption('#host-project', { label: 'lab' });
    await page.getByTestId('host-drawer').locator('button:has-text("Save")').click();
    await page.getByTestId('host-row-srv-01').filter({ hasText: 'lab' }).waitFor();
    assert.match(await page.getByTestId('host-row-srv-01').innerText(), /10\.0\.0\.10\s+—\s+1/);
    const bmc = await panel.tdb.db('ip_assets').where({ ip_address: '10.0.1.10' }).first();
    assert.equal(bmc.host_id, null, 'the cleared BMC IP is kept, unlinked');

    await page.getByTestId('host-row-srv-03').locator('button:has-text("Delete")').click();
    await page.getByTestId('delete-ack').check();
    await page.getByTestId('delete-confirm-text').fill('srv-0');
    assert.equal(await page.getByTestId('delete-confirm').isDisabled(), true);
    await page.getByTestId('delete-confirm-text').fill('srv-03');
    await shot(page, 'hosts-03-delete');
    await page.getByTestId('delete-confirm').click();
    await page.getByTestId('host-row-srv-03').waitFor({ state: 'detached' });
    const kept = await panel.tdb.db('ip_assets').where({ ip_address: '10.0.0.12' }).first();
    assert.equal(kept.host_id, null, 'the deleted host’s IP is kept, unlinked');
    await context.close();
  });

  test('a viewer sees hosts without write buttons; nothing leaves loopback', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    trackRequests(page, requested);
    await login(page, panel.url, 'vera');
    await page.goto(`${panel.url}/ui/resources/hosts`);
    await page.getByTestId('host-row-srv-01').waitFor();
    assert.equal(await page.getByTestId('add-host').count(), 0);
    assert.equal(await page.locator('button:has-text("Edit")').count(), 0);
    await context.close();
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), []);
  });
});
