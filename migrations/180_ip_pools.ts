import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';
import { addressKeyColumn } from '../src/db/helpers/columns.js';

/**
 * Static IP pools and reservations (issue 19).
 *
 * ip_pools: a pool IS a range (its primary key is the range's id, so ranges, pools, utilization
 * and the drill-down stay one idea) plus allocation settings. Deleting the range deletes the pool.
 *
 * ip_reservations: an address (or an IPv6 delegated prefix: ip_key..ip_last_key is its span) held
 * through reserved → assigned → released, or reserved → expired. Rows are never deleted by the
 * lifecycle, so history is kept. At most one LIVE (RESERVED or ASSIGNED) row per start key, by a
 * partial unique index the database enforces on both dialects.
 *
 * ip_reservation_blocks: live single-address reservations per aligned key block, at the same two
 * levels as ip_key_blocks (migration 060), and live delegated prefixes by start key, kept exact by
 * triggers, so the key-space module counts reservations as "used" without enumerating them. Immediate (not deferred) on PostgreSQL: an
 * allocation re-counts inside its own transaction.
 */
const LIVE = `('RESERVED', 'ASSIGNED')`;

export async function up(knex: Knex): Promise<void> {
  const pg = isPostgres(knex);
  await knex.schema.createTable('ip_pools', (t) => {
    t.integer('range_id').primary().references('id').inTable('ranges').onDelete('CASCADE');
    t.string('pool_type', 32).notNullable();
    t.string('gateway', 39);
    addressKeyColumn(knex, t, 'gateway_key');
    t.text('dns_servers');
    t.integer('vlan_id');
    t.string('status', 16).notNullable().defaultTo('ACTIVE');
    t.boolean('auto_assign_enabled').notNullable().defaultTo(true);
    t.boolean('allow_manual_reservation').notNullable().defaultTo(true);
    t.smallint('utilization_alert_threshold').notNullable().defaultTo(80);
    t.string('allocation_order', 8).notNullable().defaultTo('lowest');
    t.smallint('delegation_prefix_length');
    t.string('group_name', 128);
    t.text('description');
    t.integer('netbox_prefix_id');
    t.string('netbox_synced_at', 19);
    t.string('created_at', 19).notNullable();
    t.string('updated_at', 19).notNullable();
    t.index(['group_name']);
    t.index(['status']);
  });

  await knex.schema.createTable('ip_reservations', (t) => {
    t.increments('id').primary();
    t.integer('pool_id').notNullable().references('range_id').inTable('ip_pools').onDelete('CASCADE');
    t.string('subscriber_id', 128).notNullable();
    t.string('ip_address', 49).notNullable();
    t.smallint('ip_version').notNullable();
    addressKeyColumn(knex, t, 'ip_key').notNullable();
    addressKeyColumn(knex, t, 'ip_last_key').notNullable();
    t.string('ip_type', 16).notNullable();
    t.smallint('prefix_length');
    t.string('status', 16).notNullable();
    t.text('assignment_reason');
    t.string('assigned_by', 128);
    t.string('reserved_at', 19).notNullable();
    t.string('assigned_at', 19);
    t.string('released_at', 19);
    t.string('expires_at', 19);
    t.text('notes');
    t.integer('netbox_ip_id');
    t.boolean('netbox_synced').notNullable().defaultTo(false);
    t.string('created_at', 19).notNullable();
    t.string('updated_at', 19).notNullable();
    t.index(['pool_id', 'status']);
    t.index(['subscriber_id', 'status']);
    t.index(['ip_version', 'ip_key']);
  });
  await knex.raw(`CREATE UNIQUE INDEX ip_reservations_one_live ON ip_reservations (ip_version, ip_key) WHERE status IN ${LIVE}`);
  // The expiry job's scan. Partial, so no query over live reservations by key is tempted to
  // walk every live row by status (SQLite picked a (status, …) index for those and sorted).
  await knex.raw(`CREATE INDEX ip_reservations_expiry ON ip_reservations (expires_at) WHERE status = 'RESERVED'`);
  // Live delegated prefixes, few per pool: looked up by their span when an address or prefix is checked.
  await knex.raw(`CREATE INDEX ip_reservations_live_prefixes ON ip_reservations (ip_version, ip_key, ip_last_key) WHERE status IN ${LIVE} AND ip_type = 'ipv6_prefix'`);

  await knex.schema.createTable('ip_reservation_blocks', (t) => {
    t.smallint('level').notNullable();
    if (pg) t.specificType('block', 'varchar(30) COLLATE "C"').notNullable();
    else t.string('block', 30).notNullable();
    t.integer('n').notNullable();
    t.primary(['level', 'block']);
  });

  // Levels 1 and 2 count live single addresses (256 and 65,536 keys, as ip_key_blocks); levels 3
  // and 4 count the START keys of live delegated prefixes per /48 and /56, so the free /56 or
  // /64 slots of a prefix-delegation pool are counted without walking its delegations.
  const addr = (row: 'NEW' | 'OLD'): string => `${row}.status IN ${LIVE} AND ${row}.ip_type <> 'ipv6_prefix'`;
  const prefix = (row: 'NEW' | 'OLD'): string => `${row}.status IN ${LIVE} AND ${row}.ip_type = 'ipv6_prefix'`;
  if (pg) {
    await knex.raw(`
      CREATE FUNCTION ip_reservation_blocks_bump(k varchar, is_prefix boolean, d integer) RETURNS void AS $$
      BEGIN
        IF is_prefix THEN
          INSERT INTO ip_reservation_blocks (level, block, n) VALUES (3, substr(k, 1, 12), d), (4, substr(k, 1, 14), d)
          ON CONFLICT (level, block) DO UPDATE SET n = ip_reservation_blocks.n + EXCLUDED.n;
        ELSE
          INSERT INTO ip_reservation_blocks (level, block, n) VALUES (1, substr(k, 1, 30), d), (2, substr(k, 1, 28), d)
          ON CONFLICT (level, block) DO UPDATE SET n = ip_reservation_blocks.n + EXCLUDED.n;
        END IF;
      END $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE FUNCTION ip_reservation_blocks_trigger() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ${LIVE} THEN PERFORM ip_reservation_blocks_bump(OLD.ip_key, OLD.ip_type = 'ipv6_prefix', -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status IN ${LIVE} THEN PERFORM ip_reservation_blocks_bump(NEW.ip_key, NEW.ip_type = 'ipv6_prefix', 1); END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await knex.raw('CREATE TRIGGER ip_reservation_blocks_ins AFTER INSERT OR DELETE ON ip_reservations FOR EACH ROW EXECUTE FUNCTION ip_reservation_blocks_trigger()');
    await knex.raw(`CREATE TRIGGER ip_reservation_blocks_upd AFTER UPDATE OF status, ip_key, ip_type ON ip_reservations FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.ip_key IS DISTINCT FROM NEW.ip_key OR OLD.ip_type IS DISTINCT FROM NEW.ip_type)
      EXECUTE FUNCTION ip_reservation_blocks_trigger()`);
  } else {
    const levels: [number, number, (row: 'NEW' | 'OLD') => string][] = [[1, 30, addr], [2, 28, addr], [3, 12, prefix], [4, 14, prefix]];
    const bump = (row: 'NEW' | 'OLD', d: number): string =>
      levels
        .map(
          ([level, digits, counted]) => `INSERT INTO ip_reservation_blocks (level, block, n) SELECT ${level}, substr(${row}.ip_key, 1, ${digits}), ${d} WHERE ${counted(row)}
         ON CONFLICT (level, block) DO UPDATE SET n = n + excluded.n;`,
        )
        .join('\n');
    // Inserts and deletes (batches of allocations) run one two-row upsert per row, chosen by WHEN.
    const pair = (row: 'NEW' | 'OLD', d: number, isPrefix: boolean): string =>
      isPrefix
        ? `INSERT INTO ip_reservation_blocks (level, block, n) VALUES (3, substr(${row}.ip_key, 1, 12), ${d}), (4, substr(${row}.ip_key, 1, 14), ${d}) ON CONFLICT (level, block) DO UPDATE SET n = n + excluded.n;`
        : `INSERT INTO ip_reservation_blocks (level, block, n) VALUES (1, substr(${row}.ip_key, 1, 30), ${d}), (2, substr(${row}.ip_key, 1, 28), ${d}) ON CONFLICT (level, block) DO UPDATE SET n = n + excluded.n;`;
    for (const [suffix, event, row, d] of [['ins', 'INSERT', 'NEW', 1], ['del', 'DELETE', 'OLD', -1]] as const) {
      await knex.raw(`CREATE TRIGGER ip_reservation_blocks_${suffix} AFTER ${event} ON ip_reservations WHEN ${addr(row)} BEGIN ${pair(row, d, false)} END`);
      await knex.raw(`CREATE TRIGGER ip_reservation_blocks_${suffix}_prefix AFTER ${event} ON ip_reservations WHEN ${prefix(row)} BEGIN ${pair(row, d, true)} END`);
    }
    await knex.raw(`CREATE TRIGGER ip_reservation_blocks_upd AFTER UPDATE OF status, ip_key, ip_type ON ip_reservations
      WHEN OLD.status IS NOT NEW.status OR OLD.ip_key IS NOT NEW.ip_key OR OLD.ip_type IS NOT NEW.ip_type
      BEGIN ${bump('OLD', -1)} ${bump('NEW', 1)} END`);
  }
  await poolCounts(knex, pg);
}

/**
 * ip_pool_counts: reservations per pool and status, kept by triggers, so a pool's utilization by
 * state (reserved / assigned) is two row reads however many addresses it holds. Only writers of
 * the same pool touch its rows, and those are serialised by the pool lock already.
 */
async function poolCounts(knex: Knex, pg: boolean): Promise<void> {
  await knex.schema.createTable('ip_pool_counts', (t) => {
    t.integer('pool_id').notNullable().references('range_id').inTable('ip_pools').onDelete('CASCADE');
    t.string('status', 16).notNullable();
    t.integer('n').notNullable();
    t.primary(['pool_id', 'status']);
  });
  if (pg) {
    await knex.raw(`
      CREATE FUNCTION ip_pool_counts_trigger() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          UPDATE ip_pool_counts SET n = n - 1 WHERE pool_id = OLD.pool_id AND status = OLD.status;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO ip_pool_counts (pool_id, status, n) VALUES (NEW.pool_id, NEW.status, 1)
          ON CONFLICT (pool_id, status) DO UPDATE SET n = ip_pool_counts.n + 1;
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await knex.raw('CREATE TRIGGER ip_pool_counts_ins AFTER INSERT OR DELETE ON ip_reservations FOR EACH ROW EXECUTE FUNCTION ip_pool_counts_trigger()');
    await knex.raw(`CREATE TRIGGER ip_pool_counts_upd AFTER UPDATE OF status, pool_id ON ip_reservations FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.pool_id IS DISTINCT FROM NEW.pool_id)
      EXECUTE FUNCTION ip_pool_counts_trigger()`);
  } else {
    const add = `INSERT INTO ip_pool_counts (pool_id, status, n) VALUES (NEW.pool_id, NEW.status, 1) ON CONFLICT (pool_id, status) DO UPDATE SET n = n + 1;`;
    const sub = `UPDATE ip_pool_counts SET n = n - 1 WHERE pool_id = OLD.pool_id AND status = OLD.status;`;
    await knex.raw(`CREATE TRIGGER ip_pool_counts_ins AFTER INSERT ON ip_reservations BEGIN ${add} END`);
    await knex.raw(`CREATE TRIGGER ip_pool_counts_del AFTER DELETE ON ip_reservations BEGIN ${sub} END`);
    await knex.raw(`CREATE TRIGGER ip_pool_counts_upd AFTER UPDATE OF status, pool_id ON ip_reservations
      WHEN OLD.status IS NOT NEW.status OR OLD.pool_id IS NOT NEW.pool_id
      BEGIN ${sub} ${add} END`);
  }
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
