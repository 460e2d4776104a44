/**
 * The NetBox Sync page in Chromium (issue 16), against the fake NetBox on loopback: status, last
 * sync, conflict count, sync all, import prefix, conflict resolution and history, as an editor;
 * a viewer sees the page without any write button.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { FakeNetBox } from '../fakes/netbox.js';
import { shot, withPanel } from './harness.js';

const fake = new FakeNetBox({ token: 'e2e-netbox-token' });
let closeFake: () => Promise<void>;
const IPM = '/api/v1/ip-management';

describe('NetBox Sync page in Chromium', () => {
  const session = withPanel();
  let prefixId = 0;
  const open = async (user: string): Promise<Page> => {
    const { page } = await session.open(user, { path: '/ui/pages/netbox-sync' });
    await page.getByTestId('netbox-sync').waitFor();
    return page;
  };
  before(async () => {
    const s = await fake.listen();
    closeFake = s.close;
    const rest = <T>(method: string, path: string, body?: unknown) => session.rest<T>('eddie', method, path, body);
    await rest('POST', '/connectors/configs', { name: 'netbox', plugin: 'netbox', options: { url: s.url, token: 'e2e-netbox-token', timeout: 15, retries: 0 } });
    const pool = await rest<{ id: number }>('POST', `${IPM}/pools`, { pool_name: 'edge-v4', pool_type: 'IPV4_PUBLIC', network_cidr: '203.0.113.0/29', gateway: '203.0.113.1' });
    await rest('POST', `${IPM}/reservations`, { pool_id: pool.id, ip_address: '203.0.113.2', subscriber_id: 'alice', assign: true });
    await rest('POST', `${IPM}/pools/${pool.id}/sync-netbox`);
    fake.ipByAddress('203.0.113.2')!.description = 'mallory';
    fake.addIp({ address: '203.0.113.5/29', status: 'active', description: 'intruder' });
    prefixId = fake.addPrefix({ prefix: '198.51.100.0/29', description: 'imported-lan' }).id;
    fake.addIp({ address: '198.51.100.3/29', status: 'reserved', description: 'bob' });
  });
  after(async () => {
    await closeFake?.();
  });

  test('editor: sync all shows the conflicts, resolves one each way, imports a prefix; history lists the runs', async () => {
    const page = await open('eddie');
    // The status arrives after the page's first paint ("Loading…"): wait for it, then read it.
    await page.getByTestId('nb-connection').filter({ hasText: /http:\/\/127\.0\.0\.1:\d+/ }).waitFor();
    await page.getByRole('button', { name: 'Sync all pools' }).click();
    await page.getByText('Sync finished:').waitFor();
    assert.equal((await page.getByTestId('nb-conflict-count').innerText()).match(/\d+/)?.[0], '2');
    await page.getByTestId('nb-conflict-203.0.113.2').waitFor();
    await page.getByTestId('nb-conflict-203.0.113.5').waitFor();
    await shot(page, 'netbox-sync-conflicts');

    await page.getByRole('button', { name: 'Keep ours for 203.0.113.2' }).click();
    await page.getByText('Conflict on 203.0.113.2 resolved: ours.').waitFor();
    assert.equal(fake.ipByAddress('203.0.113.2')!.description, 'alice');
    await page.getByRole('button', { name: "Take NetBox's for 203.0.113.5" }).click();
    await page.getByText('Conflict on 203.0.113.5 resolved: theirs.').waitFor();
    await page.getByText('No open conflicts.').waitFor();
    assert.equal((await page.getByTestId('nb-conflict-count').innerText()).match(/\d+/)?.[0], '0');

    await page.locator('#nb-prefix-id').fill(String(prefixId));
    await page.getByRole('button', { name: 'Import prefix as a pool' }).click();
    await page.getByText('Imported 198.51.100.0/29 as pool imported-lan.').waitFor();
    const history = await page.getByTestId('nb-history').innerText();
    for (const kind of ['sync', 'import', 'push']) assert.match(history, new RegExp(`\\b${kind}\\b`));
    assert.match(await page.getByTestId('nb-last-sync').innerText(), /succeeded/);
    await shot(page, 'netbox-sync-after');
    await page.context().close();
  });

  test('editor: delegated IPv6 prefix conflicts show with their kind and resolve with the same buttons', async () => {
    const rest = <T>(method: string, path: string, body?: unknown) => session.rest<T>('eddie', method, path, body);
    const pool = await rest<{ id: number }>('POST', `${IPM}/pools`, { pool_name: 'pd-edge', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:e2e::/48', delegation_prefix_length: 56 });
    // The first two free slots, lowest first: 2001:db8:e2e::/56 and 2001:db8:e2e:100::/56.
    await rest('POST', `${IPM}/reservations`, { pool_id: pool.id, subscriber_id: 'cpe-1' });
    await rest('POST', `${IPM}/reservations`, { pool_id: pool.id, subscriber_id: 'cpe-2' });
    await rest('POST', `${IPM}/pools/${pool.id}/sync-netbox`);
    const nb = (cidr: string) => [...fake.prefixes.values()].find((p) => p.prefix === cidr)!;
    nb('2001:db8:e2e::/56').status = 'active';
    nb('2001:db8:e2e:100::/56').description = 'cpe-9';
    fake.addPrefix({ prefix: '2001:db8:e2e:a00::/56', status: 'active', description: 'stray-cpe' });

    const page = await open('eddie');
    await page.getByRole('button', { name: 'Sync all pools' }).click();
    await page.getByText('Sync finished:').waitFor();
    assert.equal((await page.getByTestId('nb-conflict-count').innerText()).match(/\d+/)?.[0], '3');
    const row = (subject: string) => page.getByTestId(`nb-conflict-${subject}`);
    assert.match(await row('2001:db8:e2e::/56').innerText(), /delegated prefix, with another status[\s\S]*status: reserved[\s\S]*status: active/);
    assert.match(await row('2001:db8:e2e:100::/56').innerText(), /delegated prefix, for another subscriber[\s\S]*subscriber_id: cpe-2[\s\S]*description: cpe-9/);
    assert.match(await row('2001:db8:e2e:a00::/56').innerText(), /delegated prefix where this pool has a free slot[\s\S]*description: stray-cpe/);
    await shot(page, 'netbox-sync-delegated-conflicts');

    await page.getByRole('button', { name: "Take NetBox's for 2001:db8:e2e::/56" }).click();
    await page.getByText('Conflict on 2001:db8:e2e::/56 resolved: theirs.').waitFor();
    // The row (and its button) is gone after the reload: focus goes to the status line that says so, not to <body>.
    assert.match(await page.evaluate(() => `${document.activeElement?.getAttribute('role') ?? document.activeElement?.tagName}: ${document.activeElement?.textContent ?? ''}`), /^status: .*resolved: theirs/);
    await page.getByRole('button', { name: 'Keep ours for 2001:db8:e2e:100::/56' }).click();
    await page.getByText('Conflict on 2001:db8:e2e:100::/56 resolved: ours.').waitFor();
    assert.equal(nb('2001:db8:e2e:100::/56').description, 'cpe-2');
    await page.getByRole('button', { name: "Take NetBox's for 2001:db8:e2e:a00::/56" }).click();
    await page.getByText('Conflict on 2001:db8:e2e:a00::/56 resolved: theirs.').waitFor();
    await page.getByText('No open conflicts.').waitFor();
    const held = await rest<{ ip_address: string; status: string; subscriber_id: string }[]>('GET', `${IPM}/reservations?pool_id=${pool.id}&live=true`);
    assert.deepEqual(held.map((r) => `${r.ip_address} ${r.status} ${r.subscriber_id}`).sort(), ['2001:db8:e2e:100::/56 RESERVED cpe-2', '2001:db8:e2e::/56 ASSIGNED cpe-1', '2001:db8:e2e:a00::/56 ASSIGNED stray-cpe']);
    await shot(page, 'netbox-sync-delegated-after');
    await page.context().close();
  });

  test('viewer: reads the page, no write buttons', async () => {
    const page = await open('vera');
    await page.getByTestId('nb-history').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sync all pools' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Import prefix as a pool' }).count(), 0);
    await shot(page, 'netbox-sync-viewer');
    await page.context().close();
  });

  test('every request the pages made stayed on loopback', () => {
    assert.deepEqual(session.offLoopback(), []);
  });
});
