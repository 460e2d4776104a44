/**
 * The devices pages in Chromium (issue 14): the Devices list (live search, kind chips, filter
 * chips, URL state, columns, quick owner assignment, bulk edit, CSV export), the device page's
 * tabs (facts and overrides side by side), Owners and Custom fields, and the dashboard's device
 * charts; as an editor, a viewer (no write controls, the server refuses) and a superuser.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { downloadText, isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];
const ids: Record<string, number> = {};
let alice = 0;

async function open(user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  trackRequests(page, requested);
  await login(page, panel.url, user);
  return page;
}

/** Names of the rows the list shows, in order. */
async function rowNames(page: Page): Promise<string[]> {
  await page.locator('[data-testid=devices-table][data-loading=false]').waitFor();
  return page.locator('[data-testid^="device-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.slice('device-row-'.length)));
}

/** Waits until the list shows exactly these rows (the search is live: typing reloads it). */
async function expectRows(page: Page, names: string[]): Promise<void> {
  const deadline = Date.now() + 8000;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await rowNames(page);
    if (JSON.stringify(seen) === JSON.stringify(names)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(seen, names);
}

describe('devices in Chromium', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    const { servicesFor } = await import('../helpers/services.js');
    const { SYSTEM_ACTOR } = await import('../../src/services/context.js');
    const s = servicesFor(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' });
    const root = servicesFor(panel.tdb.db, { userId: null, username: 'root', role: 'superuser' });
    alice = (await s.owners.create({ full_name: 'Alice Admin', email: 'alice@example.test', department: 'Infra' })).id;
    await s.owners.create({ full_name: 'Bob Business', email: 'bob@example.test', designation: 'Manager' });
    await root.customFields.create({ key: 'warranty_until', label: 'Warranty until', type: 'date', device_kind: 'laptop' });
    const lab = await s.projects.create({ name: 'lab', color: '#fde68a' });
    for (const [name, kind, serial, mac, tag] of [
      ['LAB-LAPTOP-001', 'laptop', 'SN-L1', 'aa:bb:cc:00:00:01', 'AT-001'],
      ['LAB-LAPTOP-002', 'laptop', 'SN-L2', 'aa:bb:cc:00:00:02', 'AT-002'],
      ['LAB-TV-01', 'smart_tv', 'SN-TV1', 'aa:bb:cc:00:00:10', 'AT-010'],
      ['LAB-SW-01', 'switch', 'FOC999', 'aa:bb:cc:00:00:20', 'AT-020'],
    ] as const) {
      ids[name] = (await s.devices.create({ name, kind, serial, asset_tag: tag, macs: [mac], room_location: '2265', sub_location: 'shelf 2', project_id: lab.id })).id;
    }
    const sync = servicesFor(panel.tdb.db, SYSTEM_ACTOR).devices;
    const r = await sync.recordFacts('vcenter', null, [
      { external_id: 'vm-1', name: 'vm-web', kind: 'vm', platform: 'vmware', os_type: 'Ubuntu Linux (64-bit)', os_family: 'linux', power_state: 'poweredOn', vcpus: 4, memory_mb: 8192, cluster: 'prod-a', raw: { moid: 'vm-1', guest: 'ubuntu64Guest' }, nics: [{ mac: '00:50:56:00:00:01', network_name: 'vlan-100', connected: true, ips: ['10.9.0.5'] }] },
      { external_id: 'vm-2', name: 'vm-db', kind: 'vm', platform: 'vmware', os_type: 'Windows Server 2022', os_family: 'windows', power_state: 'poweredOff', vcpus: 8, memory_mb: 16384, nics: [{ mac: '00:50:56:00:00:02', network_name: 'vlan-200', connected: false }] },
    ]);
    for (const d of r.devices) ids[d.external_id === 'vm-1' ? 'vm-web' : 'vm-db'] = d.device_id;
    await s.devices.patch(ids['vm-web']!, { manual_ips: [{ ip_address: '10.9.9.9', label: 'service VIP' }] });
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test('an editor searches, filters by kind and chips, picks columns, pages — all in the URL', async () => {
    const page = await open('eddie');
    await page.goto(`${panel.url}/ui/resources/devices`);
    await expectRows(page, ['LAB-LAPTOP-001', 'LAB-LAPTOP-002', 'LAB-SW-01', 'LAB-TV-01', 'vm-db', 'vm-web']);
    assert.match(await page.getByTestId('devices-total').innerText(), /^6 devices$/);
    await shot(page, 'devices-01-list');

    // Live search across MAC (any spelling), serial and asset tag.
    await page.getByTestId('device-search').fill('AA-BB-CC-00-00-10');
    await expectRows(page, ['LAB-TV-01']);
    await page.getByTestId('device-search').fill('FOC999');
    await expectRows(page, ['LAB-SW-01']);
    await page.getByTestId('device-search').fill('AT-002');
    await expectRows(page, ['LAB-LAPTOP-002']);
    assert.match(page.url(), /q=AT-002/);
    await page.getByTestId('device-search').fill('');
    await expectRows(page, ['LAB-LAPTOP-001', 'LAB-LAPTOP-002', 'LAB-SW-01', 'LAB-TV-01', 'vm-db', 'vm-web']);

    // LAIM's category chips.
    await page.getByTestId('kind-laptop').click();
    await expectRows(page, ['LAB-LAPTOP-001', 'LAB-LAPTOP-002']);
    assert.equal(await page.getByTestId('kind-laptop').getAttribute('aria-pressed'), 'true');
    assert.match(page.url(), /kind=laptop/);
    await page.getByTestId('kind-all').click();

    // A filter becomes a chip; × removes it.
    await page.getByTestId('add-filter').selectOption('power_state');
    await page.getByTestId('filter-value').selectOption('off');
    await expectRows(page, ['vm-db']);
    assert.match(await page.getByTestId('filter-chip-power_state').innerText(), /Power: off/);
    assert.match(page.url(), /power_state=off/);
    await shot(page, 'devices-02-filter-chip');
    // Reload: the URL brings the same view back.
    await page.reload();
    await expectRows(page, ['vm-db']);
    await page.getByRole('button', { name: 'Remove filter Power' }).click();
    await expectRows(page, ['LAB-LAPTOP-001', 'LAB-LAPTOP-002', 'LAB-SW-01', 'LAB-TV-01', 'vm-db', 'vm-web']);
    // Back undoes the removal.
    await page.goBack();
    await expectRows(page, ['vm-db']);
    await page.getByTestId('clear-filters').click();

    // Column choice, kept in the URL.
    await page.getByTestId('columns-button').click();
    await page.getByTestId('col-asset_tag').check();
    await page.getByTestId('col-macs').uncheck();
    await page.keyboard.press('Escape');
    assert.match(page.url(), /cols=/);
    const headers = await page.locator('[data-testid=devices-table] thead th').allInnerTexts();
    assert.ok(headers.map((h) => h.trim().toUpperCase()).includes('ASSET TAG'), headers.join('|'));
    assert.ok(!headers.map((h) => h.trim().toUpperCase()).includes('MAC'), headers.join('|'));
    assert.match(await page.getByTestId('device-row-LAB-TV-01').innerText(), /AT-010/);

    // Sorting (the list starts by name, ascending: one click turns it) and the page size.
    await page.getByTestId('sort-name').click();
    await expectRows(page, ['vm-web', 'vm-db', 'LAB-TV-01', 'LAB-SW-01', 'LAB-LAPTOP-002', 'LAB-LAPTOP-001']);
    assert.match(page.url(), /sort=-name/);
    await page.getByTestId('page-size').selectOption('20');
    assert.match(await page.getByTestId('devices-range').innerText(), /1.6 of 6/);
    await page.context().close();
  });

  test('an editor assigns a technical owner from the list, bulk-edits a selection and exports exactly what is filtered', async () => {
    const page = await open('eddie');
    await page.goto(`${panel.url}/ui/resources/devices?kind=laptop`);
    await expectRows(page, ['LAB-LAPTOP-001', 'LAB-LAPTOP-002']);

    // Quick assign: the cell turns into an owner search; picking saves at once.
    const row = page.getByTestId('device-row-LAB-LAPTOP-001');
    await row.getByTestId('assign-owner').click();
    await row.getByTestId('owner-picker').locator('input').fill('ali');
    await row.getByRole('option', { name: /Alice Admin/ }).click();
    await page.getByTestId('notice').filter({ hasText: 'LAB-LAPTOP-001: technical owner is now Alice Admin.' }).waitFor();
    assert.match(await row.innerText(), /Alice Admin\s+Change/);
    const stored = await panel.tdb.db('hosts').where({ id: ids['LAB-LAPTOP-001'] }).first();
    assert.equal(Number(stored.technical_owner_id), alice);
    await shot(page, 'devices-03-owner-assigned');

    // Bulk edit of the selection: only the fields changed are sent, for every selected device.
    await page.getByRole('checkbox', { name: 'Select page' }).check();
    await page.getByTestId('bulk-bar').waitFor();
    assert.match(await page.getByTestId('bulk-bar').innerText(), /2 selected/);
    await page.getByTestId('bulk-edit').click();
    const drawer = page.getByTestId('device-bulk-drawer');
    await drawer.locator('#bulk-environment').fill('lab-prod');
    await drawer.locator('#bulk-tags').fill('refresh-2027');
    await shot(page, 'devices-04-bulk-edit');
    await drawer.getByRole('button', { name: 'Apply to 2' }).click();
    await page.getByTestId('notice').filter({ hasText: '2 devices updated.' }).waitFor();
    for (const name of ['LAB-LAPTOP-001', 'LAB-LAPTOP-002']) {
      const d = await panel.tdb.db('hosts').where({ id: ids[name] }).first();
      assert.equal(d.environment, 'lab-prod', name);
      assert.equal(d.room_location, '2265', `${name} keeps its room`);
      assert.deepEqual((await panel.tdb.db('device_tags').where({ device_id: ids[name] })).map((t) => t.tag), ['refresh-2027']);
    }
    assert.equal(Number(stored.technical_owner_id), alice, 'the owner was not part of the bulk edit');

    // A laptop's custom field (defined for laptops) is set from its page's edit drawer.
    await page.goto(`${panel.url}/ui/resources/devices/records/${ids['LAB-LAPTOP-002']}/show`);
    await page.getByTestId('edit-device').click();
    await page.locator('#cf-value-warranty_until').waitFor();
    await page.locator('#cf-value-warranty_until').fill('2027-06-30');
    await page.getByTestId('device-edit-drawer').getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('notice').filter({ hasText: 'Device LAB-LAPTOP-002 saved.' }).waitFor();
    assert.match(await page.getByTestId('overview-tab').innerText(), /warranty_until\s+2027-06-30/);
    await page.goto(`${panel.url}/ui/resources/devices?kind=laptop`);

    // CSV export: the list's own filters, every page, nothing else.
    await page.getByTestId('device-search').fill('LAPTOP-002');
    await expectRows(page, ['LAB-LAPTOP-002']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csv = await downloadText(download);
    const lines = csv.trim().split(/\r?\n/);
    assert.match(lines[0]!, /^id,name,kind,/);
    assert.equal(lines.length, 2, csv);
    assert.match(lines[1]!, /LAB-LAPTOP-002,laptop,/);
    await page.context().close();
  });

  test('an editor reads the device page tabs and sets and clears an override beside the facts', async () => {
    const page = await open('eddie');
    const id = ids['vm-web']!;
    await page.goto(`${panel.url}/ui/resources/devices/records/${id}/show`);
    await page.getByTestId('overview-tab').waitFor();
    assert.equal(await page.getByTestId('device-name').innerText(), 'vm-web');
    const overview = await page.getByTestId('overview-tab').innerText();
    assert.match(overview, /Ubuntu Linux \(64-bit\)/);
    assert.match(overview, /8,192 MB/);
    assert.match(overview, /00:50:56:00:00:01 vlan-100/);
    await shot(page, 'devices-05-device-overview');

    // Facts and overrides side by side; the tab is in the URL and the arrow keys move between tabs.
    await page.getByTestId('tab-overview').focus();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('facts-tab').waitFor();
    assert.match(page.url(), /#facts$/);
    const power = page.getByTestId('fact-row-power_state');
    assert.match(await power.innerText(), /power_state\s+on\s+from vcenter\s+on/);
    await power.getByTestId('override-set-power_state').click();
    await power.getByTestId('override-input-power_state').fill('off');
    await power.getByTestId('override-save-power_state').click();
    await page.getByTestId('notice').filter({ hasText: 'power_state overridden: off.' }).waitFor();
    await page.getByTestId('override-power_state').waitFor();
    assert.match(await power.innerText(), /off\s+from override\s+on\s+off/);
    const row = await panel.tdb.db('device_overrides').where({ device_id: id, field: 'power_state' }).first();
    assert.equal(JSON.parse(row.value), 'off');
    assert.equal((await panel.tdb.db('hosts').where({ id }).first()).power_state, 'off');
    // A bad value is refused with the field's reason, in place.
    const mem = page.getByTestId('fact-row-memory_mb');
    await mem.getByTestId('override-set-memory_mb').click();
    await mem.getByTestId('override-input-memory_mb').fill('lots');
    await mem.getByTestId('override-save-memory_mb').click();
    await mem.getByRole('alert').waitFor();
    assert.match(await mem.getByRole('alert').innerText(), /whole number|expected number/i);
    await mem.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('raw-vcenter').click();
    assert.match(await page.getByTestId('raw-payload').innerText(), /ubuntu64Guest/);
    await shot(page, 'devices-06-facts-overrides');
    await power.getByTestId('override-clear-power_state').click();
    await page.getByTestId('notice').filter({ hasText: 'Override of power_state cleared' }).waitFor();
    await page.getByTestId('override-power_state').waitFor({ state: 'detached' });
    assert.equal(await panel.tdb.db('device_overrides').where({ device_id: id }).first(), undefined);

    await page.getByTestId('tab-ips').click();
    const ips = await page.getByTestId('ips-tab').innerText();
    assert.match(ips, /10\.9\.0\.5\s+vcenter/);
    assert.match(ips, /10\.9\.9\.9\s+manual \(kept across syncs\)\s+—\s+service VIP/);
    await shot(page, 'devices-07-ips');

    await page.getByTestId('tab-history').click();
    const history = await page.getByTestId('history-tab').innerText();
    assert.match(history, /power_state\s+off\s+on\s+eddie/);
    assert.match(history, /power_state\s+on\s+off\s+eddie/);
    await shot(page, 'devices-08-history');

    await page.getByTestId('tab-audit').click();
    await page.getByTestId('audit-row').first().waitFor();
    assert.match(await page.getByTestId('audit-tab').innerText(), /UPDATE\s+eddie/);

    // Manual fields in the edit drawer.
    await page.getByTestId('edit-device').click();
    await page.fill('#device-room_location', '2266');
    await page.fill('#device-notes', 'front rack');
    await page.getByTestId('device-edit-drawer').getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('notice').filter({ hasText: 'Device vm-web saved.' }).waitFor();
    const d = await panel.tdb.db('hosts').where({ id }).first();
    assert.deepEqual([d.room_location, d.notes], ['2266', 'front rack']);
    await page.context().close();
  });

  test('Owners: an editor adds one (a duplicate email is refused at the field) and edits it', async () => {
    const page = await open('eddie');
    await page.goto(`${panel.url}/ui/resources/owners`);
    await page.getByTestId('owner-row-alice@example.test').waitFor();
    assert.match(await page.getByTestId('owner-row-alice@example.test').innerText(), /Alice Admin\s+alice@example.test\s+—\s+Infra\s+—\s+1/);
    await page.getByTestId('add-owner').click();
    await page.fill('#owner-full_name', 'Carol Copy');
    await page.fill('#owner-email', 'ALICE@example.test');
    await page.getByTestId('owner-drawer').getByRole('button', { name: 'Add owner' }).click();
    await page.getByTestId('owner-drawer').locator('.ipk-err').waitFor();
    assert.match(await page.getByTestId('owner-drawer').locator('.ipk-err').innerText(), /already|exists|taken/i);
    await page.fill('#owner-email', 'carol@example.test');
    await page.fill('#owner-department', 'Labs');
    await page.getByTestId('owner-drawer').getByRole('button', { name: 'Add owner' }).click();
    await page.getByTestId('owner-row-carol@example.test').waitFor();
    await page.getByTestId('owner-row-carol@example.test').getByRole('button', { name: 'Edit Carol Copy' }).click();
    await page.fill('#owner-designation', 'Lab lead');
    await page.getByTestId('owner-drawer').getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('owner-row-carol@example.test').filter({ hasText: 'Lab lead' }).waitFor();
    await shot(page, 'devices-09-owners');
    assert.equal((await panel.tdb.db('owners').where({ email: 'carol@example.test' }).first()).designation, 'Lab lead');
    await page.context().close();
  });

  test('Custom fields: a superuser defines them (errors at the field); an editor reads them and is refused', async () => {
    const su = await open('root');
    await su.goto(`${panel.url}/ui/resources/custom_fields`);
    await su.getByTestId('custom-field-row-warranty_until').waitFor();
    assert.match(await su.getByTestId('custom-field-row-warranty_until').innerText(), /warranty_until\s+Warranty until\s+Laptop\s+date/);
    await su.getByTestId('add-custom-field').click();
    await su.fill('#cf-key', '9bad');
    await su.fill('#cf-label', 'Tier');
    await su.selectOption('#cf-type', 'select');
    await su.getByTestId('custom-field-drawer').getByRole('button', { name: 'Define field' }).click();
    await su.getByTestId('custom-field-drawer').locator('.ipk-err').first().waitFor();
    const errors = await su.getByTestId('custom-field-drawer').locator('.ipk-err').allInnerTexts();
    assert.ok(errors.some((e) => /must start with a letter/.test(e)), errors.join('|'));
    await su.fill('#cf-key', 'tier');
    await su.fill('#cf-options', 'gold, silver');
    await su.getByTestId('custom-field-drawer').getByRole('button', { name: 'Define field' }).click();
    await su.getByTestId('custom-field-row-tier').waitFor();
    assert.match(await su.getByTestId('custom-field-row-tier').innerText(), /tier\s+Tier\s+every kind\s+select\s+gold, silver/);
    await shot(su, 'devices-10-custom-fields-superuser');
    await su.context().close();

    const ed = await open('eddie');
    await ed.goto(`${panel.url}/ui/resources/custom_fields`);
    await ed.getByTestId('custom-field-row-tier').waitFor();
    assert.equal(await ed.getByTestId('add-custom-field').count(), 0);
    assert.equal(await ed.getByRole('button', { name: 'Edit tier' }).count(), 0);
    await ed.getByTestId('superuser-only').waitFor();
    const refused = await ed.evaluate(async () => (await fetch('/custom-fields', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key: 'sneaky', label: 'x', type: 'text' }) })).status);
    assert.equal(refused, 403);
    assert.equal(await panel.tdb.db('custom_fields').where({ key: 'sneaky' }).first(), undefined);
    await ed.context().close();
  });

  test('a viewer sees no write controls on any devices page, and the server refuses the writes', async () => {
    const page = await open('vera');
    await page.goto(`${panel.url}/ui/resources/devices`);
    await expectRows(page, ['LAB-LAPTOP-001', 'LAB-LAPTOP-002', 'LAB-SW-01', 'LAB-TV-01', 'vm-db', 'vm-web']);
    assert.equal(await page.getByRole('checkbox', { name: 'Select page' }).count(), 0);
    assert.equal(await page.getByTestId('assign-owner').count(), 0);
    assert.match(await page.getByTestId('device-row-LAB-LAPTOP-001').innerText(), /Alice Admin/);
    await page.getByTestId('export-csv').waitFor();
    await shot(page, 'devices-11-viewer-list');

    await page.goto(`${panel.url}/ui/resources/devices/records/${ids['vm-web']}/show#facts`);
    await page.getByTestId('facts-tab').waitFor();
    assert.equal(await page.getByTestId('edit-device').count(), 0);
    assert.equal(await page.locator('[data-testid^="override-set-"]').count(), 0);
    await shot(page, 'devices-12-viewer-facts');

    await page.goto(`${panel.url}/ui/resources/owners`);
    await page.getByTestId('owner-row-alice@example.test').waitFor();
    assert.equal(await page.getByTestId('add-owner').count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Edit / }).count(), 0);

    const id = ids['vm-web']!;
    const writes: [string, string, unknown][] = [
      ['PATCH', `/devices/${id}`, { notes: 'viewer was here' }],
      ['PUT', `/devices/${id}/overrides/power_state`, { value: 'off' }],
      ['POST', '/devices/bulk', { ids: [id], edit: { environment: 'x' } }],
      ['POST', '/owners', { full_name: 'V', email: 'v@example.test' }],
    ];
    const statuses = await page.evaluate((list) => Promise.all(list.map(async ([method, path, body]) => (await fetch(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).status)), writes);
    assert.deepEqual(statuses, [403, 403, 403, 403]);
    const d = await panel.tdb.db('hosts').where({ id }).first();
    assert.notEqual(d.notes, 'viewer was here');
    assert.equal(await panel.tdb.db('owners').where({ email: 'v@example.test' }).first(), undefined);
    await page.context().close();
  });

  test('the dashboard charts platforms, power states, kinds, networks and the last 24 h; the marks are keyboard links', async () => {
    const page = await open('vera');
    await page.goto(`${panel.url}/ui`);
    await page.getByTestId('device-dashboard').waitFor();
    assert.equal(await page.getByTestId('chart-platforms-vmware').getAttribute('aria-label'), 'vmware: 2 devices (33%)');
    assert.equal(await page.getByTestId('chart-kinds-Laptop').getAttribute('href'), '/ui/resources/devices?kind=laptop');
    assert.match(await page.getByTestId('chart-networks').innerText(), /Total 2\s+In use\s+1\s+Not in use\s+1/);
    assert.match(await page.getByTestId('changes-24h').innerText(), /^\d+ on \d+ devices?$/);
    // Tab reaches the chart marks; Enter opens the list they count.
    await page.getByTestId('chart-kinds-Laptop').focus();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Laptop: 2 devices (33%)');
    await shot(page, 'devices-13-dashboard');
    await Promise.all([page.waitForURL(/\/ui\/resources\/devices\?kind=laptop/), page.keyboard.press('Enter')]);
    await expectRows(page, ['LAB-LAPTOP-001', 'LAB-LAPTOP-002']);
    await page.context().close();
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), []);
  });
});
