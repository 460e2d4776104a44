import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * device_counts: live/archived × kind × platform counters of `hosts` (the device table), kept
 * exact by triggers, so the device list's plain total and its kind/platform chips are a SUM over
 * a few dozen rows instead of a count(*) over every device (~20 ms per page on PostgreSQL at
 * 100k devices, growing with the table). A device without platform counts under ''.
 *
 * Every writer of hosts (DevicesService, /hosts, imports, connectors, migrate-from-ipocket) goes
 * through these triggers; none applies device deltas itself, so unlike ip_asset_counts there is
 * no bulk-writer switch here. On PostgreSQL the triggers are deferred to COMMIT (see migration
 * 150): every create of the same kind bumps the same row, and an immediate upsert would hold that
 * row's lock for the rest of the writer's transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('device_counts', (t) => {
    t.boolean('archived').notNullable();
    t.string('kind', 20).notNullable();
    t.string('platform', 32).notNullable();
    t.integer('n').notNullable();
    t.primary(['archived', 'kind', 'platform']);
  });
  if (isPostgres(knex)) {
    await knex.raw(`
      CREATE FUNCTION device_counts_bump(a boolean, k varchar, p varchar, d integer) RETURNS void AS $$
      BEGIN
        INSERT INTO device_counts (archived, kind, platform, n) VALUES (a, k, COALESCE(p, ''), d)
        ON CONFLICT (archived, kind, platform) DO UPDATE SET n = device_counts.n + EXCLUDED.n;
      END $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE FUNCTION device_counts_trigger() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM device_counts_bump(OLD.archived_at IS NOT NULL, OLD.kind, OLD.platform, -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM device_counts_bump(NEW.archived_at IS NOT NULL, NEW.kind, NEW.platform, 1); END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    const deferred = 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW';
    await knex.raw(`CREATE CONSTRAINT TRIGGER device_counts_ins AFTER INSERT OR DELETE ON hosts ${deferred} EXECUTE FUNCTION device_counts_trigger()`);
    await knex.raw(`CREATE CONSTRAINT TRIGGER device_counts_upd AFTER UPDATE OF archived_at, kind, platform ON hosts ${deferred}
      WHEN ((OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.platform IS DISTINCT FROM NEW.platform)
      EXECUTE FUNCTION device_counts_trigger()`);
  } else {
    const bump = (row: 'NEW' | 'OLD', d: number): string =>
      `INSERT INTO device_counts (archived, kind, platform, n) VALUES (${row}.archived_at IS NOT NULL, ${row}.kind, COALESCE(${row}.platform, ''), ${d})
       ON CONFLICT (archived, kind, platform) DO UPDATE SET n = n + excluded.n;`;
    await knex.raw(`CREATE TRIGGER device_counts_ins AFTER INSERT ON hosts BEGIN ${bump('NEW', 1)} END`);
    await knex.raw(`CREATE TRIGGER device_counts_del AFTER DELETE ON hosts BEGIN ${bump('OLD', -1)} END`);
    await knex.raw(`CREATE TRIGGER device_counts_upd AFTER UPDATE OF archived_at, kind, platform ON hosts
      WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.kind IS NOT NEW.kind OR OLD.platform IS NOT NEW.platform
      BEGIN ${bump('OLD', -1)} ${bump('NEW', 1)} END`);
  }
  // Existing devices (the migration runs on populated databases too).
  await knex.raw(`INSERT INTO device_counts (archived, kind, platform, n)
    SELECT archived_at IS NOT NULL, kind, COALESCE(platform, ''), COUNT(*) FROM hosts GROUP BY archived_at IS NOT NULL, kind, COALESCE(platform, '')`);
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
