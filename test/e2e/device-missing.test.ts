/**
 * Missing devices in the panel (issue 15): a device a complete push no longer reports shows
 * "missing since … (archived in N days)" on its page and its source's row, carries a "missing"
 * badge in the list, and the list's Missing filter (URL `missing=only`) narrows to it.
 * Screenshots: device-missing-*.png.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runPush } from '../../src/plugins/push.js';
import { shot, withPanel } from './harness.js';

describe('Devices: missing state and filter', () => {
  const s = withPanel();

  test('the device page says since when it is missing and when the policy archives it; the list filters to missing devices', async () => {
    const db = s.panel.tdb.db;
    const device = (id: string) => ({ source_id: id, name: id, kind: 'server' });
    const first = await runPush(db, 'lab-cmdb', { devices: [device('srv-kept'), device('srv-gone')], complete: true, archive_missing_after_days: 5 }, false);
    assert.equal(first.status, 'succeeded');
    const second = await runPush(db, 'lab-cmdb', { devices: [device('srv-kept')], complete: true, archive_missing_after_days: 5 }, false);
    assert.equal(second.status, 'succeeded');
    const gone = (await db('hosts').where({ name: 'srv-gone' }).first()) as { id: number };

    const { page, context } = await s.open('vera', { width: 1366, height: 900, path: `/ui/resources/devices/records/${gone.id}/show` });
    const state = page.getByTestId('missing-state');
    await state.waitFor({ timeout: 15_000 });
    assert.match(await state.innerText(), /^missing since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(archived in 5 days\)$/);
    assert.match(await page.getByTestId('source-missing-lab-cmdb').innerText(), new RegExp(`since .*run #${second.runId}`));
    assert.match(await page.getByTestId('header-chips').innerText(), /missing/);
    await shot(page, 'device-missing-01-page');

    await page.goto(`${s.panel.url}/ui/resources/devices?missing=only`);
    await page.getByTestId('device-row-srv-gone').waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('device-row-srv-kept').count(), 0, 'the present device is filtered out');
    assert.match(await page.getByTestId('device-row-srv-gone').innerText(), /missing/);
    await shot(page, 'device-missing-02-list-filter');
    await context.close();
    assert.deepEqual(s.offLoopback(), []);
  });
});
