/**
 * The panel without a mouse: only Tab, Shift+Tab, Enter, Space, Esc and typing. Every page is
 * reached from the sidebar (its groups must take focus), and an IP is added and deleted through
 * drawers that keep focus inside them and give it back to the button that opened them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { PASSWORD, isLoopback, launchChromium, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];

type Focused = { text: string; label: string | null; href: string | null; testId: string | null; role: string | null; expanded: string | null; inDialog: boolean; inSidebar: boolean; tag: string };

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      text: (el?.textContent ?? '').trim().replace(/\s+/g, ' '),
      label: el?.getAttribute('aria-label') ?? null,
      href: el?.getAttribute('href') ?? null,
      testId: el?.getAttribute('data-testid') ?? null,
      role: el?.getAttribute('role') ?? null,
      expanded: el?.getAttribute('aria-expanded') ?? null,
      inDialog: !!el?.closest('[role="dialog"]'),
      inSidebar: !!el?.closest('section[data-css="sidebar"]'),
      tag: el?.tagName.toLowerCase() ?? '',
    };
  });
}

/** Presses Tab until the focused element matches; fails when it is never reached. `passed` collects what took focus on the way. */
async function tabTo(page: Page, what: string, match: (f: Focused) => boolean, max = 150, passed: Focused[] = []): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (match(f)) return f;
    passed.push(f);
    seen.push(`${f.tag}:${f.label ?? f.text.slice(0, 24)}`);
  }
  throw new Error(`${what} never took focus in ${max} Tab presses (focus went to ${seen.slice(-8).join(' | ')})`);
}

async function keyboardLogin(page: Page, username: string): Promise<void> {
  await page.goto(`${panel.url}/ui/login`);
  await page.waitForFunction(() => document.activeElement?.id === 'username');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await Promise.all([page.waitForURL(`${panel.url}/ui`), page.keyboard.press('Enter')]);
}

/** Opens a sidebar group with Enter (it stays open: AdminJS remembers it). */
async function openGroup(page: Page, name: string): Promise<void> {
  const f = await tabTo(page, `sidebar group ${name}`, (x) => x.text === name && x.role === 'button');
  if (f.expanded !== 'true') {
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-expanded') === 'true');
  }
}

/** Every navigation link of the sidebar (resources and pages) and the logo's link to the overview. */
async function sidebarLinks(page: Page): Promise<{ text: string; href: string }[]> {
  return page.locator('section[data-css="sidebar"] a[href^="/ui"]').evaluateAll((as) => as.map((a) => ({ text: (a.textContent ?? '').trim(), href: a.getAttribute('href')! })).filter((l) => !l.href.startsWith('/ui/logout')));
}

describe('the panel by keyboard only (Chromium)', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' });
    await s.ranges.create({ name: 'office', cidr: '10.30.0.0/24' });
    await s.assets.create({ ip_address: '10.30.0.2', type: 'VM' });
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  for (const [user, groups] of [
    ['eddie', ['Inventory', 'Catalog', 'Administration']],
    ['root', ['Inventory', 'Catalog', 'Administration']],
  ] as const) {
    test(`${user} reaches every page of the sidebar with Tab and Enter`, async () => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      trackRequests(page, requested);
      await keyboardLogin(page, user);
      for (const g of groups) await openGroup(page, g);
      const links = await sidebarLinks(page);
      const names = links.map((l) => l.text);
      for (const expected of ['IP assets', 'Hosts', 'Ranges', 'Projects', 'Tags', 'Vendors', 'Data Ops', 'Connectors', 'Change password']) assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
      if (user === 'root') assert.ok(names.includes('Users'), names.join(', '));
      for (const link of links) {
        await tabTo(page, `link ${link.text || link.href}`, (f) => f.href === link.href);
        await page.keyboard.press('Enter');
        await page.waitForURL(`${panel.url}${link.href}`);
      }
      await shot(page, `keyboard-01-${user}-sidebar`);
      await context.close();
    });
  }

  test('at 1000 px the folded sidebar opens from the menu button and nothing hidden takes focus', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    trackRequests(page, requested);
    await keyboardLogin(page, 'eddie');
    // Closed, the sidebar's links are out of the Tab order (it is off screen).
    const passed: Focused[] = [];
    const menu = await tabTo(page, 'the menu button', (f) => f.testId === 'sidebar-toggle', 60, passed);
    assert.equal(menu.label, 'Menu');
    assert.deepEqual(passed.filter((f) => f.inSidebar).map((f) => f.text), [], 'hidden sidebar links took focus');
    await page.keyboard.press('Enter');
    await page.locator('section[data-css="sidebar"].visible').waitFor();
    await openGroup(page, 'Inventory');
    await tabTo(page, 'Hosts link', (f) => f.href === '/ui/resources/hosts');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${panel.url}/ui/resources/hosts`);
    await shot(page, 'keyboard-04-narrow-sidebar');
    await context.close();
  });

  test('an editor adds and deletes an IP by keyboard; drawers trap focus and give it back', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    trackRequests(page, requested);
    await keyboardLogin(page, 'eddie');
    await openGroup(page, 'Inventory');
    await tabTo(page, 'IP assets link', (f) => f.href === '/ui/resources/ip_assets');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${panel.url}/ui/resources/ip_assets`);
    await page.locator('tr[data-ip="10.30.0.2"]').waitFor();

    // Esc closes the drawer and focus goes back to "+ Add IP"; Tab never leaves an open drawer.
    await tabTo(page, '+ Add IP', (f) => f.text === '+ Add IP' && !f.inDialog);
    await page.keyboard.press('Enter');
    await page.getByTestId('asset-drawer').waitFor();
    assert.equal((await focused(page)).inDialog, true, 'the drawer takes focus');
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press(i % 7 === 6 ? 'Shift+Tab' : 'Tab');
      assert.equal((await focused(page)).inDialog, true, `Tab ${i + 1} left the drawer`);
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('asset-drawer').waitFor({ state: 'detached' });
    assert.equal((await focused(page)).text, '+ Add IP', 'focus is back on the opener');

    // Add: the IP field has focus; Enter submits.
    await page.keyboard.press('Enter');
    await page.getByTestId('asset-drawer').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'ipk-ip');
    await page.keyboard.type('10.30.0.7');
    await shot(page, 'keyboard-02-add-drawer');
    await page.keyboard.press('Enter');
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').innerText(), /10\.30\.0\.7/);
    await page.locator('tr[data-ip="10.30.0.7"]').waitFor();
    assert.equal((await focused(page)).text, '+ Add IP', 'focus is back on the opener after saving');

    // Delete: the row's Delete button, the acknowledgement (Space), "Delete permanently" (Enter).
    await tabTo(page, 'Delete 10.30.0.7', (f) => f.label === 'Delete 10.30.0.7');
    await page.keyboard.press('Enter');
    await page.getByTestId('delete-drawer').waitFor();
    await tabTo(page, 'the acknowledgement', (f) => f.testId === 'delete-ack', 20);
    await page.keyboard.press('Space');
    await tabTo(page, 'Delete permanently', (f) => f.testId === 'delete-confirm', 20);
    await shot(page, 'keyboard-03-delete-drawer');
    await page.keyboard.press('Enter');
    await page.locator('tr[data-ip="10.30.0.7"]').waitFor({ state: 'detached' });
    assert.match(await page.getByTestId('notice').innerText(), /10\.30\.0\.7 deleted/);
    const after = await focused(page);
    assert.notEqual(after.tag, 'body', 'focus is not dropped on the page after the row is gone');
    const left = Number(((await panel.tdb.db('ip_assets').where({ ip_address: '10.30.0.7' }).count({ n: '*' })) as { n: number | string }[])[0]!.n);
    assert.equal(left, 0);
    await context.close();
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), []);
  });
});
