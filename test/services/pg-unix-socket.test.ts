/**
 * A PostgreSQL on the same machine is best reached over its Unix socket: the load bench measured
 * 1.24 → 1.06-1.10 ms of server CPU per request against TCP on loopback (every statement's write
 * no longer goes through the TCP stack). The README says how to write such a URL; this proves the
 * app takes it: DATABASE_URL with the socket directory as the (percent-encoded) host.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { createTestDb, DIALECT } from '../helpers/db.js';

test('DATABASE_URL may name a Unix socket directory as the host', () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://ipocket:secret@%2Fvar%2Frun%2Fpostgresql:5432/ipocket' });
  assert.deepEqual(config.database, { client: 'pg', connectionString: 'postgres://ipocket:secret@%2Fvar%2Frun%2Fpostgresql:5432/ipocket' });
});

test(`the app's database connection over the server's Unix socket (${DIALECT})`, async () => {
  const t = await createTestDb();
  try {
    if (t.database.client !== 'pg') {
      // SQLite is a file in the process: there is no socket to choose. The connection answers as it is.
      assert.equal(((await t.db.raw('SELECT 1 AS one')) as { one: number }[])[0]!.one, 1);
      return;
    }
    const dirs = ((await t.db.raw('SHOW unix_socket_directories')) as { rows: { unix_socket_directories: string }[] }).rows[0]!.unix_socket_directories;
    const dir = dirs.split(',')[0]!.trim();
    assert.ok(dir.startsWith('/'), `the test cluster listens on a socket directory: ${dirs}`);
    const url = new URL(t.database.connectionString);
    const socketUrl = `postgres://${url.username}:${url.password}@${encodeURIComponent(dir)}:${url.port || 5432}${url.pathname}`;
    const db = openDatabase(loadConfig({ DATABASE_URL: socketUrl }).database);
    try {
      // No client address: the connection is the socket's, not TCP's.
      const row = ((await db.raw('SELECT inet_client_addr() AS addr, count(*) AS users FROM users')) as { rows: { addr: string | null; users: number }[] }).rows[0]!;
      assert.equal(row.addr, null);
      assert.equal(typeof row.users, 'number');
    } finally {
      await db.destroy();
    }
  } finally {
    await t.cleanup();
  }
});
