/**
 * A 50k-row import over HTTP on SQLite while others use the same server: its write transaction
 * held the server's only connection (~8 s) and every request queued behind it. Reads must answer
 * while the import's transaction is still open, and a write either waits for the lock and
 * succeeds or answers 503 with Retry-After (nothing written) — never 500, never lost.
 * Latencies are printed, not asserted (two shared cores): the assertion is about order — the
 * read's answer arrived while the import still held the write lock and had not answered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { DIALECT } from '../helpers/db.js';
import { panelCookie, startCluster, type Cluster, type Reply } from './cluster.js';

const IMPORTED = 50_000;

const bundle = (prefix: number, count: number) => ({
  app: 'ipocket',
  schema_version: '1',
  data: { ip_assets: Array.from({ length: count }, (_, i) => ({ ip_address: `10.${prefix}.${i >> 8}.${i & 255}`, type: 'VM', notes: `beside ${i}`, tags: ['beside'] })) },
});

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('requests beside a 50k-row import (sqlite)', { skip: DIALECT !== 'sqlite' && 'SQLite only (one writer per file)' }, () => {
  let c: Cluster;
  let probe: Database.Database;
  before(async () => {
    c = await startCluster(1);
    // No busy timeout: better-sqlite3's default (5 s) would sleep on this thread, which is the server's too.
    probe = new Database(c.database.client === 'sqlite' ? c.database.filename : assert.fail('SQLite only'), { timeout: 0 });
  });
  after(async () => {
    probe.close();
    await c.cleanup();
  });

  /** True while another connection holds the write lock (the import's open transaction); takes it for a moment otherwise. */
  const writeLocked = (): boolean => {
    try {
      probe.exec('BEGIN IMMEDIATE');
      probe.exec('ROLLBACK');
      return false;
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
      throw err;
    }
  };

  test('reads answer while the import transaction is open; a write waits and succeeds or answers 503 + Retry-After; the dry-run equals the apply', async () => {
    // A panel user too: its session is touched at the end of each request.
    const origin = c.urls[0]!;
    const cookie = await panelCookie(origin);
    const PANEL = '/ui/api/resources/hosts/actions/list';
    const get = async (route: string): Promise<Reply> => {
      if (route !== PANEL) return c.call('GET', route);
      const res = await fetch(origin + route, { headers: { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' } });
      return { status: res.status, body: await res.text(), headers: res.headers };
    };

    const body = bundle(120, IMPORTED);
    const dry = await c.call('POST', '/import/bundle?dry_run=1', body);
    assert.equal(dry.status, 200, JSON.stringify(dry.body).slice(0, 500));

    // The longest time this process's event loop (the server's) did not turn, uploads and parsing included.
    let stall = 0;
    let last = Date.now();
    const ticker = setInterval(() => {
      stall = Math.max(stall, Date.now() - last);
      last = Date.now();
    }, 10);
    let importAnswered = false;
    const importing = c.call('POST', '/import/bundle', body).finally(() => (importAnswered = true));
    const started = Date.now();
    // Until the import's write transaction is open (upload and parsing come first).
    while (!writeLocked() && !importAnswered) await new Promise((r) => setTimeout(r, 20));
    assert.ok(!importAnswered, 'the import was still running when its transaction opened');
    const lockSeenAt = Date.now() - started;

    const write = c.call('POST', '/ip-assets', { ip_address: '10.121.0.1', type: 'VM', notes: 'written beside the import' });
    const during: Record<string, number[]> = { '/health': [], '/ip-assets?limit=50': [], [PANEL]: [] };
    const afterImport: Record<string, number[]> = { '/health': [], '/ip-assets?limit=50': [], [PANEL]: [] };
    let answeredInside = 0;
    const reads: Reply[] = [];
    while (!importAnswered) {
      for (const route of Object.keys(during)) {
        const sent = Date.now();
        const reply = await get(route);
        reads.push(reply);
        const ms = Date.now() - sent;
        // Inside: the import had not answered and still held the write lock when this answer came.
        if (!importAnswered && writeLocked()) {
          during[route]!.push(ms);
          answeredInside++;
        } else afterImport[route]!.push(ms);
      }
    }
    const imported = await importing;
    const importMs = Date.now() - started;
    const wrote = await write;
    clearInterval(ticker);

    for (const [route, times] of Object.entries(during)) {
      const sorted = [...times].sort((a, b) => a - b);
      console.log(`# during the import (${importMs} ms, lock seen after ${lockSeenAt} ms): ${route} ×${sorted.length} p50 ${percentile(sorted, 50)} ms max ${sorted.at(-1) ?? NaN} ms; answered after it: ${afterImport[route]!.join(', ') || 'none'} ms`);
    }
    console.log(`# longest event-loop stall: ${stall} ms; the write beside it: ${wrote.status}${wrote.headers.get('retry-after') ? ` Retry-After ${wrote.headers.get('retry-after')}` : ''}`);

    assert.equal(imported.status, 200, JSON.stringify(imported.body).slice(0, 500));
    assert.ok(reads.every((r) => r.status === 200), JSON.stringify(reads.filter((r) => r.status !== 200).slice(0, 3)));
    for (const route of Object.keys(during)) assert.ok(during[route]!.length >= 1, `${route} answered inside the import's transaction (${answeredInside} reads did)`);

    // The write: done after the lock was free, or refused whole with a time to come back.
    assert.ok(wrote.status === 200 || wrote.status === 503, `${wrote.status} ${JSON.stringify(wrote.body)}`);
    const stored = await c.call('GET', '/ip-assets/10.121.0.1');
    if (wrote.status === 503) {
      assert.ok(Number(wrote.headers.get('retry-after')) >= 1, 'Retry-After');
      assert.equal(stored.status, 404, 'a refused write wrote nothing');
      assert.equal((await c.call('POST', '/ip-assets', { ip_address: '10.121.0.1', type: 'VM', notes: 'written beside the import' })).status, 200);
    } else assert.equal(stored.status, 200, 'an acknowledged write is stored');
    assert.equal(Number(((await c.db('audit_log').where({ target_type: 'IP_ASSET', target_label: '10.121.0.1' }).count({ n: '*' })) as { n: number }[])[0]!.n), 1);

    // All of the import or nothing, and what the dry-run announced.
    const count = Number(((await c.db('ip_assets').whereLike('ip_address', '10.120.%').count({ n: '*' })) as { n: number }[])[0]!.n);
    assert.equal(count, IMPORTED);
    const summary = (r: Reply) => (r.body as { summary: unknown }).summary;
    assert.deepEqual(summary(imported), summary(dry));
  });
});
