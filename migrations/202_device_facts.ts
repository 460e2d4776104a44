import type { Knex } from 'knex';

/**
 * What each source reported about a device, apart from what people set: one facts row per device
 * and source (normalised fields, raw payload, first/last seen), the operator's overrides, the
 * per-source collections (MACs, disks, NICs, IPs; source `manual` for those people added, which
 * no sync replaces), free tags, and the change history of every device.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('device_facts', (t) => {
    t.increments('id').primary();
    t.integer('device_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.string('source', 64).notNullable();
    // The source's own id of the record (VM UUID, LibreNMS device id): how the next run finds it.
    t.string('external_id', 255).notNullable();
    t.text('fields').notNullable();
    t.text('raw');
    t.integer('run_id');
    t.string('first_seen_at', 19).notNullable();
    t.string('last_seen_at', 19).notNullable();
    t.unique(['device_id', 'source']);
    t.unique(['source', 'external_id']);
  });
  await knex.schema.createTable('device_overrides', (t) => {
    t.integer('device_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.string('field', 64).notNullable();
    t.text('value');
    t.string('set_by', 64);
    t.string('set_at', 19).notNullable();
    t.primary(['device_id', 'field']);
  });
  await knex.schema.createTable('device_macs', (t) => {
    t.increments('id').primary();
    t.integer('device_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.string('mac', 17).notNullable();
    t.string('source', 64).notNullable();
    t.unique(['device_id', 'source', 'mac']);
    t.index(['mac']);
  });
  await knex.schema.createTable('device_disks', (t) => {
    t.increments('id').primary();
    t.integer('device_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.string('source', 64).notNullable();
    t.integer('position').notNullable();
    t.string('label', 255);
    t.double('size_gb');
    t.string('storage', 255);
    t.string('backing', 50);
    t.index(['device_id', 'source']);
  });
  await knex.schema.createTable('device_nics', (t) => {
    t.increments('id').primary();
    t.integer('device_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.string('source', 64).notNullable();
    t.integer('position').notNullable();
    t.string('mac', 17);
    t.string('network_name', 255);
    t.string('vlan', 50);
    t.boolean('connected');
    t.index(['device_id', 'source']);
    t.index(['network_name']);
  });
  await knex.schema.createTable('device_ips', (t) => {
    t.increments('id').primary();
    t.integer('device_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.string('source', 64).notNullable();
    t.string('ip_address', 45).notNullable();
    // Which NIC (its position in that source's list) carries it; NULL for a manual or NIC-less IP.
    t.integer('nic_position');
    t.string('label', 255);
    t.boolean('is_primary').notNullable().defaultTo(false);
    t.unique(['device_id', 'source', 'ip_address']);
    t.index(['ip_address']);
  });
  await knex.schema.createTable('device_tags', (t) => {
    t.integer('device_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.string('tag', 64).notNullable();
    t.string('created_by', 64);
    t.primary(['device_id', 'tag']);
    t.index(['tag']);
  });
  await knex.schema.createTable('device_changes', (t) => {
    t.bigIncrements('id').primary();
    t.integer('device_id').notNullable().references('hosts.id').onDelete('CASCADE');
    // The sync run that made it (null for a person's change) and the source it came from.
    t.integer('run_id');
    t.string('source', 64);
    t.string('field', 64).notNullable();
    t.text('old_value');
    t.text('new_value');
    t.string('changed_at', 19).notNullable();
    t.string('changed_by', 64);
    t.index(['device_id', 'id']);
    t.index(['run_id']);
    t.index(['changed_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
