import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import * as m102 from '../../migrations/102_range_names_unique.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

interface RangeJson {
  id: number;
  name: string;
  cidr: string;
  parent_id: number | null;
  depth: number;
  children: number[];
  warnings?: string[];
  utilization: { used: number; usable: number };
}

/** Range names are unique; nesting is shown (parent_id, depth, children) and saving a nested range warns. */
describe(`ranges: unique names, nesting, warnings (${DIALECT})`, () => {
  let t: TestApp;
  let ed: { Authorization: string };
  before(async () => {
    t = await buildTestApp();
    ed = t.as.editor;
  });
  after(() => t.cleanup());

  const post = (body: Record<string, unknown>) => request(t.app).post('/ranges').set(ed).send(body);

  test('a duplicate name answers 409 naming the field and the other range; so does a rename onto it', async () => {
    assert.equal((await post({ name: 'Office', cidr: '10.0.0.0/24' })).status, 200);
    let res = await post({ name: 'Office', cidr: '10.9.0.0/24' });
    assert.equal(res.status, 409);
    assert.match(JSON.stringify(res.body), /A range named \\"Office\\" already exists \(10\.0\.0\.0\/24\)/);
    const other = (await post({ name: 'Lab', cidr: '10.9.0.0/24' })).body as RangeJson;
    res = await request(t.app).patch(`/ranges/${other.id}`).set(ed).send({ name: 'Office' });
    assert.equal(res.status, 409);
    assert.equal((await request(t.app).get('/ranges')).body.length, 2);
  });

  test('nesting: parent_id, depth and children in the list and on one range; saving nested ranges warns', async () => {
    const office = ((await request(t.app).get('/ranges')).body as RangeJson[]).find((r) => r.name === 'Office')!;
    let res = await post({ name: 'Office servers', cidr: '10.0.0.128/25' });
    assert.equal(res.status, 200);
    const child = res.body as RangeJson;
    assert.equal(child.parent_id, office.id);
    assert.equal(child.depth, 1);
    assert.deepEqual(child.warnings, ['10.0.0.128/25 lies inside Office (10.0.0.0/24): it is shown nested there, and its addresses count in both ranges.']);
    res = await post({ name: 'Office racks', cidr: '10.0.0.192/26' });
    assert.equal((res.body as RangeJson).parent_id, child.id);
    assert.equal((res.body as RangeJson).depth, 2);
    res = await post({ name: 'Campus', cidr: '10.0.0.0/12' });
    assert.deepEqual((res.body as RangeJson).warnings, ['10.0.0.0/12 contains 4 other range(s): Office (10.0.0.0/24), Office servers (10.0.0.128/25), Office racks (10.0.0.192/26), Lab (10.9.0.0/24).']);
    const list = (await request(t.app).get('/ranges')).body as RangeJson[];
    assert.deepEqual(list.map((r) => [r.name, r.depth]), [['Campus', 0], ['Office', 1], ['Office servers', 2], ['Office racks', 3], ['Lab', 1]]);
    const campus = list.find((r) => r.name === 'Campus')!;
    assert.deepEqual(campus.children.sort(), [office.id, list.find((r) => r.name === 'Lab')!.id].sort());
    const one = (await request(t.app).get(`/ranges/${child.id}`)).body as RangeJson;
    assert.equal(one.parent_id, office.id);
    assert.equal(one.depth, 2);
    // A range apart from every other warns about nothing.
    res = await post({ name: 'DMZ', cidr: '192.168.50.0/24' });
    assert.deepEqual((res.body as RangeJson).warnings, []);
  });

  test('a parent counts each address once, whatever is nested inside it', async () => {
    for (const ip of ['10.0.0.10', '10.0.0.130', '10.0.0.200']) await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, type: 'VM' });
    const list = (await request(t.app).get('/ranges')).body as RangeJson[];
    const used = Object.fromEntries(list.map((r) => [r.name, r.utilization.used]));
    assert.equal(used['Office racks'], 1);
    assert.equal(used['Office servers'], 2);
    assert.equal(used.Office, 3);
    assert.equal(used.Campus, 3);
  });

  test('an import that would reuse a range name is refused with the row named, and writes nothing', async () => {
    const before = ((await request(t.app).get('/ranges')).body as RangeJson[]).length;
    const res = await request(t.app).post('/import/csv').set(ed).attach('ranges', Buffer.from('name,cidr,notes\nOffice,10.77.0.0/24,\nNew,10.78.0.0/24,\nNew,10.79.0.0/24,\n'), 'ranges.csv');
    assert.equal(res.body.applied, false, res.text);
    assert.equal(res.body.status, 'rejected');
    assert.deepEqual(
      (res.body.errors as { location: string; message: string }[]).map((e) => `${e.location}: ${e.message}`),
      ['ranges.csv:line 2 (name): range name "Office" is already used by 10.0.0.0/24', 'ranges.csv:line 4 (name): range name "New" is already used by 10.78.0.0/24'],
    );
    assert.equal(((await request(t.app).get('/ranges')).body as RangeJson[]).length, before);
  });

  test('the migration renames existing duplicates deterministically, then makes names unique', async () => {
    await t.db.schema.alterTable('ranges', (tb) => tb.dropUnique(['name'], 'ranges_name_unique'));
    const now = '2026-01-01 00:00:00';
    const row = (name: string, third: number) => ({ name, cidr: `172.16.${third}.0/24`, ip_version: 4, prefix: 24, first_key: `00000000000000000000ffffac10${third.toString(16).padStart(2, '0')}00`, last_key: `00000000000000000000ffffac10${third.toString(16).padStart(2, '0')}ff`, usable_first_key: '0', usable_last_key: '0', notes: null, created_at: now, updated_at: now });
    await t.db('ranges').insert([row('Dup', 1), row('Dup', 2), row('Dup (2)', 3), row('Dup', 4)]);
    await m102.up(t.db);
    const names = ((await t.db('ranges').select('name', 'cidr').where('cidr', 'like', '172.16.%').orderBy('id')) as { name: string; cidr: string }[]).map((r) => `${r.name}=${r.cidr}`);
    assert.deepEqual(names, ['Dup=172.16.1.0/24', 'Dup (3)=172.16.2.0/24', 'Dup (2)=172.16.3.0/24', 'Dup (4)=172.16.4.0/24']);
    await assert.rejects(t.db('ranges').insert(row('Dup', 5)));
  });
});
