/**
 * A write that cannot get the database's write lock within the wait answers 503 with
 * Retry-After (nothing written), never 500; reads keep answering meanwhile, and the write
 * succeeds once the lock is free. SQLite only: PostgreSQL row locks are waited for without limit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from '../../src/db/sqlite-client.js';
import { DIALECT } from '../helpers/db.js';
import { panelCookie, startCluster, type Cluster } from './cluster.js';

describe('a lock held past the wait (sqlite)', { skip: DIALECT !== 'sqlite' && 'SQLite only' }, () => {
  let c: Cluster;
  before(async () => {
    c = await startCluster(1);
  });
  after(() => c.cleanup());
  const file = (): string => (c.database.client === 'sqlite' ? c.database.filename : assert.fail('SQLite only'));

  test('another connection holds the write lock: the write answers 503 + Retry-After, a read 200; then the write succeeds', async () => {
    // Another process's connection, as a CLI import would hold it (asynchronous waits make one process enough).
    const holder = new Database(file());
    holder.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const [write, read] = await Promise.all([
        c.call('POST', '/ip-assets', { ip_address: '10.80.0.1', type: 'VM', tags: ['locked'] }),
        c.call('GET', '/ip-assets?limit=5'),
      ]);
      assert.equal(write.status, 503, JSON.stringify(write.body));
      assert.ok(Number(write.headers.get('retry-after')) >= 1, 'Retry-After');
      assert.match((write.body as { detail: string }).detail, /busy.*nothing was changed/i);
      assert.ok(Date.now() - started >= SQLITE_BUSY_TIMEOUT_MS - 100, 'it waited for the lock first');
      assert.equal(read.status, 200);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    assert.equal((await c.call('GET', '/ip-assets/10.80.0.1')).status, 404, 'nothing was written');
    const retried = await c.call('POST', '/ip-assets', { ip_address: '10.80.0.1', type: 'VM', tags: ['locked'] });
    assert.equal(retried.status, 200);
    assert.equal(Number(((await c.db('audit_log').where({ target_label: '10.80.0.1' }).count({ n: '*' })) as { n: number }[])[0]!.n), 1);
  });

  test('the panel: a create while the lock is held answers 503 + Retry-After with a notice, never 500', async () => {
    const origin = c.urls[0]!;
    const cookie = await panelCookie(origin);
    const form = new FormData();
    form.set('ip_address', '10.80.0.9');
    form.set('type', 'VM');
    const holder = new Database(file());
    holder.exec('BEGIN IMMEDIATE');
    let res: Response;
    try {
      res = await fetch(`${origin}/ui/api/resources/ip_assets/actions/new`, { method: 'POST', headers: { Cookie: cookie, Origin: origin, 'Sec-Fetch-Site': 'same-origin' }, body: form });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    assert.equal(res.status, 503, await res.clone().text());
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    assert.match(((await res.json()) as { notice: { message: string } }).notice.message, /busy/);
    assert.equal((await c.call('GET', '/ip-assets/10.80.0.9')).status, 404);
  });

  test('a lock released within the wait: the write waits for it and succeeds', async () => {
    const holder = new Database(file());
    holder.exec('BEGIN IMMEDIATE');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        holder.exec('COMMIT');
        holder.close();
        resolve();
      }, 500),
    );
    const write = await c.call('POST', '/ip-assets', { ip_address: '10.80.0.2', type: 'VM' });
    await released;
    assert.equal(write.status, 200, JSON.stringify(write.body));
  });
});
