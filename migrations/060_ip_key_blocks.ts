import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * ip_key_blocks: active assets per aligned block of the 128-bit key space, kept exact by
 * triggers, at two levels: level 1 = 256 addresses (key prefix of 30 hex digits), level 2 =
 * 65,536 addresses (28 hex digits). Counting the used addresses between two keys then sums a
 * few block rows plus at most 2 × 256 index entries at the edges, so range drill-down pages
 * (k-th used / k-th free address) cost the same for a /8 with a million used as for a /24.
 */
export async function up(knex: Knex): Promise<void> {
  const pg = isPostgres(knex);
  await knex.schema.createTable('ip_key_blocks', (t) => {
    t.smallint('level').notNullable();
    if (pg) t.specificType('block', 'varchar(30) COLLATE "C"').notNullable();
    else t.string('block', 30).notNullable();
    t.integer('n').notNullable();
    t.primary(['level', 'block']);
  });
  if (pg) {
    await knex.raw(`
      CREATE FUNCTION ip_key_blocks_bump(k varchar, d integer) RETURNS void AS $$
      BEGIN
        INSERT INTO ip_key_blocks (level, block, n) VALUES (1, substr(k, 1, 30), d), (2, substr(k, 1, 28), d)
        ON CONFLICT (level, block) DO UPDATE SET n = ip_key_blocks.n + EXCLUDED.n;
      END $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE FUNCTION ip_key_blocks_trigger() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.archived THEN PERFORM ip_key_blocks_bump(OLD.ip_key, -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NOT NEW.archived THEN PERFORM ip_key_blocks_bump(NEW.ip_key, 1); END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await knex.raw('CREATE TRIGGER ip_key_blocks_ins AFTER INSERT OR DELETE ON ip_assets FOR EACH ROW EXECUTE FUNCTION ip_key_blocks_trigger()');
    await knex.raw(`CREATE TRIGGER ip_key_blocks_upd AFTER UPDATE OF archived, ip_key ON ip_assets FOR EACH ROW
      WHEN (OLD.archived IS DISTINCT FROM NEW.archived OR OLD.ip_key IS DISTINCT FROM NEW.ip_key)
      EXECUTE FUNCTION ip_key_blocks_trigger()`);
  } else {
    const bump = (row: 'NEW' | 'OLD', d: number): string =>
      `INSERT INTO ip_key_blocks (level, block, n) SELECT 1, substr(${row}.ip_key, 1, 30), ${d} WHERE NOT ${row}.archived
         ON CONFLICT (level, block) DO UPDATE SET n = n + excluded.n;
       INSERT INTO ip_key_blocks (level, block, n) SELECT 2, substr(${row}.ip_key, 1, 28), ${d} WHERE NOT ${row}.archived
         ON CONFLICT (level, block) DO UPDATE SET n = n + excluded.n;`;
    await knex.raw(`CREATE TRIGGER ip_key_blocks_ins AFTER INSERT ON ip_assets BEGIN ${bump('NEW', 1)} END`);
    await knex.raw(`CREATE TRIGGER ip_key_blocks_del AFTER DELETE ON ip_assets BEGIN ${bump('OLD', -1)} END`);
    await knex.raw(`CREATE TRIGGER ip_key_blocks_upd AFTER UPDATE OF archived, ip_key ON ip_assets
      WHEN OLD.archived IS NOT NEW.archived OR OLD.ip_key IS NOT NEW.ip_key
      BEGIN ${bump('OLD', -1)} ${bump('NEW', 1)} END`);
  }
  // Existing rows (the migration may run on a populated database).
  for (const [level, digits] of [[1, 30], [2, 28]] as const) {
    await knex.raw(`INSERT INTO ip_key_blocks (level, block, n) SELECT ${level}, substr(ip_key, 1, ${digits}), COUNT(*) FROM ip_assets WHERE archived = ? GROUP BY substr(ip_key, 1, ${digits})`, [false]);
  }
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
