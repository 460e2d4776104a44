import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../src/domain/errors.js';
import type { HostListQuery } from '../../src/services/schemas/hosts.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

describe(`host list order (${DIALECT})`, () => {
  let t: TestDb;
  let s: ReturnType<typeof servicesFor>;
  before(async () => {
    t = await createTestDb();
    s = servicesFor(t.db);
    const dell = await s.vendors.create({ name: 'Dell' });
    const hpe = await s.vendors.create({ name: 'HPE' });
    await s.hosts.create({ name: 'bravo', vendor_id: hpe.id });
    await s.hosts.create({ name: 'alpha', vendor_id: dell.id });
    await s.hosts.create({ name: 'charlie' });
    await s.hosts.create({ name: 'delta', vendor_id: dell.id });
  });
  after(() => t.cleanup());

  const names = async (sort?: HostListQuery['sort']): Promise<string[]> => (await s.hosts.list(sort ? { sort } : {})).items.map((h) => h.name);

  it('sorts by name either way, name ascending by default', async () => {
    assert.deepEqual(await names(), ['alpha', 'bravo', 'charlie', 'delta']);
    assert.deepEqual(await names('-name'), ['delta', 'charlie', 'bravo', 'alpha']);
  });

  it('sorts by vendor with hosts without one last, then by name', async () => {
    assert.deepEqual(await names('vendor'), ['alpha', 'delta', 'bravo', 'charlie']);
    assert.deepEqual(await names('-vendor'), ['bravo', 'alpha', 'delta', 'charlie']);
  });

  it('refuses an unknown sort key, naming the field', async () => {
    await assert.rejects(s.hosts.list({ sort: 'password' } as never), (e: unknown) => e instanceof ValidationError && e.issues.some((i) => i.loc.includes('sort')));
  });
});
