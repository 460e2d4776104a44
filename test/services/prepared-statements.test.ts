import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PREPARED_STATEMENTS, statementName } from '../../src/db/pg-client.js';
import { DIALECT, fileTestDb } from '../helpers/db.js';

const t = fileTestDb();

test('a statement text is named from its second run on; one command only', () => {
  const sql = `select id from projects where name = $1 /* ${Math.random()} */`;
  assert.equal(statementName({ sql }), undefined, 'a text seen once runs unnamed');
  const name = statementName({ sql });
  assert.match(name ?? '', /^ipocket_[0-9a-f]{20}$/);
  assert.equal(statementName({ sql }), name, 'the same text keeps its name');
  for (const other of ['select 1; select 2', 'CREATE INDEX x ON y (z)', 'BEGIN']) {
    statementName({ sql: other });
    assert.equal(statementName({ sql: other }), undefined, `${other} is never prepared`);
  }
  assert.equal(statementName({ sql, options: { name: 'own' } }), undefined, 'a name the caller chose stays');
  assert.ok(MAX_PREPARED_STATEMENTS >= 100 && MAX_PREPARED_STATEMENTS <= 1000, 'the set per connection is bounded');
});

test('on PostgreSQL a repeated query runs as a prepared statement and still answers right', async () => {
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  await t.db('projects').insert([{ name: 'alpha', created_at: now, updated_at: now }, { name: 'beta', created_at: now, updated_at: now }]);
  const names: string[][] = [];
  const prepared = await t.db.transaction(async (trx) => {
    // One transaction: one connection, whose prepared statements pg_prepared_statements lists.
    for (const name of ['alpha', 'beta', 'alpha']) names.push((await trx('projects').where({ name }).select('name')).map((r: { name: string }) => r.name));
    if (DIALECT !== 'pg') return [];
    return (await trx.raw(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'ipocket_%'`)).rows as { statement: string }[];
  });
  assert.deepEqual(names, [['alpha'], ['beta'], ['alpha']], 'each run answers for its own parameters');
  if (DIALECT === 'pg') assert.ok(prepared.some((p) => /from "projects" where "name" = \$1/.test(p.statement)), `the query is prepared on its connection: ${JSON.stringify(prepared)}`);
});
