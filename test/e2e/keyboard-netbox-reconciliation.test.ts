/**
 * The NetBox Sync and Reconciliation pages at 1000 px by keyboard only: every action is reached
 * with Tab and done with Enter (typing into fields, arrow keys in a select), each focused control
 * shows that it has focus, and after an action the focus is not dropped on the page's body (the
 * next Tab goes on from where the user was, the status line says what happened). Screenshots of both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { FakeNetBox } from '../fakes/netbox.js';
import { shot, withPanel } from './harness.js';
import { seedReconciliation } from './reconciliation-seed.js';

const IPM = '/api/v1/ip-management';

type Focused = { desc: string; body: boolean; visible: boolean };

const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const cs = el ? getComputedStyle(el) : null;
    return {
      desc: el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}[${el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 30)}]` : '(none)',
      body: !el || el === document.body,
      visible: !!cs && ((cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none'),
    };
  });

/** Tab (forward) until `selector` (with this text, when given) has focus, which must show a focus indicator; fails naming where focus went. */
async function tabTo(page: Page, selector: string, text?: string, max = 80): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(([sel, t]) => {
      const el = document.activeElement;
      return !!el?.matches(sel!) && (t === undefined || (el.textContent ?? '').trim() === t);
    }, [selector, text] as const);
    if (hit) {
      const f = await focused(page);
      assert.ok(f.visible, `${selector}${text ? ` ${text}` : ''} has focus but shows no focus indicator`);
      return;
    }
    seen.push((await focused(page)).desc);
  }
  throw new Error(`${selector}${text ? ` ${text}` : ''} never took focus in ${max} Tab presses (went to ${seen.slice(-10).join(' | ')})`);
}

/** Enter on the focused control, then wait for the status line; the focus must not fall back to the body. */
async function enterAndSee(page: Page, status: string | RegExp): Promise<void> {
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: status }).waitFor();
  await page.waitForTimeout(0);
  const f = await focused(page);
  assert.equal(f.body, false, `focus was dropped on the body after the action (${String(status)})`);
}

/** The reconciliation window by keyboard: Tab to the field, replace its days, Enter applies. */
async function typeWindow(page: Page, days: string): Promise<void> {
  await tabTo(page, '[data-testid="days-filter"]');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(days);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`days=${days}`));
}

describe('NetBox Sync and Reconciliation by keyboard at 1000 px (Chromium)', () => {
  const s = withPanel();
  const fake = new FakeNetBox({ token: 'kbd-netbox-token' });
  let closeFake: () => Promise<void> = async () => undefined;
  let prefixId = 0;

  before(async () => {
    const nb = await fake.listen();
    closeFake = nb.close;
    await s.rest('eddie', 'POST', '/connectors/configs', { name: 'netbox', plugin: 'netbox', options: { url: nb.url, token: 'kbd-netbox-token', timeout: 15, retries: 0 } });
    const pool = await s.rest<{ id: number }>('eddie', 'POST', `${IPM}/pools`, { pool_name: 'kbd-v4', pool_type: 'IPV4_PUBLIC', network_cidr: '203.0.113.0/29', gateway: '203.0.113.1' });
    await s.rest('eddie', 'POST', `${IPM}/reservations`, { pool_id: pool.id, ip_address: '203.0.113.2', subscriber_id: 'alice', assign: true });
    await s.rest('eddie', 'POST', `${IPM}/pools/${pool.id}/sync-netbox`);
    fake.ipByAddress('203.0.113.2')!.description = 'mallory';
    fake.addIp({ address: '203.0.113.5/29', status: 'active', description: 'intruder' });
    fake.addIp({ address: '203.0.113.6/29', status: 'active', description: 'squatter' });
    prefixId = fake.addPrefix({ prefix: '198.51.100.0/29', description: 'kbd-lan' }).id;


    await seedReconciliation(s);
  });
  after(() => closeFake());

  test('NetBox Sync: sync all, resolve (theirs, ignore, all: ours), import a prefix, read a run log', async () => {
    const { context, page } = await s.open('eddie', { width: 1000, height: 800, path: '/ui/pages/netbox-sync' });
    await page.getByTestId('nb-history').waitFor();
    await tabTo(page, 'button', 'Sync all pools');
    await enterAndSee(page, 'Sync finished:');
    await page.getByTestId('nb-conflict-203.0.113.6').waitFor();
    await shot(page, 'keyboard-netbox-01-conflicts-1000');

    // Each conflict's address links to its pool; every resolve button takes focus.
    await tabTo(page, '[data-testid="nb-conflict-203.0.113.2"] a');
    for (const b of ['All: ours', 'All: theirs', 'All: ignore']) await tabTo(page, 'button', b);
    await tabTo(page, `button[aria-label="Take NetBox's for 203.0.113.2"]`);
    await enterAndSee(page, 'Conflict on 203.0.113.2 resolved: theirs.');
    await tabTo(page, 'button[aria-label="Ignore 203.0.113.6"]');
    await enterAndSee(page, 'Conflict on 203.0.113.6 resolved: ignore.');
    await tabTo(page, 'button', 'All: ours');
    await enterAndSee(page, /1 conflict\(s\) resolved \(ours\)/);
    await page.getByText('No open conflicts.').waitFor();
    assert.equal(fake.ipByAddress('203.0.113.5')!.status, 'deprecated');
    const holder = await s.rest<{ subscriber_id: string; status: string }[]>('eddie', 'GET', `${IPM}/reservations?ip_address=203.0.113.2&live=true`);
    assert.deepEqual(holder.map((r) => `${r.status} ${r.subscriber_id}`), ['ASSIGNED mallory']);

    // Import: type the id into the field, Enter submits.
    await tabTo(page, '#nb-prefix-id');
    await page.keyboard.type(String(prefixId));
    await enterAndSee(page, 'Imported 198.51.100.0/29 as pool kbd-lan.');
    // A run's log opens from the keyboard (it was a tooltip only a mouse could show).
    await tabTo(page, '[data-testid="nb-history"] summary');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="nb-history"] details[open]').first().waitFor();
    await shot(page, 'keyboard-netbox-02-after-1000');
    await context.close();
  });

  test('Reconciliation: kinds, range, window, Add, Archive, Open and the device link', async () => {
    const { context, page } = await s.open('eddie', { width: 1000, height: 800, path: '/ui/pages/reconciliation' });
    await page.getByTestId('rec-10.9.0.5').waitFor();
    // The range select: arrow keys choose, the list follows.
    await tabTo(page, '[data-testid="range-filter"]');
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/range=\d+/);
    await page.getByTestId('rec-192.0.2.5').waitFor({ state: 'detached' });
    await typeWindow(page, '10');
    await tabTo(page, 'a[aria-label="Open 10.9.0.5"]');
    await tabTo(page, 'button[aria-label="Add 10.9.0.5 to the inventory"]');
    await shot(page, 'keyboard-reconciliation-01-unknown-1000');
    await enterAndSee(page, '10.9.0.5 is back in the inventory.');
    await page.getByTestId('rec-10.9.0.5').waitFor({ state: 'detached' });

    await page.keyboard.press('Shift+Tab');
    await tabTo(page, '[data-testid="kind-reclaimable"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/kind=reclaimable/);
    await page.getByTestId('days-filter').waitFor();
    await typeWindow(page, '30');
    await tabTo(page, 'button[aria-label="Archive 10.9.0.10"]');
    await enterAndSee(page, '10.9.0.10 archived');
    await page.getByTestId('rec-10.9.0.10').waitFor({ state: 'detached' });

    await tabTo(page, '[data-testid="kind-mismatch"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('rec-10.9.0.30').waitFor();
    await tabTo(page, '[data-testid="rec-10.9.0.30"] a', 'web-1');
    await shot(page, 'keyboard-reconciliation-02-mismatch-1000');
    await Promise.all([page.waitForURL(/\/ui\/resources\/devices\/records\/\d+\/show/), page.keyboard.press('Enter')]);
    await context.close();
    assert.deepEqual(s.offLoopback(), []);
  });
});
