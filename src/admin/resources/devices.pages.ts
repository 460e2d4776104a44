import type { AdminJSOptions } from 'adminjs';
import { Components } from '../component-loader.js';

/**
 * Device pages that are not a resource (issue 14). Device changes reads GET /device-changes,
 * which any reader may (the API checks it), so the page itself holds no rule.
 */
export const devicePages: NonNullable<AdminJSOptions['pages']> = {
  'device-changes': { component: Components.DeviceChanges, icon: 'Clock' },
};
