import type { AdminJSOptions } from 'adminjs';
import { Components } from '../component-loader.js';

/**
 * The static IP pools pages (issue 19). Pages, not a resource: every read and write goes through
 * the REST API at /api/v1/ip-management, which checks the role (editors write, viewers read), so
 * the panel holds no second copy of the allocation rules.
 */
export const poolPages: NonNullable<AdminJSOptions['pages']> = {
  // No page name is the start of another: the sidebar marks every page whose path starts with the URL's.
  'ip-pools': { component: Components.Pools, icon: 'Layers' },
  'pool-dashboard': { component: Components.PoolsDashboard, icon: 'PieChart' },
  'ip-conflicts': { component: Components.IpConflicts, icon: 'AlertTriangle' },
  // Issue 15's reconciliation report: addresses the sources and the inventory disagree on, over GET /reconciliation.
  reconciliation: { component: Components.Reconciliation, icon: 'GitMerge' },
  // NetBox sync (issue 16)
  'netbox-sync': { component: Components.NetBoxSync, icon: 'RefreshCw' },
};
