/**
 * Lists at 1000 px (the sidebar folded away): the columns without a pixel width keep room for
 * their text. A fixed table layout gave them what the pixel columns left, which was nothing: the
 * Devices list cut every name to "srv-…" and the IP list drew its Notes header over Last seen.
 * Addresses and CIDRs wrap only between their parts: "203.0.113.0/29" had become "203.0.113.0/2"
 * over "9", and a reservation's "203.0.113.4" "203.0.113." over "4".
 * Screenshots: narrow-lists-*.png.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { runPush } from '../../src/plugins/push.js';
import { shot, withPanel } from './harness.js';

/** Whether the element's text fits inside it (no ellipsis, nothing spilling into the next cell). */
const fits = (l: Locator): Promise<boolean> => l.evaluate((el) => el.scrollWidth <= el.clientWidth);

/** The text pieces of an element that the browser broke over more than one line (none when it wraps only between pieces). */
const brokenPieces = (l: Locator): Promise<string[]> =>
  l.evaluate((el) => {
    const broken: string[] = [];
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(n);
      if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) broken.push(n.textContent ?? '');
    }
    return broken;
  });

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
  });

  test('ranges, pools and reservations break a CIDR or an address only between its parts', async () => {
    const IPM = '/api/v1/ip-management';
    const pool = await s.rest<{ id: number }>('eddie', 'POST', `${IPM}/pools`, { pool_name: 'narrow-edge', pool_type: 'IPV4_PUBLIC', network_cidr: '203.0.113.0/29', gateway: '203.0.113.1' });
    await s.rest('eddie', 'POST', `${IPM}/pools`, { pool_name: 'narrow-pd', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:100::/48' });
    await s.rest('eddie', 'POST', `${IPM}/subscribers/narrow-sub/assign-ip`, { pool_id: pool.id, ip_type: 'ipv4' });
    const { page, context } = await s.open('eddie', { width: 1000, height: 800, path: '/ui/resources/ranges' });
    const cidrCells = page.locator('table tbody tr td:nth-child(2)');
    await cidrCells.filter({ hasText: '203.0.113.0' }).first().waitFor({ timeout: 15_000 });
    for (const cidr of ['203.0.113.0', '2001:db8:100::']) assert.deepEqual(await brokenPieces(cidrCells.filter({ hasText: cidr }).first()), [], `ranges: ${cidr}`);
    await shot(page, 'narrow-lists-03-ranges');
    await page.goto(`${s.panel.url}/ui/pages/ip-pools`);
    const network = page.getByTestId('pool-row-narrow-pd').locator('td.ipk-addr');
    await network.waitFor({ timeout: 15_000 });
    assert.deepEqual(await brokenPieces(network), [], 'pool list: 2001:db8:100::/48');
    await page.goto(`${s.panel.url}/ui/pages/ip-pools?pool=${pool.id}`);
    const address = page.locator('td.ipk-addr', { hasText: '203.0.113.' }).first();
    await address.waitFor({ timeout: 15_000 });
    assert.deepEqual(await brokenPieces(address), [], 'reservation address');
    assert.ok(await fits(address), 'the reservation address is not cut');
    await shot(page, 'narrow-lists-04-reservations');
    await context.close();
    assert.deepEqual(s.offLoopback(), []);
  });

  test('the audit log and the dashboard\'s Recent changes fit 1000 px: one-line times, Changes cut to two lines or one, no Target type column', async () => {
    const long = (word: string): string => `${word} of a note somebody pasted whole into the field `.repeat(6);
    await s.rest('eddie', 'POST', '/ip-assets', { ip_address: '10.88.0.50', type: 'VM', notes: long('first') });
    await s.rest('eddie', 'PATCH', '/ip-assets/10.88.0.50', { notes: long('second') });
    const { page, context } = await s.open('eddie', { width: 1000, height: 800, path: '/ui/resources/audit_log' });
    const changes = page.locator('[data-css="audit_log-changes-table-cell"] [data-testid="clamped-text"]').filter({ hasText: 'second of a note' }).first();
    await changes.waitFor({ timeout: 15_000 });
    const table = page.locator('table').first();
    assert.deepEqual(await table.evaluate((el) => el.getBoundingClientRect().right <= el.parentElement!.getBoundingClientRect().right + 1), true, 'the list stays inside its card');
    // AdminJS draws header cells as td in the thead.
    const headers = (await page.locator('table thead tr > *').evaluateAll((ths) => ths.filter((th) => getComputedStyle(th).display !== 'none').map((th) => (th as HTMLElement).textContent!.trim().toLowerCase()))).filter(Boolean);
    assert.ok(!headers.includes('target type'), headers.join('|'));
    assert.ok(headers.includes('changes') && headers.includes('target'), headers.join('|'));
    // Header and cells hide the same column: as many shown in a row as in the header row.
    const shown = (sel: string) => page.locator(sel).evaluateAll((cells) => cells.filter((c) => getComputedStyle(c).display !== 'none').length);
    assert.equal(await shown('table tbody tr:first-child > *'), await shown('table thead tr > *'));
    const lines = await changes.evaluate((el) => ({ height: el.getBoundingClientRect().height, line: parseFloat(getComputedStyle(el).lineHeight) || 20, cut: el.scrollHeight > el.clientHeight }));
    assert.ok(lines.cut && lines.height <= lines.line * 2 + 2, JSON.stringify(lines));
    assert.match((await changes.getAttribute('title')) ?? '', /second of a note/);
    const when = page.locator('[data-css="audit_log-created_at-table-cell"]').first();
    assert.deepEqual(await brokenPieces(when), [], 'the time is on one line');
    await shot(page, 'narrow-lists-05-audit-log');
    await page.goto(`${s.panel.url}/ui`);
    const recent = page.getByTestId('recent-audit');
    await recent.waitFor({ timeout: 15_000 });
    assert.equal(await recent.evaluate((el) => el.getBoundingClientRect().right <= el.parentElement!.getBoundingClientRect().right - 1), true, 'Recent changes stays inside its card');
    const cell = page.getByTestId('recent-audit-changes').filter({ hasText: 'second of a note' }).first();
    assert.equal(await cell.evaluate((el) => el.scrollWidth > el.clientWidth), true, 'a long change line is cut');
    assert.match((await cell.getAttribute('title')) ?? '', /second of a note somebody pasted/);
    await shot(page, 'narrow-lists-06-dashboard');
    await context.close();
  });
});
