import type { RouteSpec } from '../route-table.js';
import { assetRoutes } from './ip-assets.js';
import { authRoutes } from './auth.js';
import { catalogRouteSpecs } from './catalog.js';
import { hostRoutes } from './hosts.js';
import { rangeRoutes } from './ranges.js';
import { rangeAddressRoutes } from './range-addresses.js';
import { sdRoutes } from './sd-node.js';
import { systemRoutes } from './system.js';
import { auditRoutes, userRoutes } from './users-audit.js';

/** Every REST endpoint ipocket serves (besides data-ops and the docs), in documentation order. */
export const API_ROUTES: readonly RouteSpec[] = [
  ...systemRoutes,
  ...sdRoutes,
  ...authRoutes,
  ...assetRoutes,
  ...hostRoutes,
  ...catalogRouteSpecs,
  ...rangeRoutes,
  ...rangeAddressRoutes,
  ...userRoutes,
  ...auditRoutes,
];
