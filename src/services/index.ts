import type { AppConfig } from '../config.js';
import { AssetsService } from './assets/service.js';
import { AuditService } from './audit.js';
import { AuthService } from './auth.js';
import { ConnectorConfigsService, type PluginCatalog } from './connector-configs.js';
import { ConnectorScheduleService } from './connector-schedule.js';
import type { ServiceContext } from './context.js';
import { CustomFieldsService, DevicesService, OwnersService } from './devices/index.js';
import { DeviceExportsService } from './exports/devices.js';
import { HostsService } from './hosts.js';
import { ImportRunsService } from './import-runs.js';
import { NetBoxConflictsService } from './netbox/conflicts.js';
import { NetBoxRunsService } from './netbox/runs.js';
import { PoolsService } from './pools/pools.js';
import { ReservationsService } from './pools/reservations.js';
import { PoolConflictsService } from './pools/conflicts.js';
import { ReservationLifecycleService } from './pools/lifecycle.js';
import { PoolStatsService } from './pools/stats.js';
import { ReconciliationService } from './reconciliation/report.js';
import { SubscriberIpsService } from './pools/subscribers.js';
import { ProjectsService } from './projects.js';
import { RangeAddressesService } from './ranges/addresses.js';
import { RangesService } from './ranges/service.js';
import { SessionsService } from './sessions.js';
import { TagsService } from './tags.js';
import { UsersService } from './users.js';
import { VendorsService } from './vendors.js';

/**
 * The settings services read (from the AppConfig) and the plugins, handed in because services
 * import no plugin code: src/plugins/catalog.ts `servicesConfig(config)` builds it.
 */
export type ServicesConfig = Pick<AppConfig, 'autoHostForBmc' | 'secretKey' | 'tokenTtlSeconds' | 'sessionMaxSeconds'> & { plugins: PluginCatalog };

/**
 * Every aggregate's service bound to one database (or transaction) and one actor: the one place
 * the API, the panel, the CLI, the job runner and the tests build them, so a setting that changes
 * a rule (e.g. IPOCKET_AUTO_HOST_FOR_BMC) reaches every surface alike. Construction is cheap
 * (no I/O), so a request may build its own set.
 */
export function createServices(ctx: ServiceContext, config: ServicesConfig) {
  const sessions = new SessionsService(ctx.db, { idleSeconds: config.tokenTtlSeconds, maxSeconds: config.sessionMaxSeconds });
  return {
    assets: new AssetsService(ctx, { autoHostForBmc: config.autoHostForBmc }),
    audit: new AuditService(ctx),
    auth: new AuthService(ctx, sessions),
    connectorConfigs: new ConnectorConfigsService(ctx, config.secretKey, config.plugins),
    connectorSchedule: new ConnectorScheduleService(ctx.db),
    // devices-core (issue 14)
    customFields: new CustomFieldsService(ctx),
    devices: new DevicesService(ctx),
    deviceExports: new DeviceExportsService(ctx),
    owners: new OwnersService(ctx),
    hosts: new HostsService(ctx),
    importRuns: new ImportRunsService(ctx),
    // Static IP pools and reservations (issue 19).
    pools: new PoolsService(ctx),
    reservations: new ReservationsService(ctx),
    // Pools API (issue 19): utilization by state, conflicts, subscriber operations, lifecycle jobs.
    poolStats: new PoolStatsService(ctx),
    poolConflicts: new PoolConflictsService(ctx),
    subscriberIps: new SubscriberIpsService(ctx),
    reservationLifecycle: new ReservationLifecycleService(ctx),
    // Reconciliation report (issue 15): unknown, reclaimable, mismatched addresses.
    reconciliation: new ReconciliationService(ctx),
    // NetBox sync (issue 16): conflicts found and the history of runs.
    netboxConflicts: new NetBoxConflictsService(ctx),
    netboxRuns: new NetBoxRunsService(ctx),
    projects: new ProjectsService(ctx),
    rangeAddresses: new RangeAddressesService(ctx),
    ranges: new RangesService(ctx),
    sessions,
    tags: new TagsService(ctx),
    users: new UsersService(ctx),
    vendors: new VendorsService(ctx),
  };
}

export type Services = ReturnType<typeof createServices>;
