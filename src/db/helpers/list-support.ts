import type { Knex } from 'knex';
import { isPostgres } from './dialect.js';

/**
 * ip_asset_counts: active/archived × project × type counters kept exact by triggers, so the
 * totals of the structural list filters (and /metrics, the dashboard) are a SUM over a few rows
 * instead of a COUNT over the whole table. project_id 0 stands for "unassigned".
 */
export async function createAssetCounters(knex: Knex): Promise<void> {
  await knex.schema.createTable('ip_asset_counts', (t) => {
    t.boolean('archived').notNullable();
    t.integer('project_id').notNullable();
    t.string('type', 8).notNullable();
    t.integer('n').notNullable();
    t.primary(['archived', 'project_id', 'type']);
  });
  if (isPostgres(knex)) {
    await knex.raw(`
      CREATE FUNCTION ip_asset_counts_bump(a boolean, p integer, ty varchar, d integer) RETURNS void AS $$
      BEGIN
        INSERT INTO ip_asset_counts (archived, project_id, type, n) VALUES (a, COALESCE(p, 0), ty, d)
        ON CONFLICT (archived, project_id, type) DO UPDATE SET n = ip_asset_counts.n + EXCLUDED.n;
      END $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE FUNCTION ip_asset_counts_trigger() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM ip_asset_counts_bump(OLD.archived, OLD.project_id, OLD.type, -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM ip_asset_counts_bump(NEW.archived, NEW.project_id, NEW.type, 1); END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER ip_asset_counts_ins AFTER INSERT OR DELETE ON ip_assets FOR EACH ROW EXECUTE FUNCTION ip_asset_counts_trigger()`);
    await knex.raw(`CREATE TRIGGER ip_asset_counts_upd AFTER UPDATE OF archived, project_id, type ON ip_assets FOR EACH ROW
      WHEN (OLD.archived IS DISTINCT FROM NEW.archived OR OLD.project_id IS DISTINCT FROM NEW.project_id OR OLD.type IS DISTINCT FROM NEW.type)
      EXECUTE FUNCTION ip_asset_counts_trigger()`);
  } else {
    const bump = (row: 'NEW' | 'OLD', d: number): string =>
      `INSERT INTO ip_asset_counts (archived, project_id, type, n) VALUES (${row}.archived, COALESCE(${row}.project_id, 0), ${row}.type, ${d})
       ON CONFLICT (archived, project_id, type) DO UPDATE SET n = n + excluded.n;`;
    await knex.raw(`CREATE TRIGGER ip_asset_counts_ins AFTER INSERT ON ip_assets BEGIN ${bump('NEW', 1)} END`);
    await knex.raw(`CREATE TRIGGER ip_asset_counts_del AFTER DELETE ON ip_assets BEGIN ${bump('OLD', -1)} END`);
    await knex.raw(`CREATE TRIGGER ip_asset_counts_upd AFTER UPDATE OF archived, project_id, type ON ip_assets
      WHEN OLD.archived IS NOT NEW.archived OR OLD.project_id IS NOT NEW.project_id OR OLD.type IS NOT NEW.type
      BEGIN ${bump('OLD', -1)} ${bump('NEW', 1)} END`);
  }
  // Existing rows (the migration may run on a populated database).
  await knex.raw(`INSERT INTO ip_asset_counts (archived, project_id, type, n)
    SELECT archived, COALESCE(project_id, 0), type, COUNT(*) FROM ip_assets GROUP BY archived, COALESCE(project_id, 0), type`);
}

/**
 * Substring search over address and notes without a table scan: an FTS5 trigram index on
 * SQLite, pg_trgm GIN indexes on PostgreSQL (skipped, with a notice, where the extension
 * cannot be created; search then scans).
 */
export async function createAssetSearchIndex(knex: Knex): Promise<void> {
  if (isPostgres(knex)) {
    await knex.raw('SAVEPOINT ipocket_trgm');
    try {
      await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await knex.raw('CREATE INDEX ip_assets_address_trgm ON ip_assets USING gin (ip_address gin_trgm_ops)');
      await knex.raw('CREATE INDEX ip_assets_notes_trgm ON ip_assets USING gin (notes gin_trgm_ops)');
      await knex.raw('RELEASE SAVEPOINT ipocket_trgm');
    } catch (err) {
      await knex.raw('ROLLBACK TO SAVEPOINT ipocket_trgm');
      console.warn(`pg_trgm is not available (${(err as Error).message}); text search will scan. A superuser can run: CREATE EXTENSION pg_trgm;`);
    }
    return;
  }
  await knex.raw(`CREATE VIRTUAL TABLE ip_assets_search USING fts5(ip_address, notes, content='ip_assets', content_rowid='id', tokenize='trigram')`);
  await knex.raw(`CREATE TRIGGER ip_assets_search_ins AFTER INSERT ON ip_assets BEGIN
    INSERT INTO ip_assets_search (rowid, ip_address, notes) VALUES (NEW.id, NEW.ip_address, NEW.notes); END`);
  await knex.raw(`CREATE TRIGGER ip_assets_search_del AFTER DELETE ON ip_assets BEGIN
    INSERT INTO ip_assets_search (ip_assets_search, rowid, ip_address, notes) VALUES ('delete', OLD.id, OLD.ip_address, OLD.notes); END`);
  await knex.raw(`CREATE TRIGGER ip_assets_search_upd AFTER UPDATE OF ip_address, notes ON ip_assets BEGIN
    INSERT INTO ip_assets_search (ip_assets_search, rowid, ip_address, notes) VALUES ('delete', OLD.id, OLD.ip_address, OLD.notes);
    INSERT INTO ip_assets_search (rowid, ip_address, notes) VALUES (NEW.id, NEW.ip_address, NEW.notes); END`);
  await knex.raw(`INSERT INTO ip_assets_search (ip_assets_search) VALUES ('rebuild')`);
}

/**
 * ip_asset_tag_counts: how many assets carry each tag, kept by triggers on ip_asset_tags, so a
 * filter on several tags can start from the rarest one.
 */
export async function createTagCounters(knex: Knex): Promise<void> {
  await knex.schema.createTable('ip_asset_tag_counts', (t) => {
    t.integer('tag_id').primary();
    t.integer('n').notNullable();
  });
  if (isPostgres(knex)) {
    await knex.raw(`
      CREATE FUNCTION ip_asset_tag_counts_trigger() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          UPDATE ip_asset_tag_counts SET n = n - 1 WHERE tag_id = OLD.tag_id;
        ELSE
          INSERT INTO ip_asset_tag_counts (tag_id, n) VALUES (NEW.tag_id, 1)
          ON CONFLICT (tag_id) DO UPDATE SET n = ip_asset_tag_counts.n + 1;
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await knex.raw('CREATE TRIGGER ip_asset_tag_counts_change AFTER INSERT OR DELETE ON ip_asset_tags FOR EACH ROW EXECUTE FUNCTION ip_asset_tag_counts_trigger()');
  } else {
    await knex.raw(`CREATE TRIGGER ip_asset_tag_counts_ins AFTER INSERT ON ip_asset_tags BEGIN
      INSERT INTO ip_asset_tag_counts (tag_id, n) VALUES (NEW.tag_id, 1) ON CONFLICT (tag_id) DO UPDATE SET n = n + 1; END`);
    await knex.raw(`CREATE TRIGGER ip_asset_tag_counts_del AFTER DELETE ON ip_asset_tags BEGIN
      UPDATE ip_asset_tag_counts SET n = n - 1 WHERE tag_id = OLD.tag_id; END`);
  }
  await knex.raw('INSERT INTO ip_asset_tag_counts (tag_id, n) SELECT tag_id, COUNT(*) FROM ip_asset_tags GROUP BY tag_id');
}
