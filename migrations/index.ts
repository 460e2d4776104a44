import type { Knex } from 'knex';
import * as m001 from './001_users_and_sessions.js';
import * as m002 from './002_catalog.js';
import * as m003 from './003_hosts.js';
import * as m004 from './004_ip_assets.js';
import * as m005 from './005_ranges.js';
import * as m006 from './006_audit_log.js';
import * as m007 from './007_list_performance.js';
import * as m010 from './010_project_type_index.js';
import * as m020 from './020_panel_sessions.js';
import * as m030 from './030_import_runs.js';
import * as m031 from './031_import_run_logs.js';
import * as m040 from './040_connector_configs.js';
import * as m041 from './041_import_runs_config.js';
import * as m050 from './050_tag_counts.js';
import * as m060 from './060_ip_key_blocks.js';
import * as m070 from './070_login_failures.js';
import * as m100 from './100_last_seen_index.js';
import * as m101 from './101_audit_run.js';
import * as m102 from './102_range_names_unique.js';
import * as m120 from './120_bulk_counters.js';
import * as m121 from './121_run_liveness.js';
import * as m150 from './150_deferred_counters.js';
import * as m170 from './170_jobs.js';
import * as m180 from './180_ip_pools.js';
import * as m190 from './190_reservation_reclaim.js';
// devices-core (issue 14): 200–209
import * as m200 from './200_owners.js';
import * as m201 from './201_hosts_become_devices.js';
import * as m202 from './202_device_facts.js';
import * as m203 from './203_custom_fields.js';
import * as m204 from './204_device_list_indexes.js';
import * as m215 from './215_users_vmi.js';
// pools-finish (issue 19): 220–229
import * as m220 from './220_reservation_quarantine.js';
// devices-perf (issue 14): 230–239
import * as m230 from './230_device_counts.js';
import * as m231 from './231_device_kind_sort_indexes.js';
import * as m232 from './232_device_live_name_ids.js';
import * as m233 from './233_device_sort_indexes_with_ids.js';
import * as m240 from './240_device_change_filters.js';
// sources-reconcile (issue 15): 260–269
import * as m260 from './260_sync_push_tokens.js';
// netbox (issue 16): 280–289
import * as m280 from './280_netbox_sync.js';
import * as m290 from './290_device_missing.js';
import * as m310 from './310_reconciliation_counters.js';
import * as m311 from './311_device_disagreements.js';
import * as m320 from './320_netbox_sync_lease.js';
import * as m350 from './350_trigram_fastupdate_off.js';
// seen-per-source (issue 15): 370–379
import * as m370 from './370_ip_asset_sightings.js';
import * as m410 from './410_last_sighted_at.js';
import * as m420 from './420_list_order_covers_id.js';
import * as m421 from './421_host_name_trigram.js';
import * as m422 from './422_statement_counters.js';
import * as m423 from './423_counter_fold_in_order.js';

/** Every migration, in order. Listed statically so tsx and the compiled build run the same set. */
export const MIGRATIONS: ReadonlyArray<readonly [string, Knex.Migration]> = [
  ['001_users_and_sessions', m001],
  ['002_catalog', m002],
  ['003_hosts', m003],
  ['004_ip_assets', m004],
  ['005_ranges', m005],
  ['006_audit_log', m006],
  ['007_list_performance', m007],
  ['010_project_type_index', m010],
  ['020_panel_sessions', m020],
  ['030_import_runs', m030],
  ['031_import_run_logs', m031],
  ['040_connector_configs', m040],
  ['041_import_runs_config', m041],
  ['050_tag_counts', m050],
  ['060_ip_key_blocks', m060],
  ['070_login_failures', m070],
  ['100_last_seen_index', m100],
  ['101_audit_run', m101],
  ['102_range_names_unique', m102],
  ['120_bulk_counters', m120],
  ['121_run_liveness', m121],
  ['150_deferred_counters', m150],
  ['170_jobs', m170],
  ['180_ip_pools', m180],
  ['190_reservation_reclaim', m190],
  // devices-core (issue 14): 200–209
  ['200_owners', m200],
  ['201_hosts_become_devices', m201],
  ['202_device_facts', m202],
  ['203_custom_fields', m203],
  ['204_device_list_indexes', m204],
  ['215_users_vmi', m215],
  // pools-finish (issue 19): 220–229
  ['220_reservation_quarantine', m220],
  // devices-perf (issue 14): 230–239
  ['230_device_counts', m230],
  ['231_device_kind_sort_indexes', m231],
  ['232_device_live_name_ids', m232],
  ['233_device_sort_indexes_with_ids', m233],
  // devices-tidy (issue 14): 240–249
  ['240_device_change_filters', m240],
  // sources-reconcile (issue 15): 260–269
  ['260_sync_push_tokens', m260],
  // netbox (issue 16): 280–289
  ['280_netbox_sync', m280],
  // stale-devices (issue 15): 290–299
  ['290_device_missing', m290],
  // report-speed (issue 15): 310–319
  ['310_reconciliation_counters', m310],
  ['311_device_disagreements', m311],
  // graphql-netbox (issue 16): 320–329
  ['320_netbox_sync_lease', m320],
  // load-p99 (issue 13): 350–359
  ['350_trigram_fastupdate_off', m350],
  // seen-per-source (issue 15): 370–379
  ['370_ip_asset_sightings', m370],
  // recon (issue 15): 410–419
  ['410_last_sighted_at', m410],
  // pg-parity (issue 13): 420–429
  ['420_list_order_covers_id', m420],
  ['421_host_name_trigram', m421],
  ['422_statement_counters', m422],
  ['423_counter_fold_in_order', m423],
];
