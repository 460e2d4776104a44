/**
 * "Must change password at next login" in Chromium: a superuser resets a user's password on the
 * panel's user form; that user's next login lands on the change-password page, every other page
 * sends them back there, and once changed the panel opens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { UsersService } from '../../src/services/users.js';
import { isLoopback, launchChromium, login, PASSWORD, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;

describe('forced password change in Chromium', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test("a superuser's reset on the user form makes the user choose a new password before anything else", async () => {
    const users = new UsersService({ db: panel.tdb.db, actor: SYSTEM_ACTOR });
    const vera = (await users.list()).find((u) => u.username === 'vera')!;
    const requested: string[] = [];
    const errors: string[] = [];

    const admin = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const rootPage = await admin.newPage();
    trackRequests(rootPage, requested);
    await login(rootPage, panel.url, 'root');
    await rootPage.goto(`${panel.url}/ui/resources/users/records/${vera.id}/edit`);
    await rootPage.fill('[name="full_name"]', 'Vera Viewer');
    await rootPage.fill('[name="email"]', 'vera@example.org');
    await rootPage.fill('[name="department"]', 'Operations');
    await rootPage.fill('[name="password"]', 'reset-by-root-1');
    await rootPage.click('button[type="submit"]');
    await rootPage.waitForURL(`${panel.url}/ui/resources/users`);
    await rootPage.waitForSelector('tbody >> text=Vera Viewer');
    await shot(rootPage, 'users-vmi-01-user-after-reset');
    assert.equal((await users.get(vera.id)).must_change_password, true, 'the reset set the flag');
    await admin.close();

    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    trackRequests(page, requested);
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${panel.url}/ui/login`);
    await page.fill('#username', 'vera');
    await page.fill('#password', 'reset-by-root-1');
    await Promise.all([page.waitForURL(`${panel.url}/ui/pages/change-password`), page.click('button:has-text("Log in")')]);
    await page.waitForSelector('[data-testid="password-required"]');
    assert.match(await page.locator('[data-testid="password-required"]').innerText(), /must choose a new password/);
    await shot(page, 'users-vmi-02-change-required');

    // Any other page brings them back here.
    await page.goto(`${panel.url}/ui/resources/ip_assets`);
    assert.equal(new URL(page.url()).pathname, '/ui/pages/change-password');

    await page.fill('#current_password', 'reset-by-root-1');
    await page.fill('#new_password', 'veras-own-pass-2');
    await page.fill('#confirm_password', 'veras-own-pass-2');
    await Promise.all([page.waitForURL(`${panel.url}/ui`), page.click('button:has-text("Change password")')]);
    await page.waitForSelector('[data-testid="total-ip_assets"]');
    await page.goto(`${panel.url}/ui/resources/ip_assets`);
    assert.equal(new URL(page.url()).pathname, '/ui/resources/ip_assets');
    await shot(page, 'users-vmi-03-after-change');
    assert.equal((await users.get(vera.id)).must_change_password, false);
    assert.equal(await users.verifyCredentials('vera', PASSWORD), null, 'the old password is gone');
    assert.deepEqual(errors, []);
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), []);
    await ctx.close();
  });
});
