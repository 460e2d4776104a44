import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  trackRequests(page, requested);
  return { context, page };
}

/** Picks an option in an AdminJS (react-select) dropdown for the given property. */
async function choose(page: Page, path: string, text: string): Promise<void> {
  const box = page.locator(`[data-css$="-${path}"] .adminjs_Select, [data-testid="property-edit-${path}"] .adminjs_Select`).first();
  await box.click();
  await page.keyboard.type(text);
  await page.locator(`[id^="react-select"][id*="-option-"]:has-text("${text}")`).first().click();
}

async function seed(): Promise<void> {
  const { servicesFor } = await import('../helpers/services.js');
  const s = servicesFor(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' });
  const blue = await s.projects.create({ name: 'blue-team', color: '#1e40af', description: 'Core network' });
  await s.projects.create({ name: 'lab', color: '#fde68a' });
  await s.tags.create({ name: 'prod', color: '#dc2626' });
  await s.tags.create({ name: 'edge', color: '#a7f3d0' });
  const vendor = await s.vendors.create({ name: 'Dell' });
  const host = await s.hosts.create({ name: 'srv-01', vendor_id: vendor.id });
  await s.ranges.create({ name: 'servers', cidr: '10.0.0.0/24' });
  await s.ranges.create({ name: 'v6 lab', cidr: '2001:db8::/64' });
  await s.assets.create({ ip_address: '10.0.0.10', type: 'OS', project_id: blue.id, host_id: host.id, tags: ['prod', 'edge'], notes: 'primary' });
  await s.assets.create({ ip_address: '10.0.0.2', type: 'VM', project_id: blue.id, tags: ['prod'] });
  await s.assets.create({ ip_address: '2001:db8::5', type: 'VIP' });
}

describe('the panel in Chromium', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    await seed();
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
  });

  test('the login page is ours and a wrong password is refused', async () => {
    const { context, page } = await newPage();
    await page.goto(`${panel.url}/`);
    assert.equal(new URL(page.url()).pathname, '/ui/login');
    const body = await page.locator('body').innerText();
    assert.match(body, /ipocket/);
    assert.doesNotMatch(body, /AdminJS|Welcome/i);
    await shot(page, '01-login');
    await page.fill('#username', 'eddie');
    await page.fill('#password', 'wrong-password');
    await page.click('button:has-text("Log in")');
    await page.waitForSelector('text=Wrong username or password.');
    await shot(page, '02-login-refused');
    await context.close();
  });

  test('an editor sees the dashboard, creates, edits and deletes an IP asset', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'eddie');
    await page.waitForSelector('[data-testid="total-ip_assets"]:has-text("3")');
    assert.match(await page.locator('[data-testid="range-utilization"]').innerText(), /10\.0\.0\.0\/24/);
    assert.match(await page.locator('[data-testid="build-info"]').first().innerText(), /ipocket v\d/);
    await shot(page, '03-dashboard-editor');

    await page.goto(`${panel.url}/ui/resources/ip_assets`);
    await page.waitForSelector('text=10.0.0.10');
    const rows = await page.locator('tbody tr').allInnerTexts();
    const addresses = rows.map((r) => /[0-9a-f:.]*[.:][0-9a-f:.]+/.exec(r)?.[0]);
    assert.deepEqual(addresses.slice(0, 3), ['10.0.0.2', '10.0.0.10', '2001:db8::5'], 'numeric IP order');
    await page.click('[data-css="sidebar-resources"] >> text=Administration');
    await page.waitForSelector('[data-css="sidebar-resources"] >> text=Audit log');
    assert.equal(await page.locator('[data-css="sidebar-resources"] >> text=Users').count(), 0, 'an editor has no Users page');
    await shot(page, '04-ip-assets-list');

    await page.goto(`${panel.url}/ui/resources/ip_assets/actions/new`);
    await page.fill('[name="ip_address"]', '10.0.0.77');
    await choose(page, 'type', 'VM');
    await page.fill('[name="tags"]', 'edge');
    await page.fill('[name="notes"]', 'made in the panel');
    await shot(page, '05-ip-new-form');
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=10.0.0.77');
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db);
    const created = await s.assets.getByAddress('10.0.0.77');
    assert.equal(created.type, 'VM');
    assert.deepEqual(created.tags, ['edge']);
    const audit = await s.audit.list({ target_type: 'IP_ASSET', target_label: '10.0.0.77' });
    assert.equal(audit.items[0]?.username, 'eddie');

    // Invalid input comes back as a field error from the service's zod schema.
    await page.goto(`${panel.url}/ui/resources/ip_assets/actions/new`);
    await page.fill('[name="ip_address"]', '10.0.0.77');
    await choose(page, 'type', 'OS');
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=already exists');
    await shot(page, '06-ip-duplicate-error');

    await page.goto(`${panel.url}/ui/resources/ip_assets/records/${created.id}/edit`);
    await page.fill('[name="notes"]', 'edited in the panel');
    await page.click('button[type="submit"]');
    await page.waitForURL(`${panel.url}/ui/resources/ip_assets`);
    assert.equal((await s.assets.getById(created.id)).notes, 'edited in the panel');

    await page.goto(`${panel.url}/ui/resources/ip_assets/records/${created.id}/show`);
    await page.waitForSelector('text=edited in the panel');
    await shot(page, '07-ip-show');
    // The show page is the IP workspace's detail page (issue 5): delete through its drawer.
    await page.locator('button:has-text("Delete")').first().click();
    await page.getByTestId('delete-drawer').waitFor();
    await shot(page, '07b-ip-delete-confirm');
    await page.getByTestId('delete-ack').check();
    await page.click('button:has-text("Delete permanently")');
    await page.waitForURL(`${panel.url}/ui/resources/ip_assets`);
    assert.equal(await s.assets.findByAddress('10.0.0.77'), null);
    await context.close();
  });

  test('an editor archives an asset from the detail page (delete drawer, Archive)', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'eddie');
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db);
    const asset = await s.assets.getByAddress('2001:db8::5');
    await page.goto(`${panel.url}/ui/resources/ip_assets/records/${asset.id}/show`);
    // Archive sits beside "Delete permanently" in the detail page's delete drawer (issue 5).
    await page.locator('button:has-text("Delete")').first().click();
    await page.waitForSelector('text=keeps its history');
    await page.getByTestId('delete-drawer').locator('button:has-text("Archive")').click();
    await page.waitForSelector('text=2001:db8::5 archived.');
    assert.equal((await s.assets.getById(asset.id)).archived, true);
    await page.goto(`${panel.url}/ui/resources/ip_assets?filters.archived=true`);
    await page.waitForSelector('tbody >> text=2001:db8::5');
    await shot(page, '07d-ip-archived-filter');
    await context.close();
  });

  test('every list and show page renders for an editor', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'eddie');
    for (const [i, resource, text] of [
      [8, 'hosts', 'srv-01'],
      [9, 'ranges', '10.0.0.0/24'],
      [10, 'projects', 'blue-team'],
      [11, 'tags', 'prod'],
      [12, 'vendors', 'Dell'],
      [13, 'audit_log', 'eddie'],
    ] as const) {
      await page.goto(`${panel.url}/ui/resources/${resource}`);
      await page.waitForSelector(`tbody >> text=${text}`);
      await shot(page, `${String(i).padStart(2, '0')}-${resource}-list`);
    }
    await page.goto(`${panel.url}/ui/resources/ranges/records/1/show`);
    await page.waitForSelector('text=servers');
    await shot(page, '14-range-show');
    await context.close();
  });

  test('a viewer reads but cannot write, in the UI or by calling the action endpoints', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'vera');
    await page.goto(`${panel.url}/ui/resources/ip_assets`);
    await page.waitForSelector('text=10.0.0.10');
    assert.equal(await page.locator('a:has-text("Create new"), button:has-text("Create new")').count(), 0);
    await shot(page, '15-ip-assets-viewer');
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db);
    const before = await s.assets.getByAddress('10.0.0.10');
    const auditBefore = (await s.audit.list()).total;
    const api = `${panel.url}/ui/api/resources/ip_assets`;
    const calls = [
      page.request.post(`${api}/actions/new`, { multipart: { ip_address: '10.9.9.9', type: 'VM' } }),
      page.request.post(`${api}/records/${before.id}/edit`, { multipart: { notes: 'hacked' } }),
      page.request.post(`${api}/records/${before.id}/delete`),
      page.request.post(`${api}/bulk/bulkDelete?recordIds=${before.id}`),
      page.request.get(`${api}/records/${before.id}/archive`),
      page.request.get(`${panel.url}/ui/api/resources/users/actions/list`),
      page.request.get(`${panel.url}/ui/api/resources/users/actions/search`),
      page.request.get(`${panel.url}/ui/api/resources/users/records/1/show`),
    ];
    for (const res of await Promise.all(calls)) {
      const body = (await res.json()) as { notice?: { message: string; type: string }; records?: unknown[]; record?: { params: object } };
      assert.equal(body.notice?.type, 'error', res.url());
      assert.equal(body.notice?.message, 'forbiddenError', res.url());
      assert.deepEqual(body.records ?? [], [], res.url());
      assert.deepEqual(body.record?.params ?? {}, {}, res.url());
    }
    assert.deepEqual(await s.assets.getByAddress('10.0.0.10'), before);
    assert.equal(await s.assets.findByAddress('10.9.9.9'), null);
    assert.equal((await s.audit.list()).total, auditBefore);
    await context.close();
  });

  test('a superuser sees and manages users but cannot write inventory', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'root');
    await page.click('[data-css="sidebar-resources"] >> text=Administration');
    await page.waitForSelector('[data-css="sidebar-resources"] >> text=Users');
    await page.goto(`${panel.url}/ui/resources/users`);
    await page.waitForSelector('tbody >> text=vera');
    assert.doesNotMatch(await page.content(), /password_hash|\$2[aby]\$/);
    await shot(page, '16-users-list');
    await page.goto(`${panel.url}/ui/resources/users/actions/new`);
    await page.fill('[name="username"]', 'newbie');
    await choose(page, 'role', 'editor');
    await page.fill('[name="password"]', 'newbie-password-1');
    await shot(page, '17-user-new-form');
    await page.click('button[type="submit"]');
    await page.waitForSelector('tbody >> text=newbie');
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db);
    const newbie = (await s.users.list()).find((u) => u.username === 'newbie');
    assert.equal(newbie?.role, 'editor');
    assert.ok(await s.users.verifyCredentials('newbie', 'newbie-password-1'));

    const res = await page.request.post(`${panel.url}/ui/api/resources/ip_assets/actions/new`, { multipart: { ip_address: '10.8.8.8', type: 'VM' } });
    assert.equal(((await res.json()) as { notice: { message: string } }).notice.message, 'forbiddenError');
    assert.equal(await s.assets.findByAddress('10.8.8.8'), null);
    // The last active superuser cannot remove itself.
    const root = (await s.users.list()).find((u) => u.username === 'root')!;
    const del = await page.request.post(`${panel.url}/ui/api/resources/users/records/${root.id}/delete`);
    assert.equal(((await del.json()) as { notice: { type: string } }).notice.type, 'error');
    assert.ok((await s.users.list()).find((u) => u.username === 'root'));
    await context.close();
  });

  test('Users → Create: "Active" is ticked by default, and an unticked box creates an inactive user', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'root');
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db);
    const create = async (username: string, untick: boolean): Promise<void> => {
      await page.goto(`${panel.url}/ui/resources/users/actions/new`);
      await page.fill('[name="username"]', username);
      await choose(page, 'role', 'viewer');
      await page.fill('[name="password"]', `${username}-password-1`);
      assert.equal(await page.isChecked('[name="is_active"]'), true, 'the form shows what a new user gets: active');
      if (untick) {
        // A click that lands before the form's first render is undone by it: click until the box shows the change.
        for (let i = 0; i < 5 && (await page.isChecked('[name="is_active"]')); i++) {
          await page.click('label[for="is_active"]');
          await page.waitForFunction(() => !(document.querySelector('[name="is_active"]') as HTMLInputElement | null)?.checked, null, { timeout: 1000 }).catch(() => undefined);
        }
        assert.equal(await page.isChecked('[name="is_active"]'), false);
        await shot(page, '17b-user-new-inactive');
      }
      await page.click('button[type="submit"]');
      await page.waitForSelector(`tbody >> text=${username}`);
    };
    await create('ticked', false);
    await create('dormant', true);
    const users = await s.users.list();
    assert.equal(users.find((u) => u.username === 'ticked')?.is_active, true);
    assert.equal(users.find((u) => u.username === 'dormant')?.is_active, false, 'unticked creates an inactive user');
    assert.equal(await s.users.verifyCredentials('dormant', 'dormant-password-1'), null, 'an inactive user cannot log in');
    await context.close();
  });

  test('a role change applies on the next request, and logout ends the session', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'newbie', 'newbie-password-1');
    const { servicesFor } = await import('../helpers/services.js');
    const s = servicesFor(panel.tdb.db, { userId: null, username: 'system', role: 'superuser' });
    const newbie = (await s.users.list()).find((u) => u.username === 'newbie')!;
    await s.users.update(newbie.id, { role: 'viewer' });
    const res = await page.request.post(`${panel.url}/ui/api/resources/tags/actions/new`, { multipart: { name: 'sneaky' } });
    assert.equal(res.status(), 403);
    assert.equal(((await res.json()) as { notice: { message: string } }).notice.message, 'forbiddenError');
    // The "Log out" link only asks; the button posts.
    await page.goto(`${panel.url}/ui/logout`);
    assert.equal(new URL(page.url()).pathname, '/ui/logout');
    await Promise.all([page.waitForURL(`${panel.url}/ui/login`), page.click('button:has-text("Log out")')]);
    await page.goto(`${panel.url}/ui/resources/ip_assets`);
    assert.equal(new URL(page.url()).pathname, '/ui/login');
    await context.close();
  });

  test('every user can change their own password', async () => {
    const { context, page } = await newPage();
    await login(page, panel.url, 'vera');
    await page.goto(`${panel.url}/ui/pages/change-password`);
    await page.fill('#current_password', 'not-it-at-all');
    await page.fill('#new_password', 'brand-new-pass-1');
    await page.fill('#confirm_password', 'brand-new-pass-1');
    await page.click('button:has-text("Change password")');
    await page.waitForSelector('text=The current password is not correct.');
    await shot(page, '18-change-password-error');
    await page.fill('#current_password', 'correct-horse-9');
    await page.click('button:has-text("Change password")');
    await page.waitForSelector('text=Your password was changed.');
    await shot(page, '19-change-password-done');
    const { servicesFor } = await import('../helpers/services.js');
    assert.ok(await servicesFor(panel.tdb.db).users.verifyCredentials('vera', 'brand-new-pass-1'));
    await context.close();
  });

  test('no request left the machine', () => {
    assert.ok(requested.length > 20, 'requests were recorded');
    const outside = requested.filter((u) => !isLoopback(u));
    assert.deepEqual(outside, []);
  });
});
