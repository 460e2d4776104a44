/**
 * The Device changes page in Chromium (issue 14): every change across devices, newest first,
 * filtered by field, device, run, user and "last 24 h" (in the URL), paged by the server, each
 * row linking to its device and run; reachable from the keyboard. As an editor and a viewer.
 * Also the device page's "Reported by" card (each source with its first and last seen).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];
let runId = 0;
const ids: Record<string, number> = {};

async function open(user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  trackRequests(page, requested);
  await login(page, panel.url, user);
  return page;
}

const CHANGES = (search = '') => `${panel.url}/ui/pages/device-changes${search}`;

/** The rows the table shows as "device field new by", once it has loaded. */
async function rows(page: Page): Promise<string[]> {
  await page.locator('[data-testid=changes-card][data-loading=false]').waitFor();
  return page.locator('[data-testid=history-row]').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent!.trim()).filter((_, i) => i !== 2).join(' | ')));
}

async function expectRows(page: Page, expected: (seen: string[]) => boolean, what: string): Promise<string[]> {
  const deadline = Date.now() + 8000;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await rows(page);
    if (expected(seen)) return seen;
    await page.waitForTimeout(100);
  }
  assert.fail(`${what}: ${JSON.stringify(seen)}`);
}

describe('Device changes in Chromium', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    const { servicesFor } = await import('../helpers/services.js');
    const { SYSTEM_ACTOR } = await import('../../src/services/context.js');
    const s = servicesFor(panel.tdb.db, { userId: null, username: 'eddie', role: 'editor' });
    for (const name of ['lab-sw-01', 'lab-sw-02']) ids[name] = (await s.devices.create({ name, kind: 'switch' })).id;
    await s.devices.patch(ids['lab-sw-01']!, { room_location: '2265', notes: 'by the door' });
    runId = await servicesFor(panel.tdb.db, SYSTEM_ACTOR).importRuns.start({ plugin: 'vcenter', source: null, mode: 'apply', options: {} });
    const sync = servicesFor(panel.tdb.db, SYSTEM_ACTOR).devices;
    const r = await sync.recordFacts('vcenter', runId, [{ external_id: 'vm-7', name: 'vm-app', kind: 'vm', platform: 'vmware', power_state: 'poweredOn', vcpus: 2 }]);
    ids['vm-app'] = r.devices[0]!.device_id;
    // Enough rows for a second page at 20 a page.
    for (let i = 0; i < 24; i++) await s.devices.patch(ids['lab-sw-02']!, { notes: `note ${i}` });
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test('an editor filters by field, device, run, user and last 24 h; the URL keeps it; rows link to the device and the run', async () => {
    const page = await open('eddie');
    await page.goto(CHANGES('?per=20'));
    const all = await expectRows(page, (r) => r.length === 20, 'first page of 20');
    assert.match(all[0]!, /^lab-sw-02 \| notes \| note 23 \| eddie$/);
    assert.match(await page.getByTestId('pager-range').innerText(), /1.20 of \d\d/);
    await page.getByTestId('next-page').click();
    await expectRows(page, (r) => r.length > 0 && r.length < 20, 'second page');
    assert.match(page.url(), /page=2/);

    await page.getByTestId('filter-field').selectOption('room_location');
    assert.deepEqual(await expectRows(page, (r) => r.length === 1, 'field filter'), ['lab-sw-01 | room_location | 2265 | eddie']);
    assert.match(page.url(), /field=room_location/);
    assert.doesNotMatch(page.url(), /page=/, 'a new filter starts at page 1');
    await page.getByTestId('filter-field').selectOption('');

    await page.getByTestId('filter-run').fill(String(runId));
    await page.getByTestId('filter-run').press('Enter');
    const fromRun = await expectRows(page, (r) => r.length > 0 && r.every((x) => x.startsWith('vm-app')), 'run filter');
    assert.ok(fromRun.some((x) => x === `vm-app | device | created | vcenter run #${runId}`), JSON.stringify(fromRun));
    await shot(page, 'device-changes-run-1000');
    await page.getByTestId('change-run').first().click();
    await page.waitForURL(new RegExp(`/ui/pages/data-ops#run-${runId}$`));
    await page.goBack();
    await expectRows(page, (r) => r.length > 0 && r.every((x) => x.startsWith('vm-app')), 'back to the run filter');

    await page.getByTestId('clear-filters').click();
    await page.getByTestId('filter-user').fill('eddie');
    await page.getByTestId('filter-user').press('Enter');
    await expectRows(page, (r) => r.length === 20 && r.every((x) => x.endsWith('| eddie')), 'user filter');
    assert.match(await page.getByTestId('pager-range').innerText(), /of 28$/);
    await page.getByTestId('filter-24h').check();
    assert.match(page.url(), /since_hours=24/);
    assert.match(page.url(), /changed_by=eddie/);
    // The URL holds the filters: a reload shows the same page.
    await page.reload();
    assert.equal(await page.getByTestId('filter-user').inputValue(), 'eddie');
    assert.ok(await page.getByTestId('filter-24h').isChecked());
    await expectRows(page, (r) => r.length === 20, 'after reload');

    await page.getByTestId('clear-filters').click();
    await page.locator('[data-testid=filter-device] input').fill('lab-sw-01');
    await page.getByRole('option', { name: /lab-sw-01/ }).waitFor();
    await page.locator('[data-testid=filter-device] input').press('Enter');
    const one = await expectRows(page, (r) => r.length === 3 && r.every((x) => x.startsWith('lab-sw-01')), 'device filter');
    assert.deepEqual(one.map((x) => x.split(' | ')[1]), ['room_location', 'notes', 'device']);
    assert.match(page.url(), new RegExp(`device_id=${ids['lab-sw-01']}`));
    await shot(page, 'device-changes-device-1000');
    await page.getByTestId('change-device').first().click();
    await page.waitForURL(new RegExp(`/ui/resources/devices/records/${ids['lab-sw-01']}/show`));
    await page.context().close();
  });

  test('a viewer reads the page and moves through it with the keyboard alone', async () => {
    const page = await open('vera');
    await page.goto(CHANGES(`?run_id=${runId}`));
    await expectRows(page, (r) => r.length > 0 && r.every((x) => x.startsWith('vm-app')), 'viewer, run filter from the URL');
    // Tab from the field filter reaches the device picker, the run and user boxes, the 24 h box, then the links of the rows.
    await page.getByTestId('filter-field').focus();
    const reached: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? ''));
    }
    for (const id of ['filter-run', 'filter-user', 'filter-24h', 'change-device', 'change-run']) assert.ok(reached.includes(id), `${id} not reached by Tab: ${reached.join(', ')}`);
    await page.getByTestId('filter-24h').focus();
    await page.keyboard.press('Space');
    await page.waitForURL(/since_hours=24/);
    await expectRows(page, (r) => r.length > 0, 'last 24 h');
    await shot(page, 'device-changes-viewer-1000');
    await page.context().close();
  });

  test('the device page says which sources report the device, first and last seen', async () => {
    const page = await open('vera');
    await page.goto(`${panel.url}/ui/resources/devices/records/${ids['vm-app']}/show`);
    const row = page.getByTestId('source-row-vcenter');
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[0], 'vcenter');
    assert.equal(cells[1], 'vm-7');
    assert.match(cells[2]!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    assert.match(cells[3]!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    assert.equal(cells[4], `run #${runId}`);
    // A device typed in by hand: what the person typed is the `manual` source's.
    await page.goto(`${panel.url}/ui/resources/devices/records/${ids['lab-sw-02']}/show`);
    assert.equal(await page.getByTestId('source-row-manual').locator('td').first().innerText(), 'typed in (manual)');
    await page.goto(`${panel.url}/ui/resources/devices/records/${ids['vm-app']}/show`);
    await page.getByTestId('sources-card').waitFor();
    await shot(page, 'device-sources-1000');
    // The History tab leads to this device's changes on the Device changes page.
    await page.getByTestId('tab-history').click();
    await page.getByTestId('all-changes').click();
    await page.waitForURL(new RegExp(`/ui/pages/device-changes\\?device_id=${ids['vm-app']}&device=vm-app$`));
    assert.deepEqual(await expectRows(page, (r) => r.length === 1, 'the device\'s changes'), [`vm-app | device | created | vcenter run #${runId}`]);
    await page.context().close();
    assert.ok(requested.every(isLoopback), 'the panel only talks to loopback');
  });
});
