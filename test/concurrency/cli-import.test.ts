/**
 * The CLI importing a bundle (its own process, its own connection) while the server takes writes
 * on the same database. On SQLite the server answered SQLITE_BUSY 500s at once (the import holds
 * the file's write lock; deferred transactions could not wait for it).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { DIALECT } from '../helpers/db.js';
import { serverErrors, startCluster, tally, type Cluster, type Reply } from './cluster.js';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/index.ts');
/** Big enough that the import's write transaction is met by many of the server's writes; smaller on PostgreSQL, whose imports are slower. */
const IMPORTED = DIALECT === 'pg' ? 5_000 : 10_000;
/** Bounds of the write loop beside the import (it stops earlier, when the import ends). */
const MAX_ROUNDS = 60;

describe(`concurrency, CLI import beside the server (${DIALECT})`, () => {
  let c: Cluster;
  before(async () => {
    c = await startCluster(1);
  });
  after(() => c.cleanup());

  test(`writes during a ${IMPORTED}-row CLI import: no 5xx, none lost, the import applied whole`, async () => {
    const assets = Array.from({ length: IMPORTED }, (_, i) => ({ ip_address: `10.70.${i >> 8}.${i & 255}`, type: 'OS', notes: `imported ${i}`, tags: ['cli-import'] }));
    const file = path.join(c.dataDir, 'bundle.json');
    writeFileSync(file, JSON.stringify({ app: 'ipocket', schema_version: '1', data: { ip_assets: assets } }));
    const bulk = await Promise.all(Array.from({ length: 5 }, (_, i) => c.call('POST', '/ip-assets', { ip_address: `10.71.0.${i + 1}`, type: 'VM' })));
    const bulkIds = bulk.map((r) => (r.body as { id: number }).id);

    const url = c.database.client === 'pg' ? c.database.connectionString : `sqlite:${c.database.filename}`;
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'import', 'bundle', file], {
      env: { ...process.env, DATABASE_URL: url, IPOCKET_DATA_DIR: c.dataDir, IPOCKET_SCHEDULER: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null]>;
    let running = true;
    void exited.then(() => (running = false));

    // Rounds of creates and bulk edits until the import ends: some of them meet its write lock.
    const replies: Reply[] = [];
    let created = 0;
    let rounds = 0;
    while (running && rounds < MAX_ROUNDS) {
      const round = rounds++;
      const batch = await Promise.all([
        ...Array.from({ length: 8 }, (_, i) => c.call('POST', '/ip-assets', { ip_address: `10.72.${round}.${i + 1}`, type: 'VM' })),
        c.call('POST', '/ip-assets/bulk', { asset_ids: bulkIds, notes_mode: 'append', notes: `round-${round}` }),
      ]);
      created += 8;
      replies.push(...batch);
    }
    const [code] = await exited;
    assert.equal(code, 0, output);
    assert.equal(tally(replies)[200], replies.length, `${JSON.stringify(tally(replies))} ${serverErrors(replies)}`);

    // The import applied whole; every acknowledged write is there, each with its audit entry.
    const count = async (prefix: string): Promise<number> => Number(((await c.db('ip_assets').whereLike('ip_address', `${prefix}%`).count({ n: '*' })) as { n: number | string }[])[0]!.n);
    assert.equal(await count('10.70.'), IMPORTED);
    assert.equal(await count('10.72.'), created);
    const notes = ((await c.call('GET', '/ip-assets/10.71.0.1')).body as { notes: string }).notes.split('\n');
    assert.deepEqual(notes, Array.from({ length: rounds }, (_, i) => `round-${i}`));
    const audits = Number(((await c.db('audit_log').where({ target_type: 'IP_ASSET', action: 'UPDATE' }).whereIn('target_id', bulkIds).count({ n: '*' })) as { n: number | string }[])[0]!.n);
    assert.equal(audits, rounds * bulkIds.length);
    assert.equal(Number(((await c.db('audit_log').where({ target_type: 'IMPORT_RUN' }).count({ n: '*' })) as { n: number | string }[])[0]!.n), 1);
  });
});
