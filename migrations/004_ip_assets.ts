import type { Knex } from 'knex';
import { addressKeyColumn, timestampColumns } from '../src/db/helpers/columns.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ip_assets', (t) => {
    t.increments('id').primary();
    t.string('ip_address', 45).notNullable().unique();
    t.smallint('ip_version').notNullable();
    addressKeyColumn(knex, t, 'ip_key').notNullable().unique();
    t.string('type', 8).notNullable();
    t.integer('project_id').references('projects.id').onDelete('RESTRICT');
    t.integer('host_id').references('hosts.id').onDelete('SET NULL');
    t.text('notes');
    t.boolean('archived').notNullable().defaultTo(false);
    t.string('last_seen_at', 19);
    timestampColumns(t);
    // The list walks these in numeric address order (version, then key) for each filter.
    t.index(['archived', 'ip_version', 'ip_key'], 'ip_assets_archived_order');
    t.index(['project_id', 'archived', 'ip_version', 'ip_key'], 'ip_assets_project_order');
    t.index(['type', 'archived', 'ip_version', 'ip_key'], 'ip_assets_type_order');
    t.index(['host_id'], 'ip_assets_host');
  });
  await knex.schema.createTable('ip_asset_tags', (t) => {
    t.integer('ip_asset_id').notNullable().references('ip_assets.id').onDelete('CASCADE');
    t.integer('tag_id').notNullable().references('tags.id').onDelete('CASCADE');
    t.primary(['ip_asset_id', 'tag_id']);
    t.index(['tag_id', 'ip_asset_id'], 'ip_asset_tags_tag');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ip_asset_tags');
  await knex.schema.dropTable('ip_assets');
}
