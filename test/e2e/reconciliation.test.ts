/**
 * The reconciliation report page in Chromium (issue 15): kinds with their counts, range and
 * window filters in the URL, an editor's Add and Archive, the device link of a mismatch, and a
 * viewer who sees no write button, the sources-disagree kind reached and opened from the keyboard
 * at 1000 px. Screenshots at 1400 px and 1000 px.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { shot, withPanel } from './harness.js';
import { seedReconciliation } from './reconciliation-seed.js';

const PAGE = '/ui/pages/reconciliation';

describe('reconciliation report page (Chromium)', () => {
  const s = withPanel();
  let lab = 0;
  before(async () => {
    lab = await seedReconciliation(s);
  });

  test('an editor adds an unknown address, archives a reclaimable one and opens the device of a mismatch', async () => {
    const { context, page } = await s.open('eddie', { width: 1400, path: PAGE });
    await page.getByTestId('rec-10.9.0.5').waitFor();
    assert.match(await page.getByTestId('kind-unknown').innerText(), /Unknown\s+\(2\)/);
    assert.match(await page.getByTestId('kind-reclaimable').innerText(), /\(1\)/);
    assert.match(await page.getByTestId('kind-mismatch').innerText(), /\(1\)/);
    assert.match(await page.getByTestId('kind-disagree').innerText(), /\(1\)/);
    await shot(page, 'reconciliation-01-unknown-1400');
    await page.getByTestId('range-filter').selectOption(String(lab));
    await page.waitForURL(new RegExp(`range=${lab}`));
    await page.getByTestId('rec-192.0.2.5').waitFor({ state: 'detached' });
    await page.getByTestId('kind-unknown').filter({ hasText: '(1)' }).waitFor();
    await page.getByRole('button', { name: 'Add 10.9.0.5 to the inventory' }).click();
    await page.getByTestId('notice').filter({ hasText: '10.9.0.5 is back in the inventory.' }).waitFor();
    await page.getByTestId('rec-10.9.0.5').waitFor({ state: 'detached' });
    await page.getByTestId('kind-unknown').filter({ hasText: '(0)' }).waitFor();
    await page.getByTestId('kind-reclaimable').click();
    await page.waitForURL(/kind=reclaimable/);
    await page.getByRole('button', { name: 'Archive 10.9.0.10' }).click();
    await page.getByTestId('notice').filter({ hasText: '10.9.0.10 archived' }).waitFor();
    await page.getByTestId('rec-10.9.0.10').waitFor({ state: 'detached' });
    // An archived address is gone from the API's reads; the row is kept, archived.
    const row10 = (await s.panel.tdb.db('ip_assets').where({ ip_address: '10.9.0.10' }).first()) as { archived: unknown };
    assert.ok(row10.archived === true || Number(row10.archived) === 1);
    await page.getByTestId('kind-mismatch').click();
    const row = page.getByTestId('rec-10.9.0.30');
    await row.waitFor();
    assert.match(await row.innerText(), /blue[\s\S]*web-1 \(project red\)/);
    // The window is part of the URL too: a reload keeps every filter.
    await page.getByTestId('days-filter').fill('3');
    await page.click('button:has-text("Apply")');
    await page.waitForURL(/days=3/);
    await page.reload();
    await row.waitFor();
    assert.equal(await page.getByTestId('range-filter').inputValue(), String(lab));
    await Promise.all([page.waitForURL(/\/ui\/resources\/devices\/records\/\d+\/show/), row.getByRole('link', { name: 'web-1' }).click()]);
    await context.close();
  });

  test('sources disagree, from the keyboard at 1000 px: the tab, the row, Open to the device', async () => {
    const { context, page } = await s.open('eddie', { width: 1000, path: PAGE });
    await page.getByTestId('rec-192.0.2.5').waitFor();
    await page.getByTestId('kind-mismatch').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'kind-disagree');
    await page.keyboard.press('Enter');
    await page.waitForURL(/kind=disagree/);
    const row = page.getByTestId('dis-sw-1-serial');
    await row.waitFor();
    assert.match(await row.innerText(), /librenms: FOC111\s+netdisco: FOC999/);
    // Range and window narrow addresses, not devices: not offered here.
    assert.equal(await page.getByTestId('range-filter').count(), 0);
    assert.match(await page.getByTestId('kind-disagree').innerText(), /Sources disagree\s+\(1\)/);
    // memory_mb agrees, so it is no row of its own.
    assert.equal(await page.locator('[data-testid^="dis-sw-1-"]').count(), 1);
    await shot(page, 'reconciliation-03-disagree-1000');
    // Tab on from the kind tabs until Open is focused; Enter follows it.
    for (let i = 0; i < 30; i++) {
      if ((await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) === 'Open sw-1') break;
      await page.keyboard.press('Tab');
    }
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Open sw-1');
    await Promise.all([page.waitForURL(/\/ui\/resources\/devices\/records\/\d+\/show/), page.keyboard.press('Enter')]);
    await context.close();
  });

  test('a viewer reads the report without write buttons; the server refuses the write', async () => {
    const { context, page } = await s.open('vera', { width: 1000, path: `${PAGE}?kind=unknown` });
    await page.getByTestId('rec-192.0.2.5').waitFor();
    assert.equal(await page.locator('button:has-text("Add"), button:has-text("Archive")').count(), 0);
    // An unknown address is archived: Open shows the archived list, where it is.
    assert.match((await page.getByRole('link', { name: 'Open 192.0.2.5' }).getAttribute('href')) ?? '', /q=192\.0\.2\.5&archived=only$/);
    await shot(page, 'reconciliation-02-viewer-1000');
    const status = await page.evaluate(async () => (await fetch('/ip-assets/192.0.2.5/restore', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
    assert.equal(status, 403);
    await context.close();
    assert.deepEqual(s.offLoopback(), []);
  });
});
