import type { Knex } from 'knex';

/**
 * Range names become unique (they label /metrics series and name ranges to people). Existing
 * duplicates are renamed deterministically first: the oldest row (lowest id) keeps the name, the
 * next ones get " (2)", " (3)", … skipping any name already taken, within the 128-character limit.
 */
export async function up(knex: Knex): Promise<void> {
  const rows = (await knex('ranges').select('id', 'name').orderBy('id')) as { id: number; name: string }[];
  const taken = new Set(rows.map((r) => r.name));
  const kept = new Set<string>();
  for (const r of rows) {
    if (!kept.has(r.name)) {
      kept.add(r.name);
      continue;
    }
    let n = 2;
    let name: string;
    do {
      const suffix = ` (${n++})`;
      name = r.name.slice(0, 128 - suffix.length) + suffix;
    } while (taken.has(name));
    taken.add(name);
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
