/**
 * A pool's page as an operator works it in Chromium (issue 19): edit the pool's settings, browse
 * its free addresses page by page, allocate a batch all or nothing, assign a reserved address,
 * force over live evidence with a reason; as a viewer (no write buttons, writes refused) and from
 * the keyboard alone. Screenshots at 1000 px and 1400 px.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { formatTimestamp } from '../../src/domain/time.js';
import { shot, withPanel } from './harness.js';

const IPM = '/api/v1/ip-management';

interface Res {
  id: number;
  ip_address: string;
  status: string;
  subscriber_id: string;
}

/** Tab (at most `limit` times) until `selector` has the focus; false when it never does. */
async function tabTo(page: Page, selector: string, limit = 80): Promise<boolean> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
  }
  return false;
}

/** Whether the focused element draws a focus indicator (an outline or the inputs' ring). */
const focusVisible = (page: Page): Promise<boolean> =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return false;
    const cs = getComputedStyle(el);
    return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
  });

/** The manual address field shows `ip` (it fills on the render after the pick). */
const manualIs = (page: Page, ip: string) => page.waitForFunction((v) => (document.getElementById('res-address') as HTMLInputElement | null)?.value === v, ip, { timeout: 5000 });

describe('a pool page: settings, free addresses, batch, force (Chromium)', () => {
  const s = withPanel();
  let pool = 0;
  const page = (): string => `/ui/pages/ip-pools?pool=${pool}`;
  const live = async (): Promise<Res[]> => s.rest<Res[]>('eddie', 'GET', `${IPM}/reservations?pool_id=${pool}&live=true&limit=1000`);

  test('seed: a /24 pool and an address discovery saw yesterday although nothing holds it', async () => {
    pool = (await s.rest<{ id: number }>('eddie', 'POST', `${IPM}/pools`, { pool_name: 'access-v4', pool_type: 'IPV4_PRIVATE', network_cidr: '10.60.0.0/24', gateway: '10.60.0.1' })).id;
    await s.rest('eddie', 'POST', '/ip-assets', { ip_address: '10.60.0.200', type: 'OS' });
    await s.rest('eddie', 'POST', '/ip-assets/10.60.0.200/archive');
    await s.panel.tdb.db('ip_assets').where({ ip_address: '10.60.0.200' }).update({ last_seen_at: formatTimestamp(new Date(Date.now() - 86_400_000)) });
  });

  test('the editor changes every setting of the pool; a pool in maintenance refuses a batch and says what to do', async () => {
    const { context, page: p } = await s.open('eddie', { width: 1400, path: page() });
    await p.getByTestId('edit-pool').click();
    await p.selectOption('#pool-pool_type', 'IPV4_PUBLIC');
    await p.fill('#pool-gateway', '10.60.0.254');
    await p.fill('#pool-dns_servers', '10.60.0.53, 9.9.9.9');
    await p.fill('#pool-vlan_id', '4000');
    await p.selectOption('#pool-status', 'MAINTENANCE');
    await p.uncheck('#pool-allow_manual_reservation');
    await p.fill('#pool-utilization_alert_threshold', '90');
    await p.fill('#pool-description', 'Access network, building 4');
    await p.fill('#pool-vlan_id', '5000');
    await p.click('button:has-text("Save")');
    // The server names the field; the drawer stays open with the error under it.
    await p.locator('.ipk-field:has(#pool-vlan_id) .ipk-err').waitFor();
    await p.fill('#pool-vlan_id', '4000');
    await p.click('button:has-text("Save")');
    await p.getByTestId('notice').filter({ hasText: 'Pool access-v4 saved.' }).waitFor();
    const facts = await p.getByTestId('pool-facts').innerText();
    assert.match(facts, /IPv4 public[\s\S]*10\.60\.0\.254[\s\S]*10\.60\.0\.53, 9\.9\.9\.9[\s\S]*4000[\s\S]*Manual\s+not allowed[\s\S]*90%[\s\S]*Access network, building 4/);
    await p.getByTestId('pool-status').filter({ hasText: 'maintenance' }).waitFor();
    assert.match(await p.getByTestId('reservation-manager').innerText(), /Manual reservations are off for this pool/);
    await p.fill('#batch-subscriber', 'biz-1');
    await p.getByTestId('batch-submit').click();
    const err = p.locator('.ipk-field:has(#batch-count) .ipk-err');
    await err.waitFor();
    assert.match(await err.innerText(), /access-v4 is MAINTENANCE: it hands out no addresses\. Set pool access-v4 active with Edit pool first\./);
    assert.deepEqual(await live(), []);
    // Back to active, manual allowed, auto-assign off: the batch button says why it is off.
    await p.getByTestId('edit-pool').click();
    await p.selectOption('#pool-status', 'ACTIVE');
    await p.check('#pool-allow_manual_reservation');
    await p.uncheck('#pool-auto_assign_enabled');
    await p.click('button:has-text("Save")');
    await p.getByTestId('notice').filter({ hasText: 'saved' }).waitFor();
    await p.getByTestId('pool-status').filter({ hasText: 'active' }).waitFor();
    assert.equal(await p.getByTestId('batch-submit').isDisabled(), true);
    assert.match(await p.getByTestId('batch-allocate').innerText(), /Auto-assign is off for this pool/);
    await p.getByTestId('edit-pool').click();
    await p.check('#pool-auto_assign_enabled');
    await p.click('button:has-text("Save")');
    await p.getByTestId('notice').filter({ hasText: 'saved' }).waitFor();
    const pool_ = await s.rest<Record<string, unknown>>('eddie', 'GET', `${IPM}/pools/${pool}`);
    assert.deepEqual(
      [pool_.pool_type, pool_.gateway, pool_.dns_servers, pool_.vlan_id, pool_.status, pool_.auto_assign_enabled, pool_.allow_manual_reservation, pool_.utilization_alert_threshold, pool_.description],
      ['IPV4_PUBLIC', '10.60.0.254', ['10.60.0.53', '9.9.9.9'], 4000, 'ACTIVE', true, true, 90, 'Access network, building 4'],
    );
    await context.close();
  });

  test('free addresses page through the pool (first, next, last) and "Use" puts one in the manual field', async () => {
    const { context, page: p } = await s.open('eddie', { width: 1400, path: page() });
    const range = p.getByTestId('available-range');
    // 10.60.0.1–.254 usable, the gateway .254 skipped: 253 free; the archived asset holds nothing.
    await range.filter({ hasText: '1–12 of 253 free' }).waitFor();
    assert.equal(await p.getByTestId('available-list').locator('li').first().innerText(), '10.60.0.1\nUse');
    assert.equal(await p.getByTestId('available-prev').isDisabled(), true);
    await p.getByTestId('available-next').click();
    await range.filter({ hasText: '13–24 of 253 free' }).waitFor();
    await p.getByTestId('free-10.60.0.13').waitFor();
    await p.getByTestId('available-last').click();
    // 253 free in pages of 12: the last page holds the 253rd alone, and the gateway after it is not offered.
    await range.filter({ hasText: '253–253 of 253 free' }).waitFor();
    await p.getByTestId('free-10.60.0.253').waitFor();
    assert.equal(await p.getByTestId('free-10.60.0.254').count(), 0, 'the gateway is not offered');
    assert.equal(await p.getByTestId('available-next').isDisabled(), true);
    await p.getByTestId('available-first').click();
    await p.getByTestId('free-10.60.0.5').locator('button').click();
    await manualIs(p, '10.60.0.5');
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'res-address');
    await p.getByTestId('conflict-none').waitFor();
    await context.close();
  });

  test('a batch larger than what is free is refused whole with what to do; a batch of 3 lists its addresses and the free list moves on', async () => {
    const { context, page: p } = await s.open('eddie', { width: 1400, path: page() });
    await p.getByTestId('available-range').filter({ hasText: 'of 253 free' }).waitFor();
    await p.fill('#batch-subscriber', 'biz-7');
    await p.fill('#batch-count', '300');
    await p.getByTestId('batch-submit').click();
    const err = p.locator('.ipk-field:has(#batch-count) .ipk-err');
    await err.waitFor();
    assert.match(await err.innerText(), /only 253 free addresses[\s\S]*300 addresses were asked for\. Ask for fewer, release addresses no longer needed, or widen the pool\./);
    assert.deepEqual(await live(), []);
    await p.fill('#batch-count', '3');
    await p.uncheck('#batch-assign');
    assert.equal(await p.getByTestId('batch-submit').innerText(), 'Reserve 3 addresses');
    await p.getByTestId('batch-submit').click();
    await p.getByTestId('notice').filter({ hasText: '3 addresses reserved for biz-7: 10.60.0.1 … 10.60.0.3.' }).waitFor();
    assert.deepEqual((await p.getByTestId('batch-result').locator('li').allInnerTexts()).map((t) => t.trim()), ['10.60.0.1', '10.60.0.2', '10.60.0.3']);
    await p.getByTestId('available-range').filter({ hasText: 'of 250 free' }).waitFor();
    assert.equal(await p.getByTestId('available-list').locator('li').first().innerText(), '10.60.0.4\nUse');
    await p.locator('[data-testid="reservation-10.60.0.2"][data-status="RESERVED"]').waitFor();
    await shot(p, 'pools-10-batch-1400');
    // Assign one of the reserved addresses from its row.
    await p.getByRole('button', { name: 'Assign 10.60.0.2' }).click();
    await p.getByTestId('notice').filter({ hasText: '10.60.0.2 assigned to biz-7.' }).waitFor();
    await p.locator('[data-testid="reservation-10.60.0.2"][data-status="ASSIGNED"]').waitFor();
    assert.deepEqual(
      (await live()).map((r) => [r.ip_address, r.status]).sort(),
      [
        ['10.60.0.1', 'RESERVED'],
        ['10.60.0.2', 'ASSIGNED'],
        ['10.60.0.3', 'RESERVED'],
      ],
    );
    await context.close();
  });

  test('an address discovery saw needs force and a reason; the reason reaches the audit log', async () => {
    const { context, page: p } = await s.open('eddie', { width: 1000, path: page() });
    await p.fill('#res-subscriber', 'cpe-42');
    await p.getByTestId('manual-address').fill('10.60.0.200');
    await p.getByTestId('conflict-list').filter({ hasText: /seen in use by discovery/ }).waitFor();
    assert.match(await p.getByTestId('conflict-list').innerText(), /live evidence \(\w+, can be forced\)/);
    assert.equal(await p.getByTestId('manual-reserve').isDisabled(), true);
    await p.getByTestId('force').check();
    assert.equal(await p.getByTestId('manual-reserve').isDisabled(), true, 'force without a reason stays disabled');
    await p.getByTestId('force-reason').fill('old CPE unplugged, checked on site');
    await shot(p, 'pools-11-force-1000');
    await p.getByTestId('manual-reserve').click();
    await p.getByTestId('notice').filter({ hasText: '10.60.0.200 assigned for cpe-42.' }).waitFor();
    await p.locator('[data-testid="reservation-10.60.0.200"][data-status="ASSIGNED"]').waitFor();
    await shot(p, 'pools-12-pool-page-1000');
    const r = (await live()).find((x) => x.ip_address === '10.60.0.200')!;
    const audit = await s.rest<{ changes: string }[]>('eddie', 'GET', `/audit?target_type=IP_RESERVATION&target_id=${r.id}`);
    assert.ok(
      audit.some((e) => /forced over LIVE_EVIDENCE .*reason: old CPE unplugged, checked on site/.test(e.changes)),
      JSON.stringify(audit),
    );
    await context.close();
  });

  test('from the keyboard alone: Tab reaches every action with a visible focus, Enter runs it', async () => {
    const { context, page: p } = await s.open('eddie', { width: 1400, path: page() });
    await p.getByTestId('available-range').filter({ hasText: 'free' }).waitFor();
    await p.getByTestId('reservation-10.60.0.1').waitFor();
    // The assign buttons wait for a subscriber id (disabled buttons take no focus): type them first.
    assert.ok(await tabTo(p, '#res-subscriber'));
    await p.keyboard.type('kbd-0');
    assert.ok(await tabTo(p, '#batch-subscriber'));
    await p.keyboard.type('kbd-1');
    for (const sel of ['[data-testid="edit-pool"]', '#res-subscriber', '[data-testid="auto-assign"]', '#res-address', '#batch-subscriber', '#batch-count', '#batch-order', '#batch-assign', '[data-testid="batch-submit"]', '[data-testid="available-next"]', '[data-testid="show-released"]', 'button[aria-label="Extend 10.60.0.1"]', 'button[aria-label="Release 10.60.0.1"]', 'button[aria-label="History of 10.60.0.1"]']) {
      await p.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await p.locator('[data-testid="pool-detail"] a').first().focus();
      assert.ok(await tabTo(p, sel), `Tab reaches ${sel}`);
      assert.ok(await focusVisible(p), `${sel} shows its focus`);
    }
    // Enter on a free address's "Use" moves it, and the focus, into the manual field.
    await p.locator('[data-testid="pool-detail"] a').first().focus();
    assert.ok(await tabTo(p, '[data-testid="free-10.60.0.4"] button'));
    await shot(p, 'pools-13-keyboard-1400');
    await p.keyboard.press('Enter');
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'res-address');
    await manualIs(p, '10.60.0.4');
    // A batch from the keyboard: type into the fields, Enter submits the form.
    await p.locator('#batch-count').focus();
    await p.keyboard.press('Control+A');
    await p.keyboard.type('2');
    await p.keyboard.press('Enter');
    await p.getByTestId('notice').filter({ hasText: /2 addresses assigned for kbd-1/ }).waitFor();
    // Edit pool opens from Enter, Escape closes it.
    await p.locator('[data-testid="edit-pool"]').focus();
    await p.keyboard.press('Enter');
    await p.getByTestId('pool-drawer').waitFor();
    await p.keyboard.press('Escape');
    await p.getByTestId('pool-drawer').waitFor({ state: 'detached' });
    await context.close();
  });

  test('a viewer browses free addresses but sees no write control, and the server refuses a batch', async () => {
    const { context, page: p } = await s.open('vera', { width: 1000, path: page() });
    await p.getByTestId('available-range').filter({ hasText: 'free' }).waitFor();
    await p.getByTestId('reservation-10.60.0.1').waitFor();
    assert.equal(await p.getByTestId('batch-allocate').count(), 0);
    assert.equal(await p.getByTestId('reservation-manager').count(), 0);
    assert.equal(await p.getByTestId('available-list').locator('button').count(), 0);
    assert.equal(await p.getByTestId('available-list').locator('code').count(), 12);
    await p.getByTestId('available-next').click();
    await p.getByTestId('available-range').filter({ hasText: /^13–24 of/ }).waitFor();
    await shot(p, 'pools-14-viewer-1000');
    const before = (await live()).length;
    const status = await p.evaluate(async (url) => (await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subscriber_id: 'v', count: 2 }) })).status, `${IPM}/pools/${pool}/reserve-batch`);
    assert.equal(status, 403);
    assert.equal((await live()).length, before);
    await context.close();
    assert.deepEqual(s.offLoopback(), []);
  });
});
