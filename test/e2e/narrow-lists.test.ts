/**
 * Lists at 1000 px (the sidebar folded away): the columns without a pixel width keep room for
 * their text. A fixed table layout gave them what the pixel columns left, which was nothing: the
 * Devices list cut every name to "srv-…" and the IP list drew its Notes header over Last seen.
 * Screenshots: narrow-lists-*.png.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { runPush } from '../../src/plugins/push.js';
import { shot, withPanel } from './harness.js';

/** Whether the element's text fits inside it (no ellipsis, nothing spilling into the next cell). */
const fits = (l: Locator): Promise<boolean> => l.evaluate((el) => el.scrollWidth <= el.clientWidth);

describe('Lists at 1000 px', () => {
  const s = withPanel();

  test('the Devices list shows whole device names', async () => {
    await runPush(s.panel.tdb.db, 'narrow-cmdb', { devices: [{ source_id: 'n-1', name: 'srv-storage-01', kind: 'server', serial: 'SER-0001', power_state: 'on' }] }, false);
    const { page, context } = await s.open('eddie', { width: 1000, height: 800, path: '/ui/resources/devices' });
    const row = page.getByTestId('device-row-srv-storage-01');
    await row.waitFor({ timeout: 15_000 });
    const name = row.locator('td').nth(1);
    assert.match(await name.innerText(), /srv-storage-01/);
    assert.ok(await fits(name), 'the name cell holds the whole name');
    await shot(page, 'narrow-lists-01-devices');
    await context.close();
  });

  test('the IP list keeps its Notes column, header and cells, apart from Last seen', async () => {
    await s.rest('eddie', 'POST', '/ip-assets', { ip_address: '10.88.0.1', type: 'OS', tags: ['prod', 'edge'], notes: 'backup' });
    const { page, context } = await s.open('eddie', { width: 1000, height: 800, path: '/ui/resources/ip_assets' });
    await page.locator('[data-testid="ip-table"][data-loading="false"] tr[data-ip="10.88.0.1"]').waitFor({ timeout: 15_000 });
    const headers = page.locator('[data-testid="ip-table"] thead th');
    const labels = await headers.allInnerTexts();
    const notes = headers.nth(labels.findIndex((t) => /notes/i.test(t)));
    assert.ok(await fits(notes), 'the Notes header fits its column');
    assert.ok(await fits(page.locator('tr[data-ip="10.88.0.1"] td.ipw-notes')), 'the note fits its cell');
    await shot(page, 'narrow-lists-02-ip-list');
    await context.close();
    assert.deepEqual(s.offLoopback(), []);
  });
});
