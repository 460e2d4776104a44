import type { Knex } from 'knex';

/**
 * Hosts become devices: the `hosts` table is THE device table (servers, VMs, hypervisors, lab
 * hardware). It keeps its name, ids and every row as they are, so `ip_assets.host_id`, `/hosts`,
 * the bundle and `hosts.csv` read it unchanged; existing rows get kind `other` and NULL elsewhere.
 *
 * The fact columns (hostname … nic_count) hold the EFFECTIVE value (override, else the fact of the
 * highest-priority source; see src/domain/devices/priority.ts), kept by DevicesService, so every
 * filter and sort of the device list is an index lookup rather than a scan of per-source facts.
 */
const TEXT_COLUMNS: ReadonlyArray<readonly [string, number]> = [
  ['platform', 32],
  ['hostname', 255],
  ['serial', 255],
  ['asset_tag', 100],
  ['model', 255],
  ['vendor_name', 255],
  ['uuid', 64],
  ['bios_uuid', 64],
  ['os_type', 255],
  ['os_family', 64],
  ['os_version', 255],
  ['firmware_version', 100],
  ['power_state', 20],
  ['cluster', 255],
  ['hypervisor', 255],
  ['room_location', 100],
  ['sub_location', 100],
  ['environment', 50],
  ['archived_at', 19],
  ['archived_by', 64],
  ['first_seen_at', 19],
  ['last_seen_at', 19],
];

const INDEXED = [
  'kind', 'platform', 'hostname', 'serial', 'asset_tag', 'model', 'vendor_name', 'uuid', 'os_type', 'os_family', 'power_state',
  'cluster', 'hypervisor_device_id', 'room_location', 'project_id', 'environment', 'business_owner_id', 'technical_owner_id',
  'archived_at', 'last_seen_at', 'updated_at', 'memory_mb', 'vcpus',
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hosts', (t) => {
    t.string('kind', 20).notNullable().defaultTo('other');
    for (const [name, size] of TEXT_COLUMNS) t.string(name, size);
    t.text('archive_reason');
    for (const name of ['vcpus', 'sockets', 'cores_per_socket', 'memory_mb', 'disk_count', 'nic_count']) t.integer(name);
    t.double('disk_total_gb');
  });
  // Plain ADD COLUMN … REFERENCES on both databases: knex's SQLite path for a foreign key in
  // alterTable rebuilds the table, which ip_assets' foreign key to hosts must not go through.
  for (const [column, target] of [['hypervisor_device_id', 'hosts'], ['project_id', 'projects'], ['business_owner_id', 'owners'], ['technical_owner_id', 'owners']] as const) {
    await knex.raw(`ALTER TABLE hosts ADD COLUMN ${column} integer REFERENCES ${target}(id) ON DELETE SET NULL`);
  }
  await knex.schema.alterTable('hosts', (t) => {
    for (const name of INDEXED) t.index([name], `hosts_${name}_idx`);
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
