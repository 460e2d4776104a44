/** Ranges, the address drill-down and the dashboard in Chromium, as an editor and a viewer would use them. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];

async function newPage(user: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  trackRequests(page, requested);
  await login(page, panel.url, user);
  return { context, page };
}

describe('ranges, drill-down and dashboard in Chromium', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' });
    const blue = await s.projects.create({ name: 'blue-team', color: '#1e40af' });
    await s.tags.create({ name: 'prod', color: '#dc2626' });
    await s.ranges.create({ name: 'servers', cidr: '10.0.0.0/24' });
    await s.ranges.create({ name: 'v6 lab', cidr: '2001:db8::/64' });
    await s.assets.create({ ip_address: '10.0.0.1', type: 'OS', project_id: blue.id, tags: ['prod'] });
    await s.assets.create({ ip_address: '10.0.0.2', type: 'VM' });
    await s.assets.create({ ip_address: '10.0.0.4', type: 'VM', project_id: blue.id });
    await s.assets.create({ ip_address: '2001:db8::5', type: 'VIP' });
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test('the ranges table shows usage with readable IPv6 sizes; add, edit and delete go through drawers', async () => {
    const { context, page } = await newPage('eddie');
    await page.goto(`${panel.url}/ui/resources/ranges`);
    const row = page.getByTestId('range-row-servers');
    await row.waitFor();
    assert.match(await row.innerText(), /10\.0\.0\.0\/24\s+254\s+3\s+251/);
    assert.match(await page.getByTestId('range-row-v6 lab').innerText(), /≈ 1\.84 × 10¹⁹/);
    await shot(page, 'ranges-01-list');
    await page.getByTestId('add-range').click();
    await page.fill('#range-name', 'lab');
    await page.fill('#range-cidr', '10.9.0.0/33');
    await page.click('button:has-text("Add range")');
    await page.locator('.ipk-err').first().waitFor();
    assert.match(await page.getByTestId('range-drawer').innerText(), /Invalid CIDR/);
    await shot(page, 'ranges-02-add-invalid');
    await page.fill('#range-cidr', '10.9.0.7/24');
    await page.click('button:has-text("Add range")');
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').innerText(), /10\.9\.0\.0\/24/);
    await page.getByTestId('range-row-lab').locator('button:has-text("Edit")').click();
    await page.fill('#range-name', 'lab-2');
    await page.click('button:has-text("Save")');
    await page.getByTestId('range-row-lab-2').waitFor();
    await page.getByTestId('range-row-lab-2').locator('button:has-text("Delete")').click();
    const drawer = page.getByTestId('range-delete-drawer');
    assert.match(await drawer.innerText(), /10\.9\.0\.0\/24[\s\S]*0 used of 254/);
    await page.getByTestId('delete-ack').check();
    assert.equal(await page.getByTestId('delete-confirm').isDisabled(), true);
    await page.getByTestId('delete-confirm-text').fill('lab-2');
    await shot(page, 'ranges-03-delete');
    await page.getByTestId('delete-confirm').click();
    await page.getByTestId('range-row-lab-2').waitFor({ state: 'detached' });
    await context.close();
  });

  test('the drill-down pages used and free addresses, filters, keeps URL state, adds a free address and edits a used one', async () => {
    const { context, page } = await newPage('eddie');
    await page.goto(`${panel.url}/ui/resources/ranges`);
    await page.getByTestId('range-row-servers').getByTestId('free-link').click();
    await page.getByTestId('address-10.0.0.3').waitFor();
    assert.match(page.url(), /status=free/);
    assert.match(await page.getByTestId('range-total').innerText(), /1–50 of 251/);
    await shot(page, 'ranges-04-drill-free');
    await page.getByTestId('status-all').click();
    await page.getByTestId('address-10.0.0.1').waitFor();
    assert.match(await page.getByTestId('address-10.0.0.1').innerText(), /used[\s\S]*blue-team[\s\S]*OS[\s\S]*prod/);
    await page.getByTestId('last-page').click();
    await page.getByTestId('address-10.0.0.254').waitFor();
    assert.match(page.url(), /offset=250/);
    await page.getByTestId('project-filter').selectOption({ label: 'blue-team' });
    await page.getByTestId('address-10.0.0.4').waitFor();
    assert.equal(await page.locator('[data-testid^="address-"]').count(), 2);
    await page.reload();
    await page.getByTestId('address-10.0.0.4').waitFor();
    assert.equal(await page.getByTestId('project-filter').inputValue(), '1');
    await page.goto(`${panel.url}/ui/resources/ranges/records/1/addresses?status=free`);
    await page.getByTestId('address-10.0.0.3').locator('button:has-text("Add")').click();
    const add = page.getByTestId('add-address-drawer');
    assert.equal(await page.inputValue('#add-ip'), '10.0.0.3');
    await page.selectOption('#add-type', 'VM');
    await shot(page, 'ranges-05-add-free');
    await add.locator('button:has-text("Add IP")').click();
    await page.getByTestId('notice').waitFor();
    await page.getByTestId('address-10.0.0.3').waitFor({ state: 'detached' });
    await page.getByTestId('status-used').click();
    await page.getByTestId('address-10.0.0.3').locator('button:has-text("Edit")').click();
    await page.getByTestId('edit-address-drawer').waitFor();
    await shot(page, 'ranges-06-edit-used');
    await page.selectOption('#add-project', { label: 'blue-team' });
    await page.getByTestId('edit-address-drawer').locator('button:has-text("Save")').click();
    await page.getByTestId('notice').filter({ hasText: 'saved' }).waitFor();
    await page.getByTestId('address-10.0.0.3').filter({ hasText: 'blue-team' }).waitFor();
    await page.goto(`${panel.url}/ui/resources/ranges/records/2/addresses?q=2001:db8::ffff:ffff:ffff:ff00/120`);
    await page.getByTestId('address-2001:db8::ffff:ffff:ffff:ff00').waitFor();
    assert.match(await page.getByTestId('range-total').innerText(), /of 256/);
    await context.close();
  });

  test('a viewer sees ranges and the drill-down without write buttons', async () => {
    const { context, page } = await newPage('vera');
    await page.goto(`${panel.url}/ui/resources/ranges`);
    await page.getByTestId('range-row-servers').waitFor();
    assert.equal(await page.getByTestId('add-range').count(), 0);
    assert.equal(await page.locator('button:has-text("Delete")').count(), 0);
    await page.goto(`${panel.url}/ui/resources/ranges/records/1/addresses`);
    await page.getByTestId('address-10.0.0.5').waitFor();
    assert.equal(await page.locator('button:has-text("Add")').count(), 0);
    await context.close();
  });

  test('the dashboard shows totals linking to filtered lists, range utilization and recent changes', async () => {
    const { context, page } = await newPage('eddie');
    await page.goto(`${panel.url}/ui`);
    await page.getByTestId('range-utilization').waitFor();
    assert.equal((await page.getByTestId('total-ip_assets').innerText()).replace(/\D+/g, ' ').trim().split(' ').pop(), '5');
    assert.equal(await page.getByTestId('total-unassigned').getAttribute('href'), '/ui/resources/ip_assets?assignment=unassigned');
    assert.match(await page.getByTestId('recent-audit').innerText(), /CREATE/);
    await shot(page, 'dashboard-01');
    await page.getByTestId('range-utilization').locator('a:has-text("servers")').click();
    await page.getByTestId('range-addresses').waitFor();
    await context.close();
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), []);
  });
});
