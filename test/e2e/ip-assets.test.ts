import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];
const LIST = '/ui/resources/ip_assets';

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  trackRequests(page, requested);
  return { context, page };
}

async function services() {
  const { servicesFor } = await import('../helpers/services.js');
  return servicesFor(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' });
}

/** The addresses of the visible rows, top to bottom. */
async function rows(page: Page): Promise<string[]> {
  return page.locator('[data-testid="ip-table"] tbody tr[data-ip]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ip') ?? ''));
}

/** Waits until the table shows the result of the current URL (no request in flight). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="ip-table"]');
    return t && t.getAttribute('data-loading') === 'false' && t.getAttribute('data-state') === (new URLSearchParams(location.search).toString() ? `?${new URLSearchParams(location.search).toString()}` : '');
  });
}

/** A Prometheus-like run of configuration "prom-prod" that reports the address; returns its run id. */
async function reportAddress(address: string): Promise<number> {
  const { z } = await import('zod');
  const { definePlugin } = await import('../../src/plugins/define-plugin.js');
  const { emptyBatch } = await import('../../src/plugins/batch.js');
  const { runPlugin } = await import('../../src/plugins/runner.js');
  const plugin = definePlugin({ name: 'prometheus', title: 'Prometheus', kind: 'connector', options: z.object({}), collect: async () => ({ ...emptyBatch('prom'), ip_assets: [{ loc: address, ip_address: address }] }) });
  const out = await runPlugin(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' }, { plugin, input: { files: [] }, options: {}, dryRun: false, seenIn: { scope: 'prom-prod', configId: null } });
  assert.equal(out.applied, true, JSON.stringify(out.plan?.errors));
  return out.runId;
}

async function seed(): Promise<void> {
  const s = await services();
  const blue = await s.projects.create({ name: 'blue-team', color: '#1e40af' });
  const lab = await s.projects.create({ name: 'lab', color: '#fde68a' });
  for (const [name, color] of [['prod', '#dc2626'], ['edge', '#a7f3d0'], ['db', '#6366f1'], ['web', '#f59e0b'], ['backup', '#0ea5e9'], ['dmz', '#111827'], ['monitoring', '#84cc16']] as const) {
    await s.tags.create({ name, color });
  }
  const srv = await s.hosts.create({ name: 'srv-01' });
  await s.hosts.create({ name: 'srv-02' });
  await s.assets.create({ ip_address: '10.0.0.10', type: 'OS', project_id: blue.id, host_id: srv.id, tags: ['prod', 'edge', 'db', 'web', 'backup', 'dmz'], notes: 'primary database server with a rather long note that must stay on one line in the list' });
  await s.assets.create({ ip_address: '10.0.0.11', type: 'BMC', project_id: blue.id, host_id: srv.id });
  await s.assets.create({ ip_address: '10.0.0.2', type: 'VM', project_id: blue.id, tags: ['prod'] });
  await s.assets.create({ ip_address: '2001:db8::5', type: 'VIP', tags: ['edge'] });
  for (let i = 20; i < 45; i++) {
    await s.assets.create({ ip_address: `10.0.1.${i}`, type: i % 2 ? 'VM' : 'OTHER', project_id: i % 3 ? lab.id : null, tags: i % 4 ? ['web', 'monitoring'] : ['web'], notes: `rack ${i}` });
  }
}

describe('the IP assets workspace in Chromium', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    await seed();
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test('live search, combined filters in the URL, reload/back, page size, chip filters, +N more', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'eddie');
    await page.goto(`${panel.url}${LIST}`);
    await settled(page);
    const first = await rows(page);
    assert.equal(first.length, 20, 'default page size 20');
    assert.deepEqual(first.slice(0, 3), ['10.0.0.2', '10.0.0.10', '10.0.0.11'], 'numeric IP order');
    assert.match(await page.getByTestId('total').innerText(), /^29 addresses/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scroll at 1366 px (overflow ${overflow})`);
    await shot(page, 'ip-01-list');

    // "/" focuses the search; typing filters live (IP and notes).
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'search');
    await page.keyboard.type('rack 3');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'rack 3');
    await settled(page);
    assert.deepEqual(await rows(page), ['10.0.1.30', '10.0.1.31', '10.0.1.32', '10.0.1.33', '10.0.1.34', '10.0.1.35', '10.0.1.36', '10.0.1.37', '10.0.1.38', '10.0.1.39']);
    await page.getByTestId('search').fill('');
    await page.waitForFunction(() => !new URLSearchParams(location.search).has('q'));

    // Project + type + tag filter combined, then reload keeps them.
    await page.getByTestId('filter-project').selectOption({ label: 'lab' });
    await page.getByTestId('filter-type').selectOption('VM');
    await page.getByTestId('filter-tags').locator('input').fill('monit');
    await page.getByTestId('tag-suggestions').locator('text=monitoring').click();
    await settled(page);
    const combined = await rows(page);
    assert.ok(combined.length > 0);
    const s = await services();
    const expected = (await s.assets.list({ project: 'lab', type: 'VM', tags: ['monitoring'], limit: 100 })).items.map((a) => a.ip_address);
    assert.deepEqual(combined, expected);
    const url = page.url();
    assert.match(url, /project=\d+/);
    assert.match(url, /type=VM/);
    assert.match(url, /tags=monitoring/);
    await page.reload();
    await settled(page);
    assert.deepEqual(await rows(page), expected, 'reload keeps the filters');
    assert.equal(await page.getByTestId('filter-type').inputValue(), 'VM');
    await shot(page, 'ip-02-list-filtered');
    // "not" matching excludes the tag.
    await page.getByTestId('filter-match').selectOption('not');
    await settled(page);
    assert.deepEqual(await rows(page), (await s.assets.list({ project: 'lab', type: 'VM', tags: ['monitoring'], tag_match: 'not', limit: 100 })).items.map((a) => a.ip_address));
    // Back restores the previous filter state.
    await page.goBack();
    await settled(page);
    assert.deepEqual(await rows(page), expected, 'back restores the any-match rows');

    // Page size keeps filters; unassigned project filter.
    await page.goto(`${panel.url}${LIST}?project=unassigned`);
    await settled(page);
    const unassigned = await rows(page);
    assert.ok(unassigned.includes('2001:db8::5'));
    await page.getByTestId('page-size').selectOption('50');
    await settled(page);
    assert.match(page.url(), /project=unassigned/);
    assert.match(page.url(), /per=50/);
    assert.deepEqual(await rows(page), unassigned);

    // Clicking chips in a row applies those filters.
    await page.goto(`${panel.url}${LIST}`);
    await settled(page);
    await page.locator('tr[data-ip="10.0.0.10"] button.ipk-chip:has-text("blue-team")').click();
    await settled(page);
    assert.deepEqual(await rows(page), ['10.0.0.2', '10.0.0.10', '10.0.0.11']);
    await page.locator('tr[data-ip="10.0.0.10"] button.ipk-chip:has-text("OS")').click();
    await settled(page);
    assert.deepEqual(await rows(page), ['10.0.0.10']);

    // +N more: 3 chips in the row, the rest in a popover (hover opens, search filters, Esc closes).
    const row = page.locator('tr[data-ip="10.0.0.10"]');
    assert.equal(await row.getByTestId('tag-chip').count(), 3);
    assert.equal(await row.getByTestId('tags-more').innerText(), '+3 more');
    await row.getByTestId('tags-more').hover();
    await page.getByTestId('tags-popover').waitFor();
    await page.getByTestId('tags-popover').locator('input').fill('we');
    assert.deepEqual(await page.getByTestId('tags-popover').getByTestId('tag-chip').allInnerTexts(), ['web']);
    await shot(page, 'ip-03-tags-popover');
    await page.keyboard.press('Escape');
    await page.getByTestId('tags-popover').waitFor({ state: 'detached' });
    await row.getByTestId('tags-more').click();
    await page.getByTestId('tags-popover').waitFor();
    await page.click('.ipw-head h1');
    await page.getByTestId('tags-popover').waitFor({ state: 'detached' });
    // A chip in the popover adds that tag to the filter.
    await row.getByTestId('tags-more').click();
    await page.getByTestId('tags-popover').locator('button:has-text("edge")').click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('tags') === 'edge');
    await context.close();
  });

  test('add, edit (unassign, host picker) and delete with the typed confirmation, from drawers', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'eddie');
    await page.goto(`${panel.url}${LIST}?type=VM&per=50`);
    await settled(page);
    await page.evaluate(() => window.scrollTo(0, 400));
    const scrollBefore = await page.evaluate(() => window.scrollY);

    // "n" opens Add; a bad address comes back inline from the server.
    await page.keyboard.press('n');
    const drawer = page.getByTestId('asset-drawer');
    await drawer.waitFor();
    await page.fill('#ipk-ip', '10.0.0.300');
    await drawer.locator('button:has-text("Add IP")').click();
    await drawer.locator('.ipk-err').waitFor();
    await shot(page, 'ip-04-add-drawer-error');
    await page.fill('#ipk-ip', '10.0.9.9');
    await page.selectOption('#ipk-type', 'BMC');
    assert.match(await drawer.innerText(), /Create and link server_10\.0\.9\.9/);
    await page.selectOption('#ipk-project', { label: 'lab' });
    await drawer.getByTestId('tag-picker').locator('input').fill('pro');
    await page.keyboard.press('Enter');
    await drawer.locator('h2').click();
    await drawer.locator('textarea').fill('new bmc');
    await shot(page, 'ip-05-add-drawer');
    await drawer.locator('button:has-text("Add IP")').click();
    await page.getByTestId('notice').waitFor();
    assert.match(page.url(), /type=VM&per=50/, 'back on the same filters');
    assert.equal(await page.evaluate(() => window.scrollY), scrollBefore, 'scroll position kept');
    const s = await services();
    const bmc = await s.assets.getByAddress('10.0.9.9');
    assert.equal(bmc.type, 'BMC');
    assert.deepEqual(bmc.tags, ['prod']);
    assert.ok(bmc.host_id);

    // Edit: clearing the project unassigns; the host picker searches.
    await page.goto(`${panel.url}${LIST}?q=10.0.0.2`);
    await settled(page);
    await page.locator('tr[data-ip="10.0.0.2"] button:has-text("Edit")').click();
    await drawer.waitFor();
    await page.selectOption('#ipk-project', '');
    await page.selectOption('#ipk-type', 'OS');
    await drawer.getByTestId('host-picker').locator('input').fill('srv-0');
    await drawer.getByTestId('picker-options').locator('text=srv-02').click();
    await shot(page, 'ip-06-edit-drawer');
    await drawer.locator('button:has-text("Save changes")').click();
    // The notice of this save, not the add's still on screen: that one is there before the save answers.
    await page.getByTestId('notice').filter({ hasText: '10.0.0.2 saved.' }).waitFor();
    const edited = await s.assets.getByAddress('10.0.0.2');
    assert.equal(edited.project_id, null, 'clearing the project unassigns');
    assert.equal(edited.type, 'OS');
    assert.equal((await s.hosts.list({ q: 'srv-02' })).items[0]?.id, edited.host_id);

    // Esc closes a drawer.
    await page.locator('tr[data-ip="10.0.0.2"] button:has-text("Edit")').click();
    await drawer.waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // Delete of a high-risk asset (tagged prod) needs the typed IP.
    await page.goto(`${panel.url}${LIST}?q=10.0.9.9`);
    await settled(page);
    await page.locator('tr[data-ip="10.0.9.9"] button:has-text("Delete")').click();
    const del = page.getByTestId('delete-drawer');
    await del.waitFor();
    const confirm = del.locator('button:has-text("Delete permanently")');
    assert.match(await del.innerText(), /lab/);
    await del.getByTestId('delete-ack').check();
    assert.equal(await confirm.isDisabled(), true, 'high risk: the IP must be typed');
    await del.getByTestId('delete-confirm-text').fill('10.0.9.8');
    assert.equal(await confirm.isDisabled(), true);
    await del.getByTestId('delete-confirm-text').fill('10.0.9.9');
    await shot(page, 'ip-07-delete-drawer');
    assert.equal(await confirm.isDisabled(), false);
    await confirm.click();
    await page.getByTestId('notice').filter({ hasText: '10.0.9.9 deleted.' }).waitFor();
    assert.equal(await s.assets.findByAddress('10.0.9.9'), null);

    // A low-risk asset archives from the same drawer.
    await page.goto(`${panel.url}${LIST}?q=10.0.1.21`);
    await settled(page);
    await page.locator('tr[data-ip="10.0.1.21"] button:has-text("Delete")').click();
    await del.waitFor();
    assert.equal(await del.getByTestId('delete-confirm-text').count(), 0, 'no typed confirmation for low risk... unless assigned');
    await del.locator('button:has-text("Archive")').click();
    await page.getByTestId('notice').filter({ hasText: '10.0.1.21 archived.' }).waitFor();
    assert.equal((await s.assets.getByAddress('10.0.1.21')).archived, true);
    await page.goto(`${panel.url}${LIST}?archived=only`);
    await settled(page);
    assert.deepEqual(await rows(page), ['10.0.1.21']);
    await context.close();
  });

  test('Add IP: text typed in the Host or Tags picker without choosing a suggestion is kept or refused, never dropped', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'eddie');
    await page.goto(`${panel.url}${LIST}`);
    await settled(page);
    const drawer = page.getByTestId('asset-drawer');
    const tagInput = drawer.getByTestId('tag-picker').locator('input');
    const hostInput = drawer.getByTestId('host-picker').locator('input');
    const s = await services();

    // An exact host name typed (no suggestion clicked) is that host; typed tags become chips on blur and on comma.
    await page.locator('button:has-text("+ Add IP")').click();
    await drawer.waitFor();
    await page.fill('#ipk-ip', '10.0.9.20');
    await page.selectOption('#ipk-type', 'OS');
    await hostInput.fill('srv-01');
    await tagInput.fill('Brand-New');
    await drawer.locator('textarea').click();
    assert.deepEqual(await drawer.getByTestId('tag-picker').locator(':scope > .ipk-chip').allInnerTexts().then((t) => t.map((x) => x.replace('×', '').trim())), ['brand-new'], 'blur makes a chip of the typed text');
    await tagInput.fill('web');
    await page.keyboard.press(',');
    await tagInput.fill('typed-at-submit');
    await shot(page, 'ip-05b-add-typed-picker-text');
    // Submit straight from the tag field: the click that submits also keeps the text.
    await drawer.locator('button:has-text("Add IP")').click();
    await page.getByTestId('notice').filter({ hasText: '10.0.9.20 added.' }).waitFor();
    const added = await s.assets.getByAddress('10.0.9.20');
    assert.equal(added.host_id, (await s.hosts.list({ q: 'srv-01' })).items[0]?.id, 'the typed host name resolved to the host');
    assert.deepEqual([...added.tags].sort(), ['brand-new', 'typed-at-submit', 'web']);

    // A host name that is no host is an error at the field, and nothing is saved until it is chosen or cleared.
    await page.locator('button:has-text("+ Add IP")').click();
    await drawer.waitFor();
    await page.fill('#ipk-ip', '10.0.9.21');
    await page.selectOption('#ipk-type', 'OS');
    await hostInput.fill('no-such-host');
    await drawer.locator('button:has-text("Add IP")').click();
    await drawer.locator('.ipk-err', { hasText: /choose a host from the list or clear the field/i }).waitFor();
    await shot(page, 'ip-05c-add-unknown-host');
    assert.equal(await s.assets.findByAddress('10.0.9.21'), null, 'nothing saved while the host text is unresolved');
    await hostInput.fill('');
    await drawer.locator('button:has-text("Add IP")').click();
    await page.getByTestId('notice').filter({ hasText: '10.0.9.21 added.' }).waitFor();
    assert.equal((await s.assets.getByAddress('10.0.9.21')).host_id, null);
    await context.close();
  });

  test('bulk edit of 3 rows in one request, then row actions still work', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'eddie');
    await page.goto(`${panel.url}${LIST}?q=rack 2`);
    await settled(page);
    const picked = ['10.0.1.22', '10.0.1.23', '10.0.1.24'];
    for (const ip of picked) await page.locator(`tr[data-ip="${ip}"] input[type=checkbox]`).check();
    assert.match(await page.getByTestId('bulk-bar').innerText(), /3 selected/);
    const bulkCalls: string[] = [];
    page.on('request', (r) => r.url().includes('/ip-assets/bulk') && bulkCalls.push(r.method()));
    await page.getByTestId('bulk-edit').click();
    const drawer = page.getByTestId('bulk-drawer');
    await drawer.waitFor();
    assert.deepEqual(await drawer.getByTestId('common-tags').locator('.ipk-chip').allInnerTexts(), ['web']);
    await page.selectOption('#ipk-bulk-type', 'VIP');
    await page.selectOption('#ipk-bulk-project', 'none');
    await drawer.getByTestId('bulk-add-tags').locator('input').fill('edge');
    await page.keyboard.press('Enter');
    // A tag that does not exist yet, typed and left without choosing a suggestion, is kept.
    await drawer.getByTestId('bulk-add-tags').locator('input').fill('night-shift');
    await drawer.locator('h2').click();
    await drawer.getByLabel('Remove web').check();
    await page.selectOption('#ipk-bulk-notes-mode', 'append');
    await drawer.getByLabel('Bulk notes').fill('checked');
    await shot(page, 'ip-08-bulk-drawer');
    await drawer.locator('button:has-text("Apply to 3")').click();
    await page.getByTestId('notice').waitFor();
    assert.deepEqual(bulkCalls, ['POST'], 'one request');
    const s = await services();
    for (const ip of picked) {
      const a = await s.assets.getByAddress(ip);
      assert.equal(a.type, 'VIP');
      assert.equal(a.project_id, null);
      assert.ok(a.tags.includes('edge') && a.tags.includes('night-shift') && !a.tags.includes('web'), `${ip}: ${a.tags.join(',')}`);
      assert.match(a.notes ?? '', /checked/);
      const audit = await s.audit.list({ target_type: 'IP_ASSET', target_label: ip });
      assert.equal(audit.items.filter((e) => e.username === 'eddie').length, 1, `one audit entry for ${ip}`);
    }
    // Row actions still work after the refresh.
    await settled(page);
    await page.locator('tr[data-ip="10.0.1.22"] button:has-text("Edit")').click();
    await page.getByTestId('asset-drawer').waitFor();
    assert.equal(await page.inputValue('#ipk-type'), 'VIP');
    await page.keyboard.press('Escape');

    // "All N matching the filter".
    await page.goto(`${panel.url}${LIST}?q=rack`);
    await settled(page);
    await page.locator('thead input[type=checkbox]').check();
    await page.getByTestId('select-all-matching').click();
    assert.match(await page.getByTestId('bulk-bar').innerText(), /24 selected/);
    await page.getByTestId('bulk-edit').click();
    assert.match(await page.getByTestId('bulk-drawer').innerText(), /24 selected IP assets/);
    await page.keyboard.press('Escape');
    await context.close();
  });

  test('the detail page: chips, details, OS/BMC pair, audit with readable diffs, edit via the drawer', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'eddie');
    const s = await services();
    const asset = await s.assets.getByAddress('10.0.0.10');
    await s.assets.update('10.0.0.10', { notes: 'primary db' });
    const seenRun = await reportAddress('10.0.0.10');
    await page.goto(`${panel.url}${LIST}?q=10.0.0.10`);
    await settled(page);
    await page.click('a:has-text("10.0.0.10")');
    await page.getByTestId('ip-detail').waitFor();
    assert.match(page.url(), new RegExp(`/records/${asset.id}/show`));
    await page.getByTestId('audit').locator('li').first().waitFor();
    assert.match(await page.getByTestId('header-chips').innerText(), /OS[\s\S]*blue-team[\s\S]*prod/);
    const pair = await page.getByTestId('host-pair').innerText();
    assert.match(pair, /srv-01/);
    assert.match(pair, /OS\s+10\.0\.0\.10/);
    assert.match(pair, /BMC\s+10\.0\.0\.11/);
    const audit = await page.getByTestId('audit').innerText();
    assert.match(audit, /UPDATE/);
    assert.match(audit, /CREATE/);
    assert.match(audit, /notes/);
    assert.match(audit, /primary db/);
    // Seen by: the source, its configuration, first/last seen and a link to the run's log.
    const seen = page.getByTestId('seen-by-row-prometheus');
    await seen.waitFor();
    assert.match(await seen.innerText(), new RegExp(`prometheus\\s+prom-prod\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+run #${seenRun}`));
    assert.equal(await seen.getByTestId('seen-by-run').getAttribute('href'), `/ui/pages/data-ops#run-${seenRun}`);
    await shot(page, 'ip-09-detail');
    await page.click('button:has-text("Edit")');
    await page.getByTestId('asset-drawer').locator('textarea').fill('edited from detail');
    await page.click('button:has-text("Save changes")');
    await page.waitForSelector('[data-testid="audit"] >> text=edited from detail');
    assert.equal((await s.assets.getById(asset.id)).notes, 'edited from detail');
    await page.click('button:has-text("Delete")');
    await page.getByTestId('delete-drawer').waitFor();
    await shot(page, 'ip-10-detail-delete-drawer');
    await page.keyboard.press('Escape');
    await context.close();
  });

  test('a viewer sees no write controls, and the API refuses writes with the panel session', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'vera');
    await page.goto(`${panel.url}${LIST}`);
    await settled(page);
    assert.equal(await page.locator('button:has-text("Add IP")').count(), 0);
    assert.equal(await page.locator('tbody button:has-text("Edit")').count(), 0);
    assert.equal(await page.locator('tbody input[type=checkbox]').count(), 0);
    await page.keyboard.press('n');
    assert.equal(await page.getByTestId('asset-drawer').count(), 0);
    await shot(page, 'ip-11-viewer-list');
    const post = await page.evaluate(async () => (await fetch('/ip-assets', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ip_address: '10.7.7.7', type: 'VM' }) })).status);
    assert.equal(post, 403);
    const s = await services();
    assert.equal(await s.assets.findByAddress('10.7.7.7'), null);
    await context.close();
  });

  test('no request left loopback', () => {
    assert.ok(requested.length > 0);
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), []);
  });
});
