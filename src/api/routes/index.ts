import { graphqlRoutes } from '../../graphql/routes.js';
import type { RouteSpec } from '../route-table.js';
import { assetRoutes } from './ip-assets.js';
import { authRoutes } from './auth.js';
import { catalogRouteSpecs } from './catalog.js';
import { connectorRoutes } from './connectors.js';
import { dataOpsRoutes } from './data-ops.js';
import { hostRoutes } from './hosts.js';
import { ipManagementPoolRoutes } from './ip-management.js';
import { ipManagementReservationRoutes } from './ip-management-reservations.js';
import { ipManagementBatchRoutes } from './ip-management-batch.js';
import { reconciliationRoutes } from './reconciliation.js';
import { netboxRoutes } from './netbox.js';
import { customFieldRoutes } from './custom-fields.js';
import { deviceRoutes } from './devices.js';
import { ownerRoutes } from './owners.js';
import { syncRunRoutes } from './sync-runs.js';
import { syncPushRoutes } from './sync-push.js';
import { syncSeedRoutes } from './sync-seeds.js';
import { laimRoutes } from './laim-items.js';
import { vmiRoutes } from './vmi-vms.js';
import { rangeRoutes } from './ranges.js';
import { rangeAddressRoutes } from './range-addresses.js';
import { sdRoutes } from './sd-node.js';
import { docsRoutes, systemRoutes } from './system.js';
import { auditRoutes, userRoutes } from './users-audit.js';
import { vmiAuthAuditRoutes } from './vmi-auth-audit.js';

/** Every endpoint the API serves, in documentation order: the router, /openapi.json and the role matrix are built from it. */
export const API_ROUTES: readonly RouteSpec[] = [
  ...systemRoutes,
  ...sdRoutes,
  ...authRoutes,
  ...assetRoutes,
  ...hostRoutes,
  // devices-api (issue 14)
  ...deviceRoutes,
  ...ownerRoutes,
  ...customFieldRoutes,
  ...syncRunRoutes,
  // sources-reconcile (issue 15)
  ...syncPushRoutes,
  ...vmiRoutes,
  ...laimRoutes,
  ...catalogRouteSpecs,
  ...rangeRoutes,
  ...rangeAddressRoutes,
  ...userRoutes,
  ...auditRoutes,
  ...vmiAuthAuditRoutes,
  ...dataOpsRoutes,
  ...connectorRoutes,
  // the seeds' sync routes (issue 15)
  ...syncSeedRoutes,
  ...ipManagementPoolRoutes,
  ...ipManagementReservationRoutes,
  // pools-ui: batch allocation for the reservation manager.
  ...ipManagementBatchRoutes,
  // Reconciliation report (issue 15).
  ...reconciliationRoutes,
  // NetBox sync (issue 16)
  ...netboxRoutes,
  ...docsRoutes,
  // GraphQL over the same services (src/graphql/).
  ...graphqlRoutes,
];
