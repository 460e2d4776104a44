/**
 * What a new operator meets in the first hour (issue 12): the superuser's empty, button-less
 * inventory; the IPv6 drill-down; tag chips in narrow cells; one list shell and one delete
 * confirmation on every list page. At 1000 px and 1440 px wide.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];
const WIDTHS = [1000, 1440] as const;
const V6 = '2001:db8:20::/64';
const V6_TOTAL = '18,446,744,073,709,551,615';

async function newPage(user: string, width = 1440): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  trackRequests(page, requested);
  await login(page, panel.url, user);
  return { context, page };
}

async function services() {
  const { servicesFor } = await import('../helpers/services.js');
  return servicesFor(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' });
}

/** Range ids by name. */
const rangeIds = new Map<string, number>();

async function seed(): Promise<void> {
  const s = await services();
  for (const [name, color] of [['backup', '#0ea5e9'], ['monitoring', '#84cc16'], ['production', '#dc2626'], ['database', '#6366f1'], ['web', '#f59e0b']] as const) await s.tags.create({ name, color });
  const web = await s.projects.create({ name: 'web-prod', color: '#1e40af' });
  await s.hosts.create({ name: 'alpha-01' });
  await s.hosts.create({ name: 'zulu-09' });
  for (const [name, cidr] of [['office v4', '10.20.0.0/24'], ['lab v6', V6]] as const) rangeIds.set(name, (await s.ranges.create({ name, cidr })).id);
  const tags = ['backup', 'monitoring', 'production', 'database', 'web'];
  await s.assets.create({ ip_address: '10.20.0.11', type: 'OS', project_id: web.id, tags });
  await s.assets.create({ ip_address: '10.20.0.12', type: 'VM', tags: ['monitoring', 'backup'] });
  await s.assets.create({ ip_address: '2001:db8:20:0:ffff:ffff:ffff:fffe', type: 'VIP', tags });
}

/** Chips that show less than their label (text cut by the cell or by an ellipsis). */
async function clippedChips(page: Page, scope: string): Promise<string[]> {
  return page.locator(`${scope} [data-testid="tag-chip"]`).evaluateAll((chips) =>
    chips
      .filter((c) => {
        const cell = c.closest('td')!.getBoundingClientRect();
        const box = c.getBoundingClientRect();
        return c.scrollWidth > c.clientWidth + 0.5 || box.right > cell.right + 0.5 || box.left < cell.left - 0.5;
      })
      .map((c) => c.textContent ?? ''),
  );
}

describe('the first hour in the panel (Chromium)', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test('a superuser is told why inventory has no Add button; empty lists offer what to do next', async () => {
    const root = await newPage('root');
    for (const path of ['/ui/resources/ip_assets', '/ui/resources/hosts', '/ui/resources/ranges']) {
      await root.page.goto(`${panel.url}${path}`);
      const banner = root.page.getByTestId('superuser-banner');
      await banner.waitFor();
      assert.match(await banner.innerText(), /You are signed in as a superuser: superusers manage users but do not edit inventory\. Create an editor account/);
      assert.match(await banner.innerText(), /npm run ipocket -- user create alice --role editor/);
    }
    await root.page.goto(`${panel.url}/ui/resources/ip_assets`);
    await root.page.getByText('No IP addresses yet.').waitFor();
    assert.match(await root.page.getByTestId('ip-workspace').innerText(), /superusers do not edit inventory/);
    await shot(root.page, 'first-hour-01-superuser-empty');
    await root.context.close();

    const editor = await newPage('eddie', 1000);
    await editor.page.goto(`${panel.url}/ui/resources/ip_assets`);
    await editor.page.getByText('No IP addresses yet.').waitFor();
    assert.equal(await editor.page.getByTestId('superuser-banner').count(), 0);
    const empty = editor.page.getByTestId('ip-workspace');
    for (const name of ['+ Add IP', 'Import', 'Create a range']) assert.equal(await empty.getByRole(name === '+ Add IP' ? 'button' : 'link', { name, exact: true }).last().isVisible(), true, name);
    await shot(editor.page, 'first-hour-02-editor-empty-1000');
    await editor.page.getByRole('link', { name: 'Import', exact: true }).click();
    await editor.page.waitForURL(/\/ui\/pages\/data-ops/);
    await editor.page.goto(`${panel.url}/ui/resources/ranges`);
    await editor.page.getByRole('button', { name: 'Create a range' }).click();
    await editor.page.getByTestId('range-drawer').waitFor();
    await editor.context.close();

    const viewer = await newPage('vera');
    await viewer.page.goto(`${panel.url}/ui/resources/hosts`);
    await viewer.page.getByText('No hosts yet.').waitFor();
    assert.match(await viewer.page.getByTestId('empty-reader-hint').innerText(), /Editors add hosts/);
    assert.equal(await viewer.page.getByRole('button', { name: /Add host/ }).count(), 0);
    await viewer.context.close();
  });

  test('the IPv6 /64 drill-down shows whole addresses and exact offsets', async () => {
    await seed();
    for (const width of WIDTHS) {
      const { context, page } = await newPage('eddie', width);
      await page.goto(`${panel.url}/ui/resources/ranges/records/${rangeIds.get('lab v6')}/addresses`);
      await page.getByTestId('address-2001:db8:20::1').waitFor();
      assert.equal(await page.getByTestId('range-total').innerText(), `1–50 of ${V6_TOTAL}`);
      await page.getByTestId('last-page').click();
      await page.getByTestId('address-2001:db8:20:0:ffff:ffff:ffff:fffe').waitFor();
      assert.equal(await page.getByTestId('range-total').innerText(), `18,446,744,073,709,551,601–${V6_TOTAL} of ${V6_TOTAL}`);
      const cells = await page.locator('[data-testid="addresses-table"] tbody tr td:first-child').evaluateAll((tds) => tds.map((td) => ({ text: td.textContent ?? '', cut: td.scrollWidth > td.clientWidth })));
      assert.equal(cells.length, 15);
      for (const c of cells) {
        assert.match(c.text, /^2001:db8:20:0:ffff:ffff:ffff:fff[0-9a-f]$/);
        assert.equal(c.cut, false, `${c.text} is cut at ${width} px`);
      }
      assert.deepEqual(await clippedChips(page, '[data-testid="addresses-table"]'), [], `clipped chips at ${width} px`);
      await shot(page, `first-hour-03-v6-last-page-${width}`);
      await context.close();
    }
  });

  test('tag chips are whole, then "+N more", at 1000 px and 1440 px', async () => {
    for (const width of WIDTHS) {
      const { context, page } = await newPage('eddie', width);
      await page.goto(`${panel.url}/ui/resources/ip_assets`);
      const row = page.locator('tr[data-ip="10.20.0.11"]');
      await row.getByTestId('tag-chip').first().waitFor();
      assert.deepEqual(await clippedChips(page, '[data-testid="ip-table"]'), [], `clipped chips in the IP list at ${width} px`);
      const shown = await row.getByTestId('tag-chip').count();
      const more = row.getByTestId('tags-more');
      if (shown < 5) assert.equal(await more.innerText(), `+${5 - shown} more`);
      await shot(page, `first-hour-04-ip-list-${width}`);

      await page.goto(`${panel.url}/ui/resources/ranges/records/${rangeIds.get('office v4')}/addresses?status=used`);
      const used = page.getByTestId('address-10.20.0.11');
      await used.waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="addresses-table"] [data-testid="tag-chip"], [data-testid="addresses-table"] [data-testid="tags-more"]').length > 0);
      assert.deepEqual(await clippedChips(page, '[data-testid="addresses-table"]'), [], `clipped chips in the drill-down at ${width} px`);
      const inRow = await used.getByTestId('tag-chip').allInnerTexts();
      const moreText = (await used.getByTestId('tags-more').count()) ? await used.getByTestId('tags-more').innerText() : '+0 more';
      assert.equal(inRow.length + Number(/\+(\d+) more/.exec(moreText)![1]), 5, `${inRow.join(',')} + ${moreText}`);
      for (const t of inRow) assert.ok(['backup', 'monitoring', 'production', 'database', 'web'].includes(t), `chip "${t}" is a whole tag name`);
      await shot(page, `first-hour-05-drilldown-tags-${width}`);
      await context.close();
    }
  });

  test('every list page has the same shell (search, sortable headers, pager with page size and jump) and delete confirmation', async () => {
    const { context, page } = await newPage('eddie');
    const pages = ['/ui/resources/ip_assets', '/ui/resources/hosts', '/ui/resources/ranges', '/ui/resources/projects', `/ui/resources/ranges/records/${rangeIds.get('office v4')}/addresses`];
    for (const path of pages) {
      await page.goto(`${panel.url}${path}`);
      const shell = page.getByTestId('list-shell');
      await shell.waitFor();
      assert.equal(await shell.locator('input[type="search"]').count(), 1, `${path}: search`);
      assert.equal(await shell.getByTestId('page-size').count(), 1, `${path}: page size`);
      assert.equal(await shell.getByTestId('page-jump').count(), 1, `${path}: page jump`);
      assert.equal(await shell.getByTestId('pager').count(), 1, `${path}: pager`);
    }
    // Sortable headers: hosts by name, server-side.
    await page.goto(`${panel.url}/ui/resources/hosts`);
    await page.getByTestId('host-row-alpha-01').waitFor();
    const names = () => page.locator('[data-testid^="host-row-"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')));
    assert.deepEqual(await names(), ['host-row-alpha-01', 'host-row-zulu-09']);
    await page.getByTestId('sort-name').click();
    await page.waitForFunction(() => document.querySelector('[data-testid^="host-row-"]')?.getAttribute('data-testid') === 'host-row-zulu-09');
    assert.equal(await page.locator('th[aria-sort="descending"]').textContent(), 'Name▼');
    // Ranges sort in the browser (all rows are loaded).
    await page.goto(`${panel.url}/ui/resources/ranges`);
    await page.getByTestId('range-row-office v4').waitFor();
    await page.getByTestId('sort-name').click();
    await page.getByTestId('sort-name').click();
    assert.deepEqual(await page.locator('[data-testid^="range-row-"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid'))), ['range-row-office v4', 'range-row-lab v6']);
    // Page jump on the drill-down: page 3 of 6 (254 addresses, 50 a page).
    await page.goto(`${panel.url}/ui/resources/ranges/records/${rangeIds.get('office v4')}/addresses`);
    await page.getByTestId('address-10.20.0.1').waitFor();
    await page.getByTestId('page-jump').fill('3');
    await page.getByTestId('page-jump').press('Enter');
    await page.getByTestId('address-10.20.0.101').waitFor();
    assert.equal(await page.getByTestId('range-total').innerText(), '101–150 of 254');
    assert.equal(await page.getByTestId('page-count').innerText(), 'of 6');
    await shot(page, 'first-hour-06-drilldown-page-3');

    // One delete confirmation: the IP list's and the hosts' are the same component.
    for (const [path, opener, drawer] of [
      ['/ui/resources/ip_assets', 'Delete 10.20.0.12', 'delete-drawer'],
      ['/ui/resources/hosts', 'Delete zulu-09', 'host-delete-drawer'],
    ] as const) {
      await page.goto(`${panel.url}${path}`);
      await page.getByRole('button', { name: opener }).click();
      const d = page.getByTestId(drawer);
      await d.getByTestId('confirm-delete').waitFor();
      assert.equal(await d.getByTestId('delete-confirm').isDisabled(), true);
      await d.getByTestId('delete-ack').check();
      const typed = d.getByTestId('delete-confirm-text');
      if (await typed.count()) await typed.fill(opener.replace('Delete ', ''));
      await d.getByTestId('delete-confirm').click();
      await page.getByTestId('notice').waitFor();
      assert.match(await page.getByTestId('notice').innerText(), /deleted/);
    }
    // Connectors used window.confirm: now the same confirmation drawer.
    const saved = await page.request.post(`${panel.url}/connectors/configs`, { data: { name: 'lab-prom', plugin: 'prometheus', options: { url: 'http://127.0.0.1:9/' }, cron: null, mode: 'dry_run', enabled: false } });
    assert.equal(saved.status(), 201, await saved.text());
    await page.goto(`${panel.url}/ui/pages/connectors`);
    await page.getByTestId('connector-configs').getByRole('button', { name: /^Delete/ }).click();
    const d = page.getByTestId('connector-delete-drawer');
    await d.getByTestId('confirm-delete').waitFor();
    await d.getByTestId('delete-ack').check();
    await d.getByTestId('delete-confirm').click();
    await page.getByTestId('connector-notice').filter({ hasText: 'lab-prom deleted.' }).waitFor();
    assert.equal(await page.getByTestId('connector-configs').count(), 0);
    await context.close();
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), []);
  });
});
