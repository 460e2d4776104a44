import type { Knex } from 'knex';
import { disagreements } from '../src/domain/devices/disagreements.js';

/**
 * device_disagreements: the compared fields (src/domain/devices/disagreements.ts) on which the
 * sources reporting a device disagree, one row per device and field with each source's value,
 * computed when facts are written (reconcile, push, facts API) so the report's "sources
 * disagree" kind pages and counts a small indexed table instead of comparing JSON per request.
 *
 * Also the covering index the report's range edges count in: archived, address order and last
 * seen, so counting a partial key block reads the index and never the table.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('device_disagreements', (t) => {
    t.integer('device_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.string('field', 64).notNullable();
    t.text('sources_values').notNullable();
    t.string('detected_at', 19).notNullable();
    t.primary(['device_id', 'field']);
    t.index(['field', 'device_id'], 'device_disagreements_field');
  });
  await knex.schema.alterTable('ip_assets', (t) => {
    t.index(['archived', 'ip_version', 'ip_key', 'last_seen_at'], 'ip_assets_archived_order_seen');
  });
  // Devices that more than one source reports already (the migration runs on populated databases too).
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  let after = 0;
  for (;;) {
    const ids = (await knex('device_facts').distinct('device_id').where('device_id', '>', after).orderBy('device_id').limit(2000)).map((r: { device_id: number }) => Number(r.device_id));
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    const facts = (await knex('device_facts').select('device_id', 'source', 'fields').whereIn('device_id', ids)) as { device_id: number; source: string; fields: string }[];
    const byDevice = new Map<number, { source: string; fields: Record<string, string | number | null> }[]>();
    for (const f of facts) byDevice.set(Number(f.device_id), [...(byDevice.get(Number(f.device_id)) ?? []), { source: f.source, fields: JSON.parse(f.fields) as Record<string, string | number | null> }]);
    const rows = [...byDevice].flatMap(([id, list]) => (list.length < 2 ? [] : disagreements(list).map((d) => ({ device_id: id, field: d.field, sources_values: JSON.stringify(d.values), detected_at: now }))));
    for (let i = 0; i < rows.length; i += 200) await knex('device_disagreements').insert(rows.slice(i, i + 200));
  }
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
