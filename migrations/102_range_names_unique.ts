import type { Knex } from 'knex';
import { uniqueName } from '../src/domain/unique-name.js';

/**
 * Range names become unique (they label /metrics series and name ranges to people). Existing
 * duplicates are renamed deterministically first: the oldest row (lowest id) keeps the name, the
 * next ones get " (2)", " (3)", … skipping any name already taken, within the 128-character limit.
 */
export async function up(knex: Knex): Promise<void> {
  const rows = (await knex('ranges').select('id', 'name').orderBy('id')) as { id: number; name: string }[];
  // Every current name is taken up front, so a suffix never lands on a name a later row holds.
  const taken = new Set(rows.map((r) => r.name));
  const kept = new Set<string>();
  for (const r of rows) {
    if (!kept.has(r.name)) {
      kept.add(r.name);
      continue;
    }
    const name = uniqueName(r.name, taken);
    kept.add(name);
    await knex('ranges').where({ id: r.id }).update({ name });
  }
  await knex.schema.alterTable('ranges', (t) => {
    t.unique(['name'], { indexName: 'ranges_name_unique' });
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
