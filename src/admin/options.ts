import type { AdminJSOptions, BrandingOptions } from 'adminjs';
import type { AppDeps } from '../http/deps.js';
import { Components, componentLoader } from './component-loader.js';
import { panelLocale } from './locale.js';
import { changePasswordHandler, connectorsHandler, dashboardHandler, dataOpsHandler } from './pages.js';
import { ROOT_PATH } from './paths.js';
import { panelResources } from './resources/index.js';
import { devicePages } from './resources/devices.pages.js';
import { poolPages } from './resources/pools.pages.js';

export { ROOT_PATH };

/** System fonts: no web font is ever fetched (AdminJS's Google Fonts link is stripped too). */
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif";

/** Options shared by the server and the build-time bundler (which needs no database: deps is optional). */
export function panelOptions(deps?: AppDeps): AdminJSOptions {
  return {
    rootPath: ROOT_PATH,
    loginPath: `${ROOT_PATH}/login`,
    logoutPath: `${ROOT_PATH}/logout`,
    componentLoader,
    resources: deps ? panelResources(deps) : [],
    dashboard: { component: Components.Dashboard, ...(deps ? { handler: dashboardHandler(deps) } : {}) },
    pages: { ...poolPages, ...devicePages, 'data-ops': { component: Components.DataOps, icon: 'Repeat', ...(deps ? { handler: dataOpsHandler(deps) } : {}) }, connectors: { component: Components.Connectors, icon: 'Activity', ...(deps ? { handler: connectorsHandler() } : {}) }, 'change-password': { component: Components.ChangePassword, icon: 'Key', ...(deps ? { handler: changePasswordHandler(deps) } : {}) } },
    branding: {
      companyName: 'ipocket',
      logo: `${ROOT_PATH}/static/logo.svg`,
      favicon: `${ROOT_PATH}/static/favicon.svg`,
      withMadeWithLove: false,
      // `font` is a plain string in the design system's theme, though ThemeOverride types every key as a record.
      theme: {
        font: FONT,
        colors: { primary100: '#1e40af', primary80: '#1d4ed8', primary60: '#3b82f6', primary40: '#93c5fd', primary20: '#dbeafe', accent: '#1e40af', hoverBg: '#1d4ed8' },
      } as unknown as NonNullable<BrandingOptions['theme']>,
    },
    assets: { styles: [`${ROOT_PATH}/static/panel.css`] },
    locale: panelLocale,
    version: { admin: false },
    settings: { defaultPerPage: 20 },
  };
}
