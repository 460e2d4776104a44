/**
 * Static IP pools in Chromium (issue 19): the pool list and form, a pool's page with the
 * reservation manager, the conflict checker and the pools dashboard, as an editor and as a
 * viewer (who sees no write buttons, and whose writes the server refuses).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { shot, withPanel } from './harness.js';

const ids: Record<string, number> = {};

const IPM = '/api/v1/ip-management';

/** The inline error shown under a form field (the Field wrapper of that input). */
const fieldError = (page: Page, inputId: string) => page.locator(`.ipk-field:has(#${inputId}) .ipk-err`);

describe('IP pools pages in Chromium', () => {
  const s = withPanel();
  const newPage = (user: string) => s.open(user);
  // The seeding goes through the same REST API the pages use, as the editor.
  const rest = <T>(method: string, path: string, body?: unknown): Promise<T> => s.rest<T>('eddie', method, path, body);
  before(async () => {
    const pool = (body: Record<string, unknown>) => rest<{ id: number; pool_name: string }>('POST', `${IPM}/pools`, body);
    // 203.0.113.0/29: six usable addresses, five without the gateway; three handed out is 60 %, its alert threshold.
    // quarantine_days 0: the address released below is free at once (quarantine: test/services/pools-quarantine.test.ts).
    ids.edge = (await pool({ pool_name: 'edge-v4', pool_type: 'IPV4_PUBLIC', network_cidr: '203.0.113.0/29', gateway: '203.0.113.1', dns_servers: ['1.1.1.1', '9.9.9.9'], vlan_id: 100, utilization_alert_threshold: 60, quarantine_days: 0 })).id;
    ids.lab = (await pool({ pool_name: 'lab-v4', pool_type: 'IPV4_PRIVATE', network_cidr: '10.50.0.0/24', gateway: '10.50.0.1' })).id;
    ids.pd = (await pool({ pool_name: 'v6-pd', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:100::/48' })).id;
    for (const sub of ['sub-1', 'sub-2', 'sub-3']) await rest('POST', `${IPM}/subscribers/${sub}/assign-ip`, { pool_id: ids.edge, ip_type: 'ipv4' });
    await rest('POST', `${IPM}/subscribers/sub-9/assign-ip`, { pool_id: ids.lab, ip_type: 'ipv4', ip_address: '10.50.0.20' });
    await rest('POST', `${IPM}/subscribers/sub-9/assign-ip`, { pool_id: ids.pd, ip_type: 'ipv6_prefix', prefix_length: 56 });
    // An IP asset inside a pool: a conflict for anyone reserving it.
    await rest('POST', '/ip-assets', { ip_address: '10.50.0.9', type: 'VM' });
  });

  test('the pool list shows type, network, utilization by state and status; search and filters live in the URL', async () => {
    const { context, page } = await newPage('eddie');
    await page.goto(`${s.panel.url}/ui/pages/ip-pools`);
    const edge = page.getByTestId('pool-row-edge-v4');
    await edge.waitFor();
    assert.match(await edge.innerText(), /edge-v4\s+IPv4 public\s+203\.0\.113\.0\/29\s+100/);
    assert.match((await edge.locator('svg[role=img]').getAttribute('aria-label')) ?? '', /^3 assigned, 0 reserved, 2 available of 5 \(60% used\)/);
    assert.equal(await page.locator('[data-testid^="pool-row-"]').count(), 3);
    await shot(page, 'pools-01-list');
    await page.getByTestId('type-filter').selectOption('IPV4_PUBLIC');
    await page.getByTestId('pool-row-lab-v4').waitFor({ state: 'detached' });
    assert.match(page.url(), /type=IPV4_PUBLIC/);
    await page.reload();
    await edge.waitFor();
    assert.equal(await page.getByTestId('type-filter').inputValue(), 'IPV4_PUBLIC');
    assert.equal(await page.locator('[data-testid^="pool-row-"]').count(), 1);
    await page.getByTestId('type-filter').selectOption('');
    await page.getByTestId('pool-search').fill('lab');
    await page.waitForURL(/q=lab/);
    await page.getByTestId('pool-row-edge-v4').waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid^="pool-row-"]').count(), 1);
    await page.goBack();
    await page.getByTestId('pool-row-v6-pd').waitFor();
    await context.close();
  });

  test('the pool form shows the server\'s CIDR, gateway and DNS errors next to their fields, then creates the pool', async () => {
    const { context, page } = await newPage('eddie');
    await page.goto(`${s.panel.url}/ui/pages/ip-pools`);
    await page.getByTestId('add-pool').click();
    await page.fill('#pool-pool_name', 'branch-7');
    await page.fill('#pool-network_cidr', '10.70.0.0/33');
    await page.click('button:has-text("Create pool")');
    await fieldError(page, 'pool-network_cidr').waitFor();
    assert.match(await fieldError(page, 'pool-network_cidr').innerText(), /cidr|network/i);
    await page.fill('#pool-network_cidr', '10.70.0.0/24');
    await page.fill('#pool-gateway', '10.71.0.1');
    await page.fill('#pool-dns_servers', '1.1.1.1, not-an-ip');
    await page.click('button:has-text("Create pool")');
    await fieldError(page, 'pool-gateway').waitFor();
    assert.match(await fieldError(page, 'pool-gateway').innerText(), /outside 10\.70\.0\.0\/24/);
    await shot(page, 'pools-02-form-errors');
    await page.fill('#pool-gateway', '10.70.0.1');
    await page.click('button:has-text("Create pool")');
    await fieldError(page, 'pool-dns_servers').waitFor();
    assert.equal(await fieldError(page, 'pool-gateway').count(), 0);
    await page.fill('#pool-dns_servers', '1.1.1.1, 9.9.9.9');
    await page.click('button:has-text("Create pool")');
    await page.getByTestId('notice').filter({ hasText: 'branch-7' }).waitFor();
    await page.getByTestId('pool-row-branch-7').waitFor();
    await context.close();
  });

  test('a pool page runs the reservation manager: auto-assign, a manual address checked as typed, extend, release and history', async () => {
    const { context, page } = await newPage('eddie');
    await page.goto(`${s.panel.url}/ui/pages/ip-pools`);
    await page.getByTestId('pool-row-edge-v4').locator('a').click();
    await page.getByTestId('pool-detail').waitFor();
    assert.match(page.url(), new RegExp(`pool=${ids.edge}`));
    await page.getByTestId('reservation-203.0.113.2').waitFor();
    assert.match(await page.getByTestId('pool-facts').innerText(), /203\.0\.113\.1[\s\S]*1\.1\.1\.1, 9\.9\.9\.9[\s\S]*100/);
    assert.match(await page.getByTestId('pool-counts').innerText(), /3 assigned[\s\S]*0 reserved/);
    // The batch's "How many" offers no more than are free (it said 5 with 2 left, which the all-or-nothing batch refuses).
    assert.equal(await page.inputValue('#batch-count'), '2');
    await page.fill('#res-subscriber', 'sub-4');
    await page.getByTestId('auto-assign').click();
    await page.getByTestId('notice').filter({ hasText: 'sub-4' }).waitFor();
    await page.getByTestId('pool-counts').filter({ hasText: '1 available' }).waitFor();
    assert.equal(await page.inputValue('#batch-count'), '1');
    const auto = (await page.getByTestId('notice').innerText()).match(/203\.0\.113\.\d+/)?.[0];
    assert.ok(auto, 'the notice names the address handed out');
    await page.getByTestId(`reservation-${auto}`).waitFor();
    // The gateway and a held address are refused while typing; a free one is said to be free.
    await page.fill('#res-subscriber', 'sub-5');
    await page.getByTestId('manual-address').fill('203.0.113.1');
    await page.getByTestId('conflict-list').filter({ hasText: /gateway/i }).waitFor();
    assert.equal(await page.getByTestId('manual-reserve').isDisabled(), true);
    await page.getByTestId('manual-address').fill('203.0.113.2');
    await page.getByTestId('conflict-list').filter({ hasText: /sub-1/ }).waitFor();
    await shot(page, 'pools-03-manager-conflict');
    await page.getByTestId('manual-address').fill('203.0.113.6');
    await page.getByTestId('conflict-none').waitFor();
    await page.getByTestId('manual-reserve').click();
    await page.getByTestId('reservation-203.0.113.6').waitFor();
    // Its last address handed out, the pool shows the status that implies.
    await page.getByTestId('pool-status').filter({ hasText: 'depleted' }).waitFor();
    assert.match(await page.getByTestId('pool-depletion').innerText(), /No address left/);
    await shot(page, 'pools-04-pool-page');
    // Extend, then release: the record stays in the history.
    await page.getByTestId('reservation-203.0.113.6').locator('button:has-text("Extend")').click();
    await page.fill('#extend-at', '2031-05-01T12:00');
    await page.getByTestId('extend-drawer').locator('button:has-text("Extend")').click();
    await page.getByTestId('reservation-203.0.113.6').filter({ hasText: '2031-05-01 12:00' }).waitFor();
    await page.getByTestId('reservation-203.0.113.6').locator('button:has-text("Release")').click();
    await page.getByTestId('release-confirm').click();
    await page.getByTestId('reservation-203.0.113.6').waitFor({ state: 'detached' });
    await page.getByTestId('show-released').check();
    await page.locator('[data-testid="reservation-203.0.113.6"][data-status="RELEASED"]').waitFor();
    await page.getByTestId('reservation-203.0.113.6').locator('button:has-text("History")').click();
    const history = page.getByTestId('history-drawer');
    await history.getByTestId('history-entry').first().waitFor();
    assert.match(await history.innerText(), /sub-5 · released[\s\S]*reserved \d{4}-\d\d-\d\d[\s\S]*released \d{4}/);
    await shot(page, 'pools-05-history');
    await context.close();
  });

  test('the conflict checker names the holder of an address as it is typed and lists current conflicts', async () => {
    const { context, page } = await newPage('eddie');
    await page.goto(`${s.panel.url}/ui/pages/ip-conflicts`);
    await page.getByTestId('check-address').fill('10.50.0.9');
    await page.getByTestId('conflict-list').waitFor();
    assert.match(await page.getByTestId('check-result').innerText(), /ip asset in use/i);
    await page.waitForURL(/ip=10\.50\.0\.9/);
    await page.getByTestId('check-address').fill('10.50.0.77');
    await page.getByTestId('conflict-none').waitFor();
    await page.getByTestId('current-conflicts').waitFor();
    await page.getByTestId('check-address').fill('10.50.0.9');
    await page.getByTestId('conflict-list').waitFor();
    await shot(page, 'pools-06-conflicts');
    await context.close();
  });

  test('the pools dashboard shows totals, a keyboard-reachable utilization chart, IPv4 vs IPv6, warnings and recent assignments', async () => {
    const { context, page } = await newPage('eddie');
    await page.goto(`${s.panel.url}/ui/pages/pool-dashboard`);
    await page.getByTestId('pool-bars-chart').waitFor();
    await page.getByTestId('recent-assignments').locator('tbody tr').first().waitFor();
    assert.match(await page.getByTestId('pools-total-pools').innerText(), /\b4\b/);
    assert.match(await page.getByTestId('warning-edge-v4').innerText(), /80% used, over its alert threshold/);
    assert.match(await page.getByTestId('family-pd').innerText(), /prefix delegation · 1 pool[\s\S]*1 assigned/);
    assert.match(await page.getByTestId('family-v4').innerText(), /IPv4 · 3 pools/);
    assert.match(await page.getByTestId('recent-assignments').innerText(), /sub-4/);
    // Tab reaches the chart's bars; Enter opens the pool.
    const bar = page.getByTestId('chart-bar-edge-v4');
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await bar.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));
    }
    assert.ok(reached, 'Tab reaches the edge-v4 bar of the chart');
    await shot(page, 'pools-07-dashboard');
    await Promise.all([page.waitForURL(new RegExp(`pool=${ids.edge}`)), page.keyboard.press('Enter')]);
    await page.getByTestId('pool-detail').waitFor();
    await context.close();
  });

  test('a delegation pool: Free addresses → Use puts a free /56 in the manual field, the check finds it free, Assign delegates it', async () => {
    const { context, page } = await newPage('eddie');
    await page.goto(`${s.panel.url}/ui/pages/ip-pools?pool=${ids.pd}`);
    await page.getByTestId('pool-detail').waitFor();
    // sub-9 holds the first /56: the list starts at the second.
    const free = page.getByTestId('free-2001:db8:100:100::/56');
    await free.waitFor();
    // A delegation pool's page speaks of prefixes, not addresses.
    assert.equal(await page.locator('#manager-title').innerText(), 'Assign a prefix');
    assert.equal(await page.getByTestId('available-ips').getAttribute('aria-label'), 'Free prefixes');
    assert.equal(await page.getByTestId('manual-reserve').innerText(), 'Assign this prefix');
    // The prefix and its "Use" fit the button (at 150 px columns the prefix was cut and "Use" spilled out).
    assert.equal(await free.getByRole('button').evaluate((el) => el.scrollWidth <= el.clientWidth), true);
    await page.fill('#res-subscriber', 'sub-pd');
    await free.getByRole('button').click();
    // The manager takes the pick on its next render: wait for the field to show it (or time out), then check it.
    await page.waitForFunction((v) => (document.querySelector('[data-testid="manual-address"]') as HTMLInputElement | null)?.value === v, '2001:db8:100:100::/56', { timeout: 5000 }).catch(() => undefined);
    assert.equal(await page.getByTestId('manual-address').inputValue(), '2001:db8:100:100::/56');
    // The conflict check takes the prefix (it answered 400 "Invalid IP address." for one).
    await page.getByTestId('conflict-none').waitFor();
    assert.equal(await page.getByTestId('conflict-error').count(), 0);
    await page.getByTestId('manual-reserve').click();
    await page.locator('[data-testid="reservation-2001:db8:100:100::/56"][data-status="ASSIGNED"]').waitFor();
    await free.waitFor({ state: 'detached' });
    assert.match(await page.getByTestId('pool-counts').innerText(), /2 assigned/);
    await shot(page, 'pools-10-delegation-use');
    await context.close();
  });

  test("a subscriber's page lists its addresses in every pool, assigns from a chosen pool and terminates it", async () => {
    const { context, page } = await newPage('eddie');
    await page.goto(`${s.panel.url}/ui/pages/ip-pools?pool=${ids.lab}`);
    await page.getByTestId('reservation-10.50.0.20').getByRole('link', { name: 'sub-9' }).click();
    await page.getByTestId('subscriber-page').waitFor();
    assert.match(page.url(), /subscriber=sub-9/);
    await page.getByTestId('reservation-10.50.0.20').waitFor();
    assert.match(await page.locator('[data-testid^="reservation-2001:db8:100:"]').innerText(), /\/56\s+v6-pd\s+assigned/);
    // One address per type and subscriber: a second IPv4 is refused, and the page says why.
    await page.getByTestId('res-pool').selectOption({ label: 'branch-7 (10.70.0.0/24)' });
    await page.getByTestId('auto-assign').click();
    await page.getByTestId('manager-error').waitFor();
    assert.match(await page.getByTestId('manager-error').innerText(), /sub-9 already holds an ipv4 address \(10\.50\.0\.20/);
    await shot(page, 'pools-09-subscriber');
    await page.getByTestId('terminate').click();
    const listed = await page.getByTestId('terminate-drawer').innerText();
    assert.match(listed, /10\.50\.0\.20/);
    assert.match(listed, /2001:db8:100::\/56/);
    await page.getByTestId('terminate-confirm').click();
    await page.getByTestId('notice').filter({ hasText: '2 addresses released' }).waitFor();
    // The notice comes first, the reloaded list a moment later.
    await page.locator('[data-testid^="reservation-"][data-status="RELEASED"]').nth(1).waitFor();
    assert.equal(await page.locator('[data-testid^="reservation-"][data-status="ASSIGNED"]').count(), 0);
    assert.equal(await page.locator('[data-testid^="reservation-"][data-status="RELEASED"]').count(), 2);
    assert.equal(await page.getByTestId('terminate').count(), 0);
    // Terminated, it may be given an IPv4 again.
    await page.getByTestId('auto-assign').click();
    await page.getByTestId('notice').filter({ hasText: /10\.70\.0\.\d+ assigned for sub-9/ }).waitFor();
    await page.locator('[data-testid^="reservation-10.70.0."][data-status="ASSIGNED"]').waitFor();
    await context.close();
  });

  test('a viewer reads pools, reservations and history without write buttons, and the server refuses their writes', async () => {
    const { context, page } = await newPage('vera');
    await page.goto(`${s.panel.url}/ui/pages/ip-pools`);
    await page.getByTestId('pool-row-edge-v4').waitFor();
    assert.equal(await page.getByTestId('add-pool').count(), 0);
    assert.equal(await page.locator('button:has-text("Edit"), button:has-text("Delete")').count(), 0);
    await page.goto(`${s.panel.url}/ui/pages/ip-pools?pool=${ids.edge}`);
    await page.getByTestId('reservation-203.0.113.2').waitFor();
    assert.equal(await page.getByTestId('reservation-manager').count(), 0);
    assert.equal(await page.getByTestId('edit-pool').count(), 0);
    assert.equal(await page.locator('button:has-text("Release"), button:has-text("Extend"), button:has-text("Assign")').count(), 0);
    assert.equal(await page.locator('button:has-text("History")').count() > 0, true);
    await shot(page, 'pools-08-viewer');
    // The same requests the editor's buttons send, from the viewer's session: refused, nothing changed.
    const send = (method: string, path: string, body?: unknown): Promise<number> =>
      page.evaluate(async ([m, p, b]) => (await fetch(p as string, { method: m as string, headers: { 'Content-Type': 'application/json' }, body: b === undefined ? undefined : JSON.stringify(b) })).status, [method, path, body] as const);
    const statuses = [
      await send('POST', `${IPM}/subscribers/sub-x/assign-ip`, { pool_id: ids.edge, ip_type: 'ipv4' }),
      await send('PUT', `${IPM}/pools/${ids.edge}`, { pool_name: 'renamed' }),
      await send('POST', `${IPM}/pools`, { pool_name: 'v', pool_type: 'IPV4_PRIVATE', network_cidr: '10.99.0.0/24' }),
      await send('DELETE', `${IPM}/pools/${ids.edge}`),
    ];
    assert.deepEqual(statuses, [403, 403, 403, 403]);
    await page.reload();
    await page.getByTestId('reservation-203.0.113.2').waitFor();
    assert.equal(await page.locator('[data-testid^="reservation-"][data-status="ASSIGNED"]').count(), 4);
    await context.close();
    assert.deepEqual(s.offLoopback(), []);
  });
});
