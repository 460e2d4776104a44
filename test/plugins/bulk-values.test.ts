/**
 * The bulk writer sends each column as one array parameter on PostgreSQL (unnest) and as bound
 * VALUES on SQLite: text that means something inside an array literal (quotes, backslashes,
 * braces, commas, the word NULL) and NULLs must arrive exactly as imported, on creates and on
 * updates.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { getPlugin } from '../../src/plugins/registry.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';

let t: TestDb;
let db: Knex;
before(async () => {
  t = await createTestDb();
  db = t.db;
});
after(async () => t.cleanup());

const TEXTS = ['NULL', '{a,b}', '{}', '""', 'say "hi"', 'back\\slash \\" end\\', 'comma, and ; semi', "it's", 'ünïcode ✓ 𝄞', 'tab\there\nnew line', '{"json": [1, 2]}'];

async function importBundle(notes: (i: number) => string | null): Promise<void> {
  const ip_assets = TEXTS.map((_, i) => ({ ip_address: `10.77.0.${i + 1}`, type: 'VM', notes: notes(i), host_name: `h-${TEXTS[i]}`, tags: i % 2 ? ['null'] : [] }));
  const hosts = TEXTS.map((x) => ({ name: `h-${x}`, notes: x }));
  const data = Buffer.from(JSON.stringify({ app: 'ipocket', schema_version: '1', data: { hosts, ip_assets } }));
  const out = await runPlugin(db, EDITOR, { plugin: getPlugin('bundle'), input: { files: [{ name: 'b.json', data }] }, dryRun: false });
  assert.equal(out.status, 'succeeded', out.error?.message ?? JSON.stringify(out.plan?.errors.slice(0, 3)));
}

async function stored(): Promise<{ notes: (string | null)[]; hosts: string[]; tags: string[][] }> {
  const s = servicesFor(db);
  const assets = (await s.assets.list({ limit: 100, q: '10.77.0.0/24' })).items.sort((a, b) => a.id - b.id);
  const hostNames = new Map((await db('hosts').select('id', 'name')).map((h: { id: number; name: string }) => [Number(h.id), h.name]));
  return { notes: assets.map((a) => a.notes), hosts: assets.map((a) => hostNames.get(a.host_id!)!), tags: assets.map((a) => a.tags) };
}

test(`an import stores text with array-literal syntax and NULLs exactly (${DIALECT})`, async () => {
  await importBundle((i) => TEXTS[i]!);
  const first = await stored();
  assert.deepEqual(first.notes, TEXTS);
  assert.deepEqual(first.hosts, TEXTS.map((x) => `h-${x}`));
  assert.deepEqual(first.tags, TEXTS.map((_, i) => (i % 2 ? ['null'] : [])));
  const hostNotes = new Map(((await db('hosts').select('name', 'notes')) as { name: string; notes: string | null }[]).map((h) => [h.name, h.notes]));
  assert.deepEqual(TEXTS.map((x) => hostNotes.get(`h-${x}`)), TEXTS);

  // The same addresses again, notes shifted by one and every other one cleared: updates.
  await importBundle((i) => (i % 2 ? null : TEXTS[(i + 1) % TEXTS.length]!));
  assert.deepEqual((await stored()).notes, TEXTS.map((_, i) => (i % 2 ? null : TEXTS[(i + 1) % TEXTS.length]!)));
});
