import path from 'node:path';
import { ComponentLoader } from 'adminjs';
import { projectRoot } from '../build-info.js';

/**
 * Every React component of the panel, registered once. AdminJS bundles the `.tsx` sources in
 * `components/` itself (rollup + babel, at `npm run build`), so paths are absolute from the
 * project root and work from `src/` (tsx) and `dist/src/` (compiled) alike.
 */
export const componentLoader = new ComponentLoader();

const file = (name: string): string => path.join(projectRoot(), 'components', name);
const add = (id: string, name: string): string => componentLoader.add(id, file(name));

/** One constant per component; resources and pages refer to these, never to paths. */
export const Components = {
  Dashboard: add('Dashboard', 'dashboard/dashboard.tsx'),
  ChangePassword: add('ChangePassword', 'account/change-password.tsx'),
  Connectors: add('Connectors', 'connectors/connectors.tsx'),
  DataOps: add('DataOps', 'data-ops/data-ops.tsx'),
  ColorChip: add('ColorChip', 'properties/color-chip.tsx'),
  ReferenceChip: add('ReferenceChip', 'properties/reference-chip.tsx'),
  TagChips: add('TagChips', 'properties/tag-chips.tsx'),
  UtilizationBar: add('UtilizationBar', 'properties/utilization.tsx'),
  ValueChip: add('ValueChip', 'properties/value-chip.tsx'),
  ClampedText: add('ClampedText', 'properties/clamped-text.tsx'),
  DefaultOnCheckbox: add('DefaultOnCheckbox', 'properties/default-on-checkbox.tsx'),
  // Shared workspace building blocks (components/shared): one drawer shell, chips, pickers, delete confirmation.
  SharedDrawer: add('SharedDrawer', 'shared/drawer.tsx'),
  SharedChip: add('SharedChip', 'shared/chip.tsx'),
  TagPicker: add('TagPicker', 'shared/tag-picker.tsx'),
  SearchPicker: add('SearchPicker', 'shared/search-picker.tsx'),
  ConfirmDelete: add('ConfirmDelete', 'shared/confirm-delete.tsx'),
  TagOverflow: add('TagOverflow', 'shared/tag-overflow.tsx'),
  ListShell: add('ListShell', 'shared/list-shell.tsx'),
  // The IP assets workspace (issue 5): the resource's list and show actions.
  IpAssetsList: add('IpAssetsList', 'ip-assets/ip-list.tsx'),
  IpAssetDetail: add('IpAssetDetail', 'ip-assets/ip-detail.tsx'),
  // Ranges, hosts and the catalog library (issue 6).
  RangesList: add('RangesList', 'ranges/ranges-list.tsx'),
  RangeAddresses: add('RangeAddresses', 'ranges/range-addresses.tsx'),
  HostsList: add('HostsList', 'hosts/hosts-list.tsx'),
  Library: add('Library', 'library/library.tsx'),
  // Static IP pools and reservations (issue 19): pages over /api/v1/ip-management.
  Pools: add('Pools', 'pools/pools.tsx'),
  PoolsDashboard: add('PoolsDashboard', 'pools/pools-dashboard.tsx'),
  IpConflicts: add('IpConflicts', 'pools/conflict-checker.tsx'),
  // Reconciliation report (issue 15).
  Reconciliation: add('Reconciliation', 'reconciliation/report.tsx'),
  // NetBox sync (issue 16): a page over /api/v1/ip-management/netbox.
  NetBoxSync: add('NetBoxSync', 'netbox/netbox-sync.tsx'),
  // Devices, owners and custom fields (issue 14).
  DevicesList: add('DevicesList', 'devices/devices-list.tsx'),
  DeviceDetail: add('DeviceDetail', 'devices/device-detail.tsx'),
  DeviceChanges: add('DeviceChanges', 'devices/device-changes.tsx'),
  OwnersList: add('OwnersList', 'owners/owners-list.tsx'),
  CustomFieldsList: add('CustomFieldsList', 'custom-fields/custom-fields-list.tsx'),
} as const;

// Branding: AdminJS's own login, sidebar footer and user menu replaced by ours.
componentLoader.override('Login', file('shell/login.tsx'));
componentLoader.override('SidebarFooter', file('shell/sidebar-footer.tsx'));
componentLoader.override('LoggedIn', file('shell/logged-in.tsx'));
// Keyboard: the sidebar's groups take focus and toggle with Enter.
componentLoader.override('SidebarResourceSection', file('shell/sidebar-resource-section.tsx'));
componentLoader.override('TopBar', file('shell/top-bar.tsx'));
