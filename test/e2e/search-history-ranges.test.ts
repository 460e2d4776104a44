import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatTimestamp } from '../../src/domain/time.js';
import { getPlugin } from '../../src/plugins/registry.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];
const LIST = '/ui/resources/ip_assets';
const EDITOR = { userId: null, username: 'eddie', role: 'editor' as const };

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  trackRequests(page, requested);
  await login(page, panel.url, 'eddie');
  return { context, page };
}

async function services() {
  const { servicesFor } = await import('../helpers/services.js');
  return servicesFor(panel.tdb.db, EDITOR);
}

async function rows(page: Page): Promise<string[]> {
  return page.locator('[data-testid="ip-table"] tbody tr[data-ip]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ip') ?? ''));
}

/** The table shows the result of the current URL. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="ip-table"]');
    const qs = new URLSearchParams(location.search).toString();
    return t && t.getAttribute('data-loading') === 'false' && t.getAttribute('data-state') === (qs ? `?${qs}` : '');
  });
}

async function search(page: Page, q: string): Promise<string[]> {
  await page.getByTestId('search').fill(q);
  await page.waitForFunction((want) => new URLSearchParams(location.search).get('q') === want, q);
  await settled(page);
  return rows(page);
}

describe('IP search, last seen, history and range nesting in Chromium', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    const s = await services();
    await s.hosts.create({ name: 'web-01', os_ip: '10.20.0.11' });
    await s.assets.create({ ip_address: '10.20.0.12', type: 'VM', notes: 'cache' });
    await s.assets.create({ ip_address: '10.20.1.5', type: 'VM' });
    await s.assets.create({ ip_address: '110.20.0.1', type: 'VM', notes: 'elsewhere' });
    await panel.tdb.db('ip_assets').where({ ip_address: '10.20.0.11' }).update({ last_seen_at: formatTimestamp(new Date(Date.now() - 40 * 86_400_000)) });
    await panel.tdb.db('ip_assets').where({ ip_address: '10.20.0.12' }).update({ last_seen_at: formatTimestamp(new Date(Date.now() - 2 * 86_400_000)) });
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), [], 'the panel only talks to loopback');
  });

  test('the IP list search takes a CIDR, an address prefix and a host name; Last seen column and "not seen for" filter', async () => {
    const { context, page } = await newPage();
    await page.goto(`${panel.url}${LIST}`);
    await settled(page);
    assert.deepEqual(await rows(page), ['10.20.0.11', '10.20.0.12', '10.20.1.5', '110.20.0.1']);
    assert.deepEqual(await search(page, '10.20.0.0/24'), ['10.20.0.11', '10.20.0.12']);
    await shot(page, 'search-01-cidr');
    assert.deepEqual(await search(page, '10.20.'), ['10.20.0.11', '10.20.0.12', '10.20.1.5']);
    assert.deepEqual(await search(page, 'web-01'), ['10.20.0.11']);
    await shot(page, 'search-02-host');
    await page.getByTestId('search').fill('');
    await page.waitForFunction(() => !new URLSearchParams(location.search).has('q'));
    await settled(page);
    const lastSeen = await page.locator('tr[data-ip] [data-testid="last-seen"]').allInnerTexts();
    assert.match(lastSeen[0]!, /^\d{4}-\d\d-\d\d$/);
    assert.deepEqual(lastSeen.slice(2), ['never', 'never']);
    await page.getByTestId('filter-seen').selectOption('30');
    await settled(page);
    assert.match(page.url(), /seen=30/);
    assert.deepEqual(await rows(page), ['10.20.0.11']);
    await page.getByTestId('filter-seen').selectOption('1');
    await settled(page);
    assert.deepEqual(await rows(page), ['10.20.0.11', '10.20.0.12']);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scroll at 1366 px (overflow ${overflow})`);
    await shot(page, 'search-03-not-seen');
    await context.close();
  });

  test('the IP detail shows last seen and a history with the host edit and the import run, linked to the run', async () => {
    const out = await runPlugin(panel.tdb.db, EDITOR, {
      plugin: getPlugin('csv'),
      input: { files: [{ name: 'ip-assets.csv', field: 'ip_assets', data: Buffer.from('ip_address,type,host_name,notes\n10.20.0.11,OS,web-01,hello\n') }] },
      dryRun: false,
    });
    assert.equal(out.status, 'succeeded');
    const id = (await panel.tdb.db('ip_assets').where({ ip_address: '10.20.0.11' }).first('id')) as { id: number };
    const { context, page } = await newPage();
    await page.goto(`${panel.url}${LIST}/records/${id.id}/show`);
    const history = page.getByTestId('audit');
    await history.locator('tr').nth(1).waitFor();
    assert.match(await page.getByTestId('last-seen').innerText(), /\(40 days ago\)/);
    const text = await history.innerText();
    assert.match(text, /host: \(empty\) → web-01/);
    assert.match(text, /notes: \(empty\) → hello/);
    const link = history.getByTestId('history-run');
    assert.equal(await link.innerText(), `csv run #${out.runId}`);
    await shot(page, 'history-01-detail');
    await link.click();
    await page.getByTestId('run-log').waitFor();
    assert.match(await page.getByTestId('run-log').innerText(), new RegExp(`Run #${out.runId} log \\(csv, apply`));
    await shot(page, 'history-02-run');
    await context.close();
  });

  test('the Ranges page nests ranges, warns when a saved range nests, and refuses a duplicate name inline', async () => {
    const s = await services();
    await s.ranges.create({ name: 'Office', cidr: '10.20.0.0/16' });
    const { context, page } = await newPage();
    await page.goto(`${panel.url}/ui/resources/ranges`);
    await page.getByTestId('range-row-Office').waitFor();
    await page.getByTestId('add-range').click();
    await page.fill('#range-name', 'Office');
    await page.fill('#range-cidr', '10.20.0.0/24');
    await page.click('button:has-text("Add range")');
    await page.locator('.ipk-err').first().waitFor();
    assert.match(await page.getByTestId('range-drawer').innerText(), /A range named "Office" already exists/);
    await shot(page, 'ranges-nesting-01-duplicate');
    await page.fill('#range-name', 'Office LAN');
    await page.click('button:has-text("Add range")');
    await page.getByTestId('range-warnings').waitFor();
    assert.match(await page.getByTestId('range-warnings').innerText(), /10\.20\.0\.0\/24 lies inside Office \(10\.20\.0\.0\/16\)/);
    const child = page.getByTestId('range-row-Office LAN');
    await child.waitFor();
    assert.equal(await child.getAttribute('data-depth'), '1');
    assert.match(await child.innerText(), /in Office/);
    assert.equal(await page.getByTestId('range-row-Office').getAttribute('data-depth'), '0');
    assert.match(await page.getByTestId('range-row-Office').innerText(), /\b3\b/, 'the parent counts the 3 addresses inside it once');
    await shot(page, 'ranges-nesting-02-nested');
    await context.close();
  });
});
