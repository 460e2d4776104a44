/** Restoring archived IPs in Chromium: from the archived row, the detail page, the bulk bar, and the Add IP drawer's offer. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { isLoopback, launchChromium, login, shot, startPanel, trackRequests, type Panel } from './harness.js';

let panel: Panel;
let browser: Browser;
const requested: string[] = [];
const LIST = '/ui/resources/ip_assets';
let projectId = 0;
let hostId = 0;

async function services() {
  const { servicesFor } = await import('../helpers/services.js');
  return servicesFor(panel.tdb.db, { userId: null, username: 'seed', role: 'editor' });
}

async function editorPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  trackRequests(page, requested);
  await login(page, panel.url, 'eddie');
  return { context, page };
}

/** An archived OS address of host web-01 in project web-prod, tagged and with notes. */
async function archived(ip: string): Promise<number> {
  const s = await services();
  const a = await s.assets.create({ ip_address: ip, type: 'OS', project_id: projectId, host_id: hostId, tags: ['prod', 'web'], notes: 'front end' });
  await s.assets.archive(ip);
  return a.id;
}

/** The stored asset, as the API would return it. */
async function stored(ip: string) {
  return (await services()).assets.getByAddress(ip);
}

/** Waits for the status line to say `text` (an earlier notice may still be showing), then checks it. */
async function noticeSays(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t) => document.querySelector('[data-testid="notice"]')?.textContent === t, text).catch(() => undefined);
  assert.equal(await page.getByTestId('notice').innerText(), text);
}

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="ip-table"]')?.getAttribute('data-loading') === 'false');
}

async function rows(page: Page): Promise<string[]> {
  return page.locator('[data-testid="ip-table"] tbody tr[data-ip]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ip') ?? ''));
}

describe('restoring archived IPs in the panel', () => {
  before(async () => {
    panel = await startPanel();
    browser = await launchChromium();
    const s = await services();
    projectId = (await s.projects.create({ name: 'web-prod', color: '#1e40af' })).id;
    await s.tags.create({ name: 'prod', color: '#dc2626' });
    await s.tags.create({ name: 'web', color: '#f59e0b' });
    hostId = (await s.hosts.create({ name: 'web-01' })).id;
    await s.assets.create({ ip_address: '10.0.0.1', type: 'VM', project_id: projectId });
  });
  after(async () => {
    await browser?.close();
    await panel?.stop();
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), [], 'the panel only talks to loopback');
  });

  test('the Restore action of an archived row brings it back with its project, host, tags and notes', async () => {
    await archived('10.0.0.6');
    const { context, page } = await editorPage();
    await page.goto(`${panel.url}${LIST}?archived=only`);
    await settled(page);
    assert.deepEqual(await rows(page), ['10.0.0.6']);
    const row = page.locator('tr[data-ip="10.0.0.6"]');
    assert.equal(await row.locator('button:has-text("Edit")').count(), 0, 'an archived row offers Restore instead of Edit');
    await shot(page, 'restore-01-archived-row');
    await row.getByRole('button', { name: 'Restore 10.0.0.6' }).click();
    await noticeSays(page, '10.0.0.6 restored with its data and history.');
    await settled(page);
    assert.deepEqual(await rows(page), [], 'it left the archived list');
    await shot(page, 'restore-02-row-restored');
    const a = await stored('10.0.0.6');
    assert.deepEqual([a.archived, a.project_id, a.host_id, a.tags, a.notes], [false, projectId, hostId, ['prod', 'web'], 'front end']);
    await page.goto(`${panel.url}${LIST}`);
    await settled(page);
    assert.ok((await rows(page)).includes('10.0.0.6'), 'back in the active list');
    await context.close();
  });

  test('the detail page of an archived IP has Restore; its history continues', async () => {
    const id = await archived('10.0.0.7');
    const { context, page } = await editorPage();
    await page.goto(`${panel.url}${LIST}/records/${id}/show`);
    await page.getByTestId('ip-detail').waitFor();
    await page.getByTestId('archived-hint').waitFor();
    assert.match(await page.getByTestId('header-chips').innerText(), /archived/);
    await page.getByTestId('audit').locator('tr').nth(1).waitFor();
    await shot(page, 'restore-03-detail-archived');
    await page.getByTestId('restore').click();
    await noticeSays(page, '10.0.0.7 restored with its data and history.');
    await page.getByTestId('audit').locator('tr').nth(2).waitFor();
    assert.doesNotMatch(await page.getByTestId('header-chips').innerText(), /archived/);
    assert.equal(await page.getByTestId('restore').count(), 0);
    assert.match(await page.getByTestId('audit').innerText(), /archived: true → false/);
    assert.match(await page.getByTestId('header-chips').innerText(), /web-prod/);
    await shot(page, 'restore-04-detail-restored');
    const a = await stored('10.0.0.7');
    assert.deepEqual([a.id, a.archived, a.project_id, a.host_id, a.tags], [id, false, projectId, hostId, ['prod', 'web']]);
    await context.close();

    // A viewer sees the archived page without a Restore button (the API would refuse it: 403).
    const other = await archived('10.0.0.17');
    const viewer = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const vpage = await viewer.newPage();
    trackRequests(vpage, requested);
    await login(vpage, panel.url, 'vera');
    await vpage.goto(`${panel.url}${LIST}/records/${other}/show`);
    await vpage.getByTestId('archived-hint').waitFor();
    assert.equal(await vpage.getByTestId('restore').count(), 0);
    await viewer.close();
    await (await services()).assets.restore('10.0.0.17');
  });

  test('the bulk bar restores the selected archived IPs in one go', async () => {
    await archived('10.0.0.8');
    await archived('10.0.0.9');
    await archived('10.0.0.10');
    const { context, page } = await editorPage();
    await page.goto(`${panel.url}${LIST}?archived=only`);
    await settled(page);
    assert.deepEqual(await rows(page), ['10.0.0.8', '10.0.0.9', '10.0.0.10']);
    await page.getByLabel('Select 10.0.0.8').check();
    await page.getByLabel('Select 10.0.0.10').check();
    await page.getByTestId('bulk-restore').waitFor();
    assert.equal(await page.getByTestId('bulk-restore').innerText(), 'Restore 2');
    await shot(page, 'restore-05-bulk-bar');
    await page.getByTestId('bulk-restore').click();
    await noticeSays(page, '2 restored with their data and history.');
    await settled(page);
    assert.deepEqual(await rows(page), ['10.0.0.9'], 'only the unselected one is still archived');
    await shot(page, 'restore-06-bulk-restored');
    for (const ip of ['10.0.0.8', '10.0.0.10']) assert.deepEqual([(await stored(ip)).archived, (await stored(ip)).tags], [false, ['prod', 'web']]);
    assert.equal((await stored('10.0.0.9')).archived, true);
    await context.close();
  });

  test('adding an archived address again offers to restore it with its data, or to replace it with what was typed', async () => {
    const id = await archived('10.0.0.5');
    const { context, page } = await editorPage();
    await page.goto(`${panel.url}${LIST}`);
    await settled(page);
    const addAgain = async (notes: string) => {
      await page.locator('button:has-text("+ Add IP")').click();
      const drawer = page.getByTestId('asset-drawer');
      await drawer.waitFor();
      await page.fill('#ipk-ip', '10.0.0.5');
      await page.selectOption('#ipk-type', 'VM');
      await drawer.locator('textarea').fill(notes);
      await drawer.locator('button:has-text("Add IP")').click();
      await drawer.getByTestId('archived-offer').waitFor();
      return drawer;
    };

    // Restore with its data: nothing typed is written, everything archived comes back.
    let drawer = await addAgain('typed notes');
    const offer = await drawer.getByTestId('archived-offer').innerText();
    assert.match(offer, /10\.0\.0\.5 is archived/);
    assert.match(offer, /project web-prod/);
    assert.match(offer, /tags prod, web/);
    await page.waitForFunction(() => /host web-01/.test(document.querySelector('[data-testid="archived-offer"]')?.textContent ?? ''));
    assert.match(offer, /Restore it with its data/);
    assert.match(offer, /Replace it with what you typed/);
    assert.equal((await stored('10.0.0.5')).archived, true, 'the first Add wrote nothing');
    await shot(page, 'restore-07-add-offer');
    await drawer.getByTestId('offer-restore').click();
    await noticeSays(page, '10.0.0.5 restored with its data and history.');
    let a = await stored('10.0.0.5');
    assert.deepEqual([a.id, a.archived, a.type, a.project_id, a.host_id, a.tags, a.notes], [id, false, 'OS', projectId, hostId, ['prod', 'web'], 'front end']);
    await shot(page, 'restore-08-add-restored');

    // Replace: the same row (and history), overwritten with what was typed; the notice says so.
    await (await services()).assets.archive('10.0.0.5');
    drawer = await addAgain('typed notes');
    await drawer.getByTestId('offer-replace').click();
    await noticeSays(page, '10.0.0.5 restored, replaced with what you typed.');
    a = await stored('10.0.0.5');
    assert.deepEqual([a.id, a.archived, a.type, a.project_id, a.notes, a.tags], [id, false, 'VM', null, 'typed notes', []]);
    await shot(page, 'restore-09-add-replaced');

    // A new address is still simply added.
    await page.locator('button:has-text("+ Add IP")').click();
    await page.fill('#ipk-ip', '10.0.0.77');
    await page.getByTestId('asset-drawer').locator('button:has-text("Add IP")').click();
    await noticeSays(page, '10.0.0.77 added.');
    await context.close();
  });
});
