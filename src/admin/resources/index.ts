import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import { auditLogResource } from './audit-log.resource.js';
import { panelDeviceResources } from './devices.resource.js';
import { hostsResource } from './hosts.resource.js';
import { ipAssetsResource } from './ip-assets.resource.js';
import { projectsResource } from './projects.resource.js';
import { rangesResource } from './ranges.resource.js';
import { tagsResource } from './tags.resource.js';
import { usersResource } from './users.resource.js';
import { vendorsResource } from './vendors.resource.js';

/** Every panel resource, in sidebar order. */
export function panelResources(deps: AppDeps): ResourceWithOptions[] {
  return [
    ipAssetsResource(deps),
    hostsResource(deps),
    rangesResource(deps),
    projectsResource(deps),
    tagsResource(deps),
    vendorsResource(deps),
    usersResource(deps),
    auditLogResource(deps),
    // Devices, owners and custom fields (issue 14).
    ...panelDeviceResources(deps),
  ];
}
